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
  const { examples, problems } = readLabelledCsvRows(file);
  if (problems.length) throw problems[0];
  return examples;
}

/**
 * Reads labelled data like {@link readLabelledCsv} but keeps going past bad rows: every bad row
 * becomes a DataError in `problems` (file-level problems — unreadable, malformed CSV, missing
 * columns — still throw). For tools that report all problems at once, such as `data check`.
 */
export function readLabelledCsvRows(file: string): { examples: LabelledExample[]; problems: DataError[] } {
  const table = readCsvTable(file, ['text', 'lang', 'intent']);
  const taxonomy = loadTaxonomy();
  const intents = new Set(intentLabels(taxonomy));
  const languages = new Set([...taxonomy.languages, ...taxonomy.unsupportedLanguages]);
  const examples: LabelledExample[] = [];
  const problems: DataError[] = [];
  for (const { line, values } of table.rows) {
    const text = values.text.trim();
    const lang = values.lang.trim();
    const intent = values.intent.trim();
    let problem: string | undefined;
    if (text === '') problem = 'empty text';
    else if (text.length > MAX_TEXT_LENGTH) problem = `text is ${text.length} characters (limit ${MAX_TEXT_LENGTH})`;
    else if (!languages.has(lang)) problem = `unknown language '${lang}' (answered: ${taxonomy.languages.join(', ')}; unsupported: ${taxonomy.unsupportedLanguages.join(', ')})`;
    else if (!intents.has(intent)) problem = `unknown intent '${intent}' (known: ${[...intents].join(', ')})`;
    if (problem) {
      problems.push(new DataError(file, line, problem));
      continue;
    }
    const example: LabelledExample = { text, lang, intent, file, row: line };
    if (values.source) example.source = values.source.trim();
    if (values.kind) example.kind = values.kind.trim();
    examples.push(example);
  }
  return { examples, problems };
}

/** Reads several labelled CSV files (or every *.csv in the given directories) in order. */
export function readLabelledData(paths: string[]): LabelledExample[] {
  return expandCsvPaths(paths).flatMap((file) => readLabelledCsv(file));
}

/** Expands directories to the sorted list of `*.csv` files inside them. */
export function expandCsvPaths(paths: string[]): string[] {
  return expandPaths(paths, '.csv');
}
