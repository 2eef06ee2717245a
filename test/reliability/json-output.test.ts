import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeTinyDataset } from '../helpers/fixtures.js';
import { writeHandMadeModel } from '../helpers/hand-made-model.js';
import { EscalationLogger } from '../../src/learning/logger.js';
import { loadModel } from '../../src/runtime/model.js';

/** One compact JSON object on stdout, nothing else. */
function oneObject(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]);
}

/**
 * Issue "Nothing lost, nothing answered by accident", item 14: --json on every command, for
 * machines. `train --json` and `retrain --json` train, so they are in test/train/cli-train.test.ts.
 */
describe('--json', () => {
  it('prints one JSON object for eval, data check, review, promote and rollback', () => {
    const workspace = temporaryDirectory();
    const data = writeTinyDataset(workspace);
    const base = writeHandMadeModel({ directory: join(workspace, 'base') });

    const evaluated = runCli(['eval', '--model', base.directory, '--data', data, '--json']);
    expect(oneObject(evaluated.stdout)).toHaveProperty('macroF1');

    const checked = runCli(['data', 'check', '--train', data, '--test', data, '--json']);
    expect(oneObject(checked.stdout)).toHaveProperty('passed', false);

    const current = join(workspace, 'live', 'current');
    const promoted = runCli(['promote', '--candidate', base.directory, '--current', current, '--json']);
    expect(promoted.status).toBe(0);
    expect(oneObject(promoted.stdout)).toMatchObject({ promoted: true, previous: null, version: base.manifest.modelVersion });

    const logs = join(workspace, 'logs', 'web1.jsonl');
    const logger = new EscalationLogger(logs);
    const model = loadModel(base.directory);
    for (const text of ['where is my parcel', 'faktura prosze', 'hello there']) logger.log({ text, decision: model.classify(text), outcome: 'not_shown' });
    logger.close();
    const reviewed = runCli(['review', '--model', current, '--logs', logs, '--data', data, '--out', join(workspace, 'review.csv'), '--json']);
    expect(reviewed.status).toBe(0);
    expect(oneObject(reviewed.stdout)).toMatchObject({ events: 3 });

    // A second version that decides as the first does: the gate passes it.
    const second = writeHandMadeModel({ variant: 1, directory: join(workspace, 'second') });
    const gated = runCli(['promote', '--candidate', second.directory, '--current', current, '--test', data, '--json']);
    expect(gated.status, gated.stderr).toBe(0);
    expect(oneObject(gated.stdout)).toMatchObject({ promoted: true, version: second.manifest.modelVersion, previous: base.manifest.modelVersion, gate: { passed: true } });
    const rolled = runCli(['rollback', '--current', current, '--json']);
    expect(rolled.status).toBe(0);
    expect(oneObject(rolled.stdout)).toEqual({ current, version: base.manifest.modelVersion, previous: second.manifest.modelVersion });
  });
});
