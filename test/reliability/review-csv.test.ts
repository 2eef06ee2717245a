import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReviewedFiles, writeReviewCsv, type ReviewItem } from '../../src/learning/review.js';
import { neutralizeSpreadsheetText, restoreSpreadsheetText } from '../../src/data/csv-write.js';
import { readCsvTable } from '../../src/data/csv.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

/** Issue "Nothing lost, nothing answered by accident", item 10: review.csv is safe to open in a spreadsheet. */
describe('buyer text in review.csv', () => {
  const hostile = ['=HYPERLINK("http://evil","click")', '+48 600 100 200 where is it', '-1 zł refund?', '@SUM(A1:A9)', '\tcmd', 'gdzie jest paczka'];

  it('starts no cell with a formula character, and reads back exactly as written', () => {
    const file = join(temporaryDirectory(), 'review.csv');
    const items = hostile.map((text) => ({ text, language: 'pl', count: 1, escalated: 0, notShown: 1, confidence: 0.5, margin: 0.1, guesses: [{ intent: 'delivery_status', confidence: 0.5 }] }) as unknown as ReviewItem);
    writeReviewCsv(file, items);
    const cells = readCsvTable(file, ['text']).rows.map((row) => row.values.text);
    for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    // A reviewer fills the label column; the texts come back as the buyers wrote them.
    const table = readCsvTable(file, ['text', 'lang', 'label']);
    const header = table.header;
    const labelled = [header.join(','), ...table.rows.map((row) => header.map((column) => {
      const value = column === 'label' ? 'delivery_status' : row.values[column];
      return /[",\r\n\t]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
    }).join(','))].join('\n');
    writeFileSync(file, `${labelled}\n`);
    const { reviewed } = readReviewedFiles([file], new Set(['delivery_status']), new Set(['pl']));
    expect(reviewed.map((row) => row.text)).toEqual(hostile.map((text) => text.trim()));
    expect(readFileSync(file, 'utf8')).toContain("'=HYPERLINK");
  });

  it('round-trips every text through neutralise and restore', () => {
    for (const text of [...hostile, "'already quoted", "'=odd", '']) {
      expect(restoreSpreadsheetText(neutralizeSpreadsheetText(text))).toBe(text);
    }
  });
});
