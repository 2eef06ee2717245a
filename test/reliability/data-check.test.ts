import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeCsv } from '../helpers/fixtures.js';

/** Issue "Nothing lost, nothing answered by accident", item 7: `data check` reports everything, every time. */
describe('allina data check', () => {
  const workspace = temporaryDirectory();
  const train = writeCsv(join(workspace, 'train.csv'), ['text', 'lang', 'intent'], [
    ['gdzie jest moja paczka', 'pl', 'delivery_status'],
    ['hello', 'en', 'greeting'],
    ['kiedy wysyłka do Niemiec', 'pl', 'delivery_options'],
    ['   ', 'pl', 'other'],
    ['dzień dobry', 'pl', 'other'],
  ]);
  const test = writeCsv(join(workspace, 'test.csv'), ['text', 'lang', 'intent'], [['czy mogę zapłacić jeszcze raz', 'pl', 'payment_retry']]);

  it('lists every bad row and still prints the counts table', () => {
    const result = runCli(['data', 'check', '--train', train, '--test', test, '--min-per-intent', '0', '--min-other', '0']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/intent \(train\+test\)\s+pl/);
    expect(result.stdout).toContain("problem: " + train + ":3: unknown intent 'greeting'");
    expect(result.stdout).toContain(`problem: ${train}:5: empty text`);
    expect(result.stderr).toMatch(/data check failed: 2 problem\(s\)/);
  });

  it('takes minimums and a problem limit, and refuses values that are not numbers', () => {
    const limited = runCli(['data', 'check', '--train', train, '--test', test, '--min-per-intent', '1', '--min-other', '1', '--max-problems', '1']);
    expect(limited.status).toBe(1);
    expect(limited.stdout.match(/^problem: /gm)).toHaveLength(1);
    expect(limited.stdout).toMatch(/… and \d+ more problems/);
    for (const value of ['abc', '-1', '']) expect(runCli(['data', 'check', '--max-problems', value]).status, value).toBe(2);
    const none = runCli(['data', 'check', '--train', train, '--test', test, '--max-problems', '0', '--min-per-intent', '0', '--min-other', '0']);
    expect(none.stdout).not.toMatch(/^problem: /m);
  });

  it('passes a small clean corpus with small minimums, and prints one JSON object with --json', () => {
    const clean = writeCsv(join(workspace, 'clean.csv'), ['text', 'lang', 'intent'], [['gdzie jest moja paczka', 'pl', 'delivery_status'], ['dzień dobry', 'pl', 'other']]);
    const result = runCli(['data', 'check', '--train', clean, '--test', test, '--min-per-intent', '0', '--min-other', '0', '--json']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ passed: true, totals: { train: 2, test: 1 }, problems: [] });
  });
});
