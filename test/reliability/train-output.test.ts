import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeTinyDataset } from '../helpers/fixtures.js';
import { writeHandMadeModel } from '../helpers/hand-made-model.js';

/**
 * Issue "Nothing lost, nothing answered by accident", item 1: `train --out` never destroys what it
 * did not make. These refusals come before any training; replacing a model with --force trains
 * (test/train/cli-train.test.ts).
 */
describe('allina train --out', () => {
  const workspace = temporaryDirectory();
  const data = writeTinyDataset(workspace);
  const train = (out: string, ...extra: string[]) => runCli(['train', '--data', data, '--no-test', '--no-tune', '--epochs', '2', '--out', out, ...extra]);

  it('refuses a folder with the user\'s files and leaves them alone', () => {
    const folder = join(workspace, 'my-folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'notes.txt'), 'mine');
    const result = train(folder, '--force');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/my-folder exists and is not an Allina model; choose another --out/);
    expect(readdirSync(folder)).toEqual(['notes.txt']);
    expect(readFileSync(join(folder, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('refuses a regular file', () => {
    const file = join(workspace, 'report.txt');
    writeFileSync(file, 'keep');
    const result = train(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/report\.txt exists and is not a directory/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  it('never writes through a model store pointer', () => {
    const store = join(workspace, 'live');
    mkdirSync(join(store, 'versions', 'v1'), { recursive: true });
    symlinkSync(join('versions', 'v1'), join(store, 'current'));
    const result = train(join(store, 'current'), '--force');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/is a model store pointer; models go live with 'allina promote'/);
    expect(readlinkSync(join(store, 'current'))).toBe(join('versions', 'v1'));
  });

  it('refuses to replace a model without --force, and needs --out at all', () => {
    const model = writeHandMadeModel({ directory: join(workspace, 'model') }).directory;
    const before = readFileSync(join(model, 'allina.json'), 'utf8');
    const refused = train(model);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/already holds a model; add --force to replace it/);
    expect(readFileSync(join(model, 'allina.json'), 'utf8')).toBe(before);
    const noOut = runCli(['train', '--data', data, '--no-test']);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/--out <dir>/);
    expect(existsSync(join(process.cwd(), 'models', 'default', 'allina.json'))).toBe(true);
  });
});
