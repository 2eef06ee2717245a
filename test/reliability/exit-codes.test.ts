import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeCsv } from '../helpers/fixtures.js';

/**
 * Issue "Nothing lost, nothing answered by accident", item 9: one exit-code rule for every
 * command — 0 ok, 1 the input or the environment is wrong, 2 the command line is wrong.
 */
describe('exit codes', () => {
  const workspace = temporaryDirectory();

  it.each([
    ['no command', [], 2],
    ['data without a subcommand', ['data'], 2],
    ['an unknown command', ['nonsense'], 2],
    ['an invalid option value', ['classify', '--threshold', '2', 'x'], 2],
    ['help', ['--help'], 0],
  ])('%s → %i', (_, args, code) => {
    expect(runCli(args as string[]).status).toBe(code);
  });

  it('bad or empty training data, a missing file and a plain folder as a store are 1', () => {
    const empty = writeCsv(join(workspace, 'empty.csv'), ['text', 'lang', 'intent'], []);
    const emptyRun = runCli(['train', '--data', empty, '--no-test', '--out', join(workspace, 'never')]);
    expect(emptyRun.status).toBe(1);
    expect(emptyRun.stderr).toMatch(/empty\.csv: no training examples/);
    const bad = writeCsv(join(workspace, 'bad.csv'), ['text', 'lang', 'intent'], [['hello', 'en', 'nonsense']]);
    expect(runCli(['train', '--data', bad, '--no-test', '--out', join(workspace, 'never')]).status).toBe(1);
    expect(runCli(['eval', '--data', join(workspace, 'missing.csv')]).status).toBe(1);
    const plain = join(workspace, 'plain');
    mkdirSync(plain);
    const rollback = runCli(['rollback', '--current', plain]);
    expect(rollback.status).toBe(1);
    expect(rollback.stderr).toMatch(/is not a version pointer/);
  });
});
