import { writeFileAtomic } from '../util/atomic-write.js';

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Formats rows as RFC 4180 CSV (quoted only where needed), with a trailing newline. */
export function formatCsv(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** Writes a CSV file atomically (temporary file, then rename). */
export function writeCsvFile(file: string, header: string[], rows: (string | number)[][]): void {
  writeFileAtomic(file, formatCsv(header, rows));
}
