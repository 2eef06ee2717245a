import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forEachCsvRow } from '../../src/logs/csv-stream.js';
import { readReviewedStream } from '../../src/logs/reviewed-stream.js';
import { readReviewedFiles } from '../../src/learning/review.js';
import type { SkippedLine } from '../../src/learning/events.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

const INTENTS = new Set(['delivery_status', 'payment_retry', 'other']);
const LANGUAGES = new Set(['pl', 'hu', 'en']);

describe('streaming CSV reader', () => {
  it('gives each row with the line it starts on, and skips rows that are not UTF-8 or have the wrong number of fields', async () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeFileSync(file, Buffer.concat([
      Buffer.from('\ufefftext,lang,label\n'),
      Buffer.from('gdzie paczka,pl,delivery_status\n'),
      Buffer.from('"two\nlines",en,other\n'),
      Buffer.from('bad '), Buffer.from([0xc3, 0x28]), Buffer.from(',hu,other\n'),
      Buffer.from('too,many,fields,here\n'),
      Buffer.from('\n'),
      Buffer.from('last,en,'),
    ]));
    const rows: [number, Record<string, string>][] = [];
    const skipped: SkippedLine[] = [];
    await forEachCsvRow(file, ['text', 'lang', 'label'], (values, line) => rows.push([line, values]), (bad) => skipped.push(bad));
    expect(rows).toEqual([
      [2, { text: 'gdzie paczka', lang: 'pl', label: 'delivery_status' }],
      [3, { text: 'two\nlines', lang: 'en', label: 'other' }],
      [8, { text: 'last', lang: 'en', label: '' }],
    ]);
    expect(skipped).toEqual([
      { file, line: 5, problem: 'not valid UTF-8' },
      { file, line: 6, problem: 'expected 3 fields, found 4' },
    ]);
  });

  it('names the file and line of a missing column or an unclosed quote', async () => {
    const directory = temporaryDirectory();
    const missing = join(directory, 'missing.csv');
    writeFileSync(missing, 'text,lang\nx,pl\n');
    await expect(forEachCsvRow(missing, ['text', 'lang', 'label'], () => {}, () => {})).rejects.toThrow(`${missing}:1: missing column 'label'`);
    const unclosed = join(directory, 'unclosed.csv');
    writeFileSync(unclosed, 'text,lang,label\n"never closed,pl,other\n');
    await expect(forEachCsvRow(unclosed, ['text'], () => {}, () => {})).rejects.toThrow(/unclosed\.csv:\d+: malformed CSV/);
    await expect(forEachCsvRow(join(directory, 'none.csv'), ['text'], () => {}, () => {})).rejects.toThrow(/none\.csv: cannot read file \(ENOENT\)/);
  });

  it('reads reviewed files exactly as the whole-file reader does', async () => {
    const file = join(temporaryDirectory(), 'reviewed.csv');
    writeFileSync(file, "text,lang,count,label\n'=SUM(A1),en,1,other\nnem ment át a fizetés,hu,3,payment_retry\nmikor jön,hu,1,\nszámla?,hu,1,invoice\n,en,1,other\n");
    const streamed = await readReviewedStream([file], INTENTS, LANGUAGES);
    expect(streamed).toEqual(readReviewedFiles([file], INTENTS, LANGUAGES));
    expect(streamed.reviewed.map((row) => row.text)).toEqual(['=SUM(A1)', 'nem ment át a fizetés']);
    expect(streamed.skipped.map((row) => row.line)).toEqual([5, 6]);
  });
});
