import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeTinyDataset } from '../helpers/fixtures.js';
import { EscalationLogger } from '../../src/learning/logger.js';
import { loadModel } from '../../src/runtime/model.js';

/** One compact JSON object on stdout, nothing else. */
function oneObject(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]);
}

/** Issue "Nothing lost, nothing answered by accident", item 14: --json on every command, for machines. */
describe('--json', () => {
  it('prints one JSON object for train, eval, data check, review, retrain, promote and rollback', () => {
    const workspace = temporaryDirectory();
    const data = writeTinyDataset(workspace);
    const base = join(workspace, 'base');
    const train = (out: string, seed: string) => runCli(['train', '--data', data, '--no-test', '--no-tune', '--epochs', '3', '--seed', seed, '--out', out, '--json']);
    const trained = train(base, '1');
    expect(trained.status).toBe(0);
    expect(oneObject(trained.stdout)).toMatchObject({ format: 'allina-intent-model' });

    const evaluated = runCli(['eval', '--model', base, '--data', data, '--json']);
    expect(oneObject(evaluated.stdout)).toHaveProperty('macroF1');

    const checked = runCli(['data', 'check', '--train', data, '--test', data, '--json']);
    expect(oneObject(checked.stdout)).toHaveProperty('passed', false);

    const current = join(workspace, 'live', 'current');
    const promoted = runCli(['promote', '--candidate', base, '--current', current, '--json']);
    expect(promoted.status).toBe(0);
    expect(oneObject(promoted.stdout)).toMatchObject({ promoted: true, previous: null });

    const logs = join(workspace, 'logs', 'web1.jsonl');
    const logger = new EscalationLogger(logs);
    const model = loadModel(base);
    for (const text of ['where is my parcel', 'faktura prosze', 'hello there']) logger.log({ text, decision: model.classify(text), outcome: 'not_shown' });
    logger.close();
    const reviewed = runCli(['review', '--model', current, '--logs', logs, '--data', data, '--out', join(workspace, 'review.csv'), '--json']);
    expect(reviewed.status).toBe(0);
    expect(oneObject(reviewed.stdout)).toMatchObject({ events: 3 });

    const retrained = runCli(['retrain', '--model', current, '--data', data, '--test', data, '--logs', logs, '--out', join(workspace, 'candidate'), '--json']);
    expect(retrained.status, retrained.stderr).toBe(0);
    expect(oneObject(retrained.stdout)).toHaveProperty('gate');

    const second = join(workspace, 'second');
    expect(train(second, '2').status).toBe(0);
    writeFileSync(join(workspace, 'gate.json'), '');
    runCli(['promote', '--candidate', second, '--current', current, '--test', data, '--json']);
    const rolled = runCli(['rollback', '--current', current, '--json']);
    if (rolled.status === 0) expect(oneObject(rolled.stdout)).toHaveProperty('version');
    else expect(rolled.stderr).toMatch(/nothing to roll back|no earlier version|only one version/);
  });
});
