/**
 * Removes the duplicates `allina data check` reports, so the corpus passes it:
 * - a train row that duplicates (exactly or nearly) a test row is removed from train — the
 *   test split was written separately and stays as written;
 * - of two duplicates inside one split, the later row is removed.
 * Files are rewritten atomically with their original columns. Run after adding corpus rows:
 *
 *   npm run build && node dist/scripts/remove-duplicates.js [--dry-run]
 */
import { readCsvTable } from '../src/data/csv.js';
import { writeCsvFile } from '../src/data/csv-write.js';
import { checkCorpus } from '../src/data/check.js';
import type { LabelledExample } from '../src/data/csv.js';
import { defaultPaths } from '../src/cli/options.js';

const dryRun = process.argv.includes('--dry-run');
const report = checkCorpus([defaultPaths.trainData], [defaultPaths.testData]);
const isTest = (row: LabelledExample) => row.file.startsWith(defaultPaths.testData);
const position = (row: LabelledExample) => `${row.file}:${String(row.row).padStart(8, '0')}`;

const removed = new Map<string, Set<number>>();
const removedRows: LabelledExample[] = [];
const isRemoved = (row: LabelledExample) => removed.get(row.file)?.has(row.row) ?? false;
for (const { first, second } of report.duplicates) {
  if (isRemoved(first) || isRemoved(second)) continue;
  let victim: LabelledExample;
  if (isTest(first) !== isTest(second)) victim = isTest(first) ? second : first;
  else victim = position(first) < position(second) ? second : first;
  if (!removed.has(victim.file)) removed.set(victim.file, new Set());
  removed.get(victim.file)!.add(victim.row);
  removedRows.push(victim);
}

for (const row of removedRows) process.stdout.write(`remove ${row.file}:${row.row} ${row.lang}/${row.intent} "${row.text}"\n`);
if (!dryRun) {
  for (const [file, lines] of removed) {
    const table = readCsvTable(file, ['text', 'lang', 'intent']);
    const kept = table.rows.filter((row) => !lines.has(row.line)).map((row) => table.header.map((column) => row.values[column] ?? ''));
    writeCsvFile(file, table.header, kept);
  }
}
process.stdout.write(`${dryRun ? 'would remove' : 'removed'} ${removedRows.length} rows from ${removed.size} files\n`);
