import { writeFileAtomic } from '../util/atomic-write.js';

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// Cells a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @ tab, carriage
// return; and text that already starts with apostrophes before one, so that restoring is exact.
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Makes buyer text safe to open in a spreadsheet: a cell that starts like a formula gets a
 * leading apostrophe, which spreadsheets show as text. {@link restoreSpreadsheetText} undoes it.
 *
 * @example
 * neutralizeSpreadsheetText('=HYPERLINK("http://x")') // → "'=HYPERLINK(\"http://x\")"
 */
export function neutralizeSpreadsheetText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Reverses {@link neutralizeSpreadsheetText} when reading a file it wrote. */
export function restoreSpreadsheetText(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/** Formats rows as RFC 4180 CSV (quoted only where needed), with a trailing newline. */
export function formatCsv(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** Writes a CSV file atomically (temporary file, then rename). */
export function writeCsvFile(file: string, header: string[], rows: (string | number)[][]): void {
  writeFileAtomic(file, formatCsv(header, rows));
}
