import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataError } from '../util/errors.js';
import { expandPaths } from '../util/expand-paths.js';
import { intentLabels, loadTaxonomy } from './taxonomy.js';

/** Longest message accepted in labelled data; longer rows are almost always pasting accidents. */
export const MAX_TEXT_LENGTH = 1000;

/** One labelled buyer question. */
export interface LabelledExample {
  text: string;
  lang: string;
  intent: string;
  /** Optional batch / writer name from the `source` column. */
  source?: string;
  /** Optional sub-kind from the `kind` column (open-world splits: other_business, fragment, …). */
  kind?: string;
  /** Where it came from, for error messages: file and 1-based line of the row. */
  file: string;
  row: number;
}

/** A CSV file as header + rows of strings, each row with its 1-based line number. */
export interface CsvTable {
  file: string;
  header: string[];
  rows: { line: number; values: Record<string, string> }[];
}

/** Decodes UTF-8 strictly; invalid bytes are reported with the line they are on. */
export function readUtf8File(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new DataError(file, undefined, `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    let lineStart = 0;
    for (let index = 0; index <= bytes.length; index++) {
      if (index === bytes.length || bytes[index] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(lineStart, index));
        } catch {
          break;
        }
        line++;
        lineStart = index + 1;
      }
    }
    throw new DataError(file, line, 'is not valid UTF-8 (save the file as UTF-8)');
  }
}

/**
 * Reads a CSV file with a header row. Fails with one line naming file and row on malformed
 * CSV, a duplicated or missing required column.
 */
export function readCsvTable(file: string, requiredColumns: string[]): CsvTable {
  const content = readUtf8File(file);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, info: true, relax_column_count: false }) as unknown as typeof records;
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    const reason = (error as Error).message.split('\n')[0].replace(/^Invalid Record Length: /, '');
    throw new DataError(file, lines, `malformed CSV: ${reason}`);
  }
  if (records.length === 0) throw new DataError(file, undefined, 'is empty (expected a header row)');
  const header = records[0].record.map((column) => column.trim());
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) throw new DataError(file, 1, `duplicated column '${column}' in the header`);
    seen.add(column);
  }
  for (const column of requiredColumns) {
    if (!seen.has(column)) {
      throw new DataError(file, 1, `missing column '${column}' (header is: ${header.join(',')}; expected ${requiredColumns.join(',')})`);
    }
  }
  const rows = records.slice(1).map(({ record, info }) => {
    const values: Record<string, string> = {};
    header.forEach((column, index) => (values[column] = record[index] ?? ''));
    return { line: info.lines, values };
  });
  return { file, header, rows };
}

/**
 * Reads labelled training / evaluation data: a CSV with `text`, `lang`, `intent` columns
 * (others allowed, `source` kept). Every row is validated; the first problem stops the read.
 *
 * @example
 * const examples = readLabelledCsv('data/test/pl.csv');
 */
export function readLabelledCsv(file: string): LabelledExample[] {
  const table = readCsvTable(file, ['text', 'lang', 'intent']);
  const taxonomy = loadTaxonomy();
  const intents = new Set(intentLabels(taxonomy));
  const languages = new Set([...taxonomy.languages, ...taxonomy.unsupportedLanguages]);
  return table.rows.map(({ line, values }) => {
    const text = values.text.trim();
    const lang = values.lang.trim();
    const intent = values.intent.trim();
    if (text === '') throw new DataError(file, line, 'empty text');
    if (text.length > MAX_TEXT_LENGTH) throw new DataError(file, line, `text is ${text.length} characters (limit ${MAX_TEXT_LENGTH})`);
    if (!languages.has(lang)) throw new DataError(file, line, `unknown language '${lang}' (answered: ${taxonomy.languages.join(', ')}; unsupported: ${taxonomy.unsupportedLanguages.join(', ')})`);
    if (!intents.has(intent)) throw new DataError(file, line, `unknown intent '${intent}' (known: ${[...intents].join(', ')})`);
    const example: LabelledExample = { text, lang, intent, file, row: line };
    if (values.source) example.source = values.source.trim();
    if (values.kind) example.kind = values.kind.trim();
    return example;
  });
}

/** Reads several labelled CSV files (or every *.csv in the given directories) in order. */
export function readLabelledData(paths: string[]): LabelledExample[] {
  return expandCsvPaths(paths).flatMap((file) => readLabelledCsv(file));
}

/** Expands directories to the sorted list of `*.csv` files inside them. */
export function expandCsvPaths(paths: string[]): string[] {
  return expandPaths(paths, '.csv');
}
