import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
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

/** `allina train` and `allina retrain` as users run them: what they print while and after training. */
describe('allina train through the CLI', () => {
  const workspace = temporaryDirectory();
  const data = writeTinyDataset(workspace);

  it('prints progress on stderr and a summary with the dev split and the calibration on stdout', () => {
    const result = runCli(['train', '--data', data, '--no-test', '--out', join(workspace, 'summary'), '--seed', '5', '--epochs', '25']);
    expect(result.stderr).toContain('trained in');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/dev\s+\d+/);
    expect(result.stdout).toContain('temperature');
  });

  // Issue "Nothing lost, nothing answered by accident", items 5 and 9: progress people and cron logs can read.
  it('prints one plain line per epoch when stderr is not a terminal, with no escape codes', () => {
    const result = runCli(['train', '--data', data, '--no-test', '--no-tune', '--epochs', '3', '--out', join(workspace, 'progress')]);
    expect(result.status).toBe(0);
    const epochs = result.stderr.split('\n').filter((line) => line.startsWith('epoch '));
    expect(epochs.length).toBeGreaterThanOrEqual(2);
    expect(epochs[0]).toMatch(/^epoch 1\/3 {2}loss [\d.]+ {2}dev accuracy [\d.]+% {2}\([\d.]+ s\/epoch, ETA ≤ \d+ s\)$/);
    expect(result.stderr).not.toMatch(/\u001b/);
    expect(result.stderr).toMatch(/^✔ trained in /m);
  });

  // Issue "Nothing lost, nothing answered by accident", item 1: only --force replaces a model.
  it('replaces a model with --force, atomically, leaving no temporary files', () => {
    const model = join(workspace, 'model');
    const train = (...extra: string[]) => runCli(['train', '--data', data, '--no-test', '--no-tune', '--epochs', '2', '--out', model, ...extra]);
    expect(train().status).toBe(0);
    const before = readFileSync(join(model, 'allina.json'), 'utf8');
    expect(train().status).toBe(1);
    expect(readFileSync(join(model, 'allina.json'), 'utf8')).toBe(before);
    expect(train('--force', '--seed', '9').status).toBe(0);
    expect(readFileSync(join(model, 'allina.json'), 'utf8')).not.toBe(before);
    expect(readdirSync(workspace).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  // Issue "Nothing lost, nothing answered by accident", item 14: --json on every command.
  it('train --json and retrain --json print one JSON object each', () => {
    const trained = runCli(['train', '--data', data, '--no-test', '--no-tune', '--epochs', '3', '--seed', '1', '--out', join(workspace, 'json'), '--json']);
    expect(trained.status).toBe(0);
    expect(oneObject(trained.stdout)).toMatchObject({ format: 'allina-intent-model' });

    const current = join(workspace, 'live', 'current');
    expect(runCli(['promote', '--candidate', writeHandMadeModel().directory, '--current', current]).status).toBe(0);
    const logs = join(workspace, 'logs', 'web1.jsonl');
    const logger = new EscalationLogger(logs);
    const model = loadModel(current);
    for (const text of ['where is my parcel', 'faktura prosze', 'hello there']) logger.log({ text, decision: model.classify(text), outcome: 'not_shown' });
    logger.close();
    const retrained = runCli(['retrain', '--model', current, '--data', data, '--test', data, '--logs', logs, '--out', join(workspace, 'candidate'), '--json']);
    expect(retrained.status, retrained.stderr).toBe(0);
    expect(oneObject(retrained.stdout)).toHaveProperty('gate');
  });
});
