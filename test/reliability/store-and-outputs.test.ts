import { describe, expect, it } from 'vitest';
import { readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHandMadeModel } from '../helpers/hand-made-model.js';
import { promoteModel } from '../../src/learning/registry.js';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeTinyDataset } from '../helpers/fixtures.js';

/** Issue "Nothing lost, nothing answered by accident", item 6: one line, before the work, nothing half-done. */
describe('outputs that cannot be written and stores that are damaged', () => {
  const workspace = temporaryDirectory();
  const candidate = writeHandMadeModel().directory;

  it('train --out under a regular file fails before training', () => {
    const file = join(workspace, 'a-file');
    writeFileSync(file, 'x');
    const started = Date.now();
    const result = runCli(['train', '--data', writeTinyDataset(workspace), '--no-test', '--no-tune', '--out', join(file, 'model')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/a-file\/model: cannot be created, .*a-file is not a directory/);
    expect(result.stderr).not.toMatch(/epoch|EEXIST|ENOTDIR|at /);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('train --out . is refused, not half-written', () => {
    const result = runCli(['train', '--data', writeTinyDataset(workspace, 'again.csv'), '--no-test', '--no-tune', '--out', '.']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/\. exists and is not an Allina model/);
  });

  it('review --out under a regular file fails with one line', () => {
    const file = join(workspace, 'another-file');
    writeFileSync(file, 'x');
    const logs = join(workspace, 'logs.jsonl');
    writeFileSync(logs, '');
    const result = runCli(['review', '--logs', logs, '--out', join(file, 'review.csv')]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('allina:') && !line.startsWith('allina: skipped'))).toHaveLength(1);
    expect(result.stderr).toMatch(/another-file is not a directory/);
  });

  it('a history.json of the wrong shape stops promote before the pointer moves', () => {
    const current = join(workspace, 'live', 'current');
    expect(runCli(['promote', '--candidate', candidate, '--current', current]).status).toBe(0);
    const pointer = readlinkSync(current);
    writeFileSync(join(workspace, 'live', 'history.json'), JSON.stringify({ not: 'a list' }));
    const other = writeHandMadeModel({ variant: 1 }).directory;
    expect(() => promoteModel(other, current)).toThrow(/history\.json: corrupt history \(expected a list of promote\/rollback entries\)/);
    expect(readlinkSync(current)).toBe(pointer);
    writeFileSync(join(workspace, 'live', 'history.json'), JSON.stringify([{ action: 'promote' }]));
    expect(runCli(['rollback', '--current', current]).stderr).toMatch(/entry 1 is not a promote\/rollback record/);
  });
});
