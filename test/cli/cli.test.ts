import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeCsv, writeTinyDataset } from '../helpers/fixtures.js';
import { writeHandMadeModel } from '../helpers/hand-made-model.js';

/** One clear line on stderr naming what went wrong. */
function expectOneLineError(result: { status: number; stderr: string }, status: number, pattern: RegExp): void {
  expect(result.status).toBe(status);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

describe('allina CLI', () => {
  let workspace: string;
  let model: string;
  let data: string;

  // A hand-made model: these tests are about the CLI, not training (test/train/cli-train.test.ts trains).
  beforeAll(() => {
    workspace = temporaryDirectory();
    data = writeTinyDataset(workspace);
    model = writeHandMadeModel({ directory: join(workspace, 'model') }).directory;
  });

  it('classifies arguments into a readable table', () => {
    const result = runCli(['classify', '--model', model, 'where is my parcel?', 'proszę o fakturę']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/question\s+intent\s+confidence\s+lang\s+familiar\s+answer\s+reason/);
    expect(result.stdout).toContain('delivery_status');
    expect(result.stdout).toContain('invoice_request');
  });

  it('writes one JSON decision per line in input order, from standard input', () => {
    const result = runCli(['classify', '--model', model, '--json'], 'where is my parcel\n\nproszę o fakturę\n');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    // Every line gets a decision, the blank one too, so outputs line up with inputs.
    expect(lines.map((line) => line.text)).toEqual(['where is my parcel', '', 'proszę o fakturę']);
    expect(lines[1]).toMatchObject({ reason: 'empty_input', answer: false });
    expect(Object.keys(lines[0]).sort()).toEqual(['alternatives', 'answer', 'confidence', 'familiarity', 'intent', 'intentFamiliarity', 'language', 'languageConfidence', 'modelVersion', 'reason', 'text', 'wordFamiliarity'].sort());
    expect(lines[2]).toMatchObject({ intent: 'invoice_request', answer: false, reason: expect.stringMatching(/unsupported_intent|low_confidence|ambiguous|unfamiliar/) });
  });

  it('reads --input from CSV (text column) and from a text file', () => {
    const csv = writeCsv(join(workspace, 'questions.csv'), ['id', 'text'], [['1', 'gdzie jest moja paczka'], ['2', 'hello']]);
    const txt = join(workspace, 'questions.txt');
    writeFileSync(txt, 'gdzie jest moja paczka\nhello\n');
    for (const file of [csv, txt]) {
      const result = runCli(['classify', '--model', model, '--input', file, '--json']);
      expect(result.status).toBe(0);
      expect(result.stdout.trim().split('\n').map((line) => JSON.parse(line).intent)).toEqual(['delivery_status', 'other']);
    }
  });

  it('applies run-time policy options: --disabled, --threshold, --answerable', () => {
    const disabled = JSON.parse(runCli(['classify', '--model', model, '--json', '--disabled', 'where is my parcel']).stdout);
    expect(disabled).toMatchObject({ answer: false, reason: 'disabled' });
    const loose = JSON.parse(runCli(['classify', '--model', model, '--json', '--threshold', '0', '--margin', '0', 'my parcel invoice']).stdout);
    expect(loose.confidence).toBeLessThan(1);
    const above = String(Math.min(1, loose.confidence + 1e-6));
    const strict = JSON.parse(runCli(['classify', '--model', model, '--json', '--threshold', above, '--margin', '0', 'my parcel invoice']).stdout);
    expect(strict).toMatchObject({ answer: false, reason: loose.intent === 'other' ? 'out_of_scope' : 'low_confidence' });
    const invoices = JSON.parse(runCli(['classify', '--model', model, '--json', '--threshold', '0', '--margin', '0', '--answerable', 'invoice_request', 'send me the invoice']).stdout);
    expect(invoices).toMatchObject({ intent: 'invoice_request', answer: true, reason: 'answerable' });
    const empty = JSON.parse(runCli(['classify', '--model', model, '--json', '?!']).stdout);
    expect(empty).toMatchObject({ intent: null, answer: false, reason: 'empty_input' });
  });

  it('evaluates with a table and with --json', () => {
    const table = runCli(['eval', '--model', model, '--data', data]);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('macro-F1');
    expect(table.stdout).toContain('risk–coverage');
    const report = JSON.parse(runCli(['eval', '--model', model, '--data', data, '--json']).stdout);
    expect(report.accuracy).toBeGreaterThan(0.9);
    expect(report.perLanguage.pl.macroF1).toBeGreaterThan(0.85);
    expect(report.abstention.otherAnswerRate).toBe(0);
    expect(report.confusion.matrix).toHaveLength(11);
    expect(report.riskCoverage.length).toBeGreaterThan(5);
  });

  describe('bad input: one line naming the file and row, non-zero exit, nothing written', () => {
    const bad = (name: string, content: string | Buffer) => {
      const file = join(workspace, name);
      writeFileSync(file, content);
      return file;
    };

    it.each([
      ['unknown intent', 'text,lang,intent\nhello,en,greeting\n', /bad1\.csv:2: unknown intent 'greeting'/],
      ['unknown language', 'text,lang,intent\nhello,xx,other\n', /bad2\.csv:2: unknown language 'xx'/],
      ['missing column', 'text,intent\nhello,other\n', /bad3\.csv:1: missing column 'lang'/],
      ['empty text', 'text,lang,intent\nhello,en,other\n"  ",en,other\n', /bad4\.csv:3: empty text/],
      ['duplicated header', 'text,lang,intent,text\nhello,en,other,x\n', /bad5\.csv:1: duplicated column 'text'/],
      ['non-UTF-8 bytes', Buffer.concat([Buffer.from('text,lang,intent\nhello,en,other\nza\u0142,pl,other\n'.replace('\u0142', '')), Buffer.from([0xb3, 0x0a])]), /bad6\.csv:4: is not valid UTF-8/],
      ['malformed CSV', 'text,lang,intent\n"unclosed,en,other\n', /bad7\.csv:\d+: malformed CSV/],
    ])('train rejects %s', (_, content, message) => {
      const index = ['unknown intent', 'unknown language', 'missing column', 'empty text', 'duplicated header', 'non-UTF-8 bytes', 'malformed CSV'].indexOf(_) + 1;
      const file = bad(`bad${index}.csv`, content);
      const out = join(workspace, `never-${index}`);
      const result = runCli(['train', '--data', file, '--no-test', '--out', out]);
      expectOneLineError({ status: result.status, stderr: result.stderr.split('\n').filter((line) => line.startsWith('allina:')).join('\n') }, 1, message);
      expect(existsSync(out)).toBe(false);
    });

    it('eval and classify report a missing file and a corrupt model', () => {
      expectOneLineError(runCli(['eval', '--model', model, '--data', join(workspace, 'nope.csv')]), 1, /nope\.csv: no such file/);
      expectOneLineError(runCli(['classify', '--model', model, '--input', join(workspace, 'nope.txt')]), 1, /nope\.txt: cannot read file/);
      const corrupt = writeHandMadeModel({ directory: join(workspace, 'corrupt') }).directory;
      writeFileSync(join(corrupt, 'weights.bin'), 'garbage');
      expectOneLineError(runCli(['classify', '--model', corrupt, 'hello']), 1, /weights\.bin is 7 bytes, expected/);
      expectOneLineError(runCli(['classify', '--model', join(workspace, 'no-model'), 'hello']), 1, /no such model directory/);
    });

    it('usage errors exit with 2', () => {
      expect(runCli(['classify', '--model', model, '--threshold', 'high', 'x']).status).toBe(2);
      expect(runCli(['train', '--epochs', '0']).status).toBe(2);
      expect(runCli(['frobnicate']).status).toBe(2);
      expectOneLineError(runCli(['classify', '--model', model, '--answerable', 'refunds', 'x']), 2, /unknown intent 'refunds'/);
    });

    it('a failed training run leaves the previous model in place', () => {
      const before = readFileSync(join(model, 'allina.json'), 'utf8');
      const result = runCli(['train', '--data', bad('bad-late.csv', 'text,lang,intent\nhello,en,other\nbye,en,nonsense\n'), '--no-test', '--out', model, '--force']);
      expect(result.status).toBe(1);
      expect(readFileSync(join(model, 'allina.json'), 'utf8')).toBe(before);
    });
  });

  it('prints help that teaches, with examples', () => {
    for (const command of [[], ['train'], ['eval'], ['classify'], ['data', 'check']]) {
      const result = runCli([...command, '--help']);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('Usage: allina');
    }
    expect(runCli(['classify', '--help']).stdout).toContain('Examples:');
  });
});
