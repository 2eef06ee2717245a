import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeCsv } from '../helpers/fixtures.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** Issue "Nothing lost, nothing answered by accident", item 12: outputs can be matched to inputs. */
describe('allina classify input and output', () => {
  it('gives one decision per input line, blank lines included, in order', () => {
    const lines = ['gdzie jest moja paczka', '', 'kdy dorazí balík', '   ', 'hol van a csomagom'];
    const result = spawnSync(process.execPath, [CLI, 'classify', '--json'], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const decisions = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(decisions.map((decision) => decision.text)).toEqual(lines);
    expect(decisions[1]).toMatchObject({ reason: 'empty_input', answer: false });
    expect(decisions[3]).toMatchObject({ reason: 'empty_input', answer: false });
  });

  it('copies a CSV id column into each decision', () => {
    const file = writeCsv(join(temporaryDirectory(), 'questions.csv'), ['id', 'text'], [['A-1', 'gdzie jest moja paczka'], ['B-2', '']]);
    const result = runCli(['classify', '--json', '--input', file]);
    expect(result.status).toBe(0);
    const decisions = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(decisions.map((decision) => decision.id)).toEqual(['A-1', 'B-2']);
    expect(decisions[1].reason).toBe('empty_input');
  });

  it('escapes control characters and escape sequences in the table', () => {
    const result = runCli(['classify', '\u001b[2Jgdzie\u0007 paczka']);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(result.stdout).toContain('\\x1b[2Jgdzie\\x07 paczka');
  });
});
