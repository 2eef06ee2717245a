import { hashTerms, type TermSettings } from './features.js';

/** A sparse row: column indices (ascending) and values. */
export interface SparseRow {
  columns: Int32Array;
  values: Float32Array;
}

/** Rows in compressed sparse row form. */
export interface SparseMatrix {
  rows: number;
  columns: number;
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** A fitted TF-IDF weighting over hashed terms: which buckets are columns, and their idf. */
export interface TfidfModel {
  settings: TermSettings;
  /** bucket → column, or -1 for a term too rare to be a column. */
  columnOf: Int32Array;
  idf: Float32Array;
  /** Hashed bucket of each column, for reading components back as terms. */
  bucketOfColumn: Int32Array;
  /** Share of a row's squared norm given to whole words (the rest goes to character n-grams). */
  wordWeight: number;
}

/**
 * Fits document frequencies on `documents` (tokenised questions) and keeps terms that occur in
 * at least `minDf` of them. IDF is the smoothed ln((1 + n) / (1 + df)) + 1.
 */
export function fitTfidf(documents: readonly string[][], settings: TermSettings, options: { minDf: number; wordWeight: number }): TfidfModel {
  const df = new Int32Array(settings.buckets);
  const isWord = new Uint8Array(settings.buckets);
  for (const words of documents) {
    const hashed = hashTerms(words, settings);
    forEachDistinct(hashed.words, (bucket) => {
      df[bucket]++;
      isWord[bucket] = 1;
    });
    forEachDistinct(hashed.chars, (bucket) => df[bucket]++);
  }
  const columnOf = new Int32Array(settings.buckets).fill(-1);
  const buckets: number[] = [];
  for (let bucket = 0; bucket < settings.buckets; bucket++) {
    if (df[bucket] >= options.minDf) {
      columnOf[bucket] = buckets.length;
      buckets.push(bucket);
    }
  }
  const idf = new Float32Array(buckets.length);
  buckets.forEach((bucket, column) => (idf[column] = Math.log((1 + documents.length) / (1 + df[bucket])) + 1));
  return { settings, columnOf, idf, bucketOfColumn: Int32Array.from(buckets), wordWeight: options.wordWeight };
}

function forEachDistinct(sorted: Uint32Array, visit: (bucket: number) => void): void {
  for (let index = 0; index < sorted.length; index++) if (index === 0 || sorted[index] !== sorted[index - 1]) visit(sorted[index]);
}

/**
 * One question's TF-IDF row: sublinear tf (1 + ln tf) × idf, each block (words, character
 * n-grams) L2-normalised and weighted so the row has unit norm. An empty row (no known term)
 * has no columns.
 */
export function tfidfRow(model: TfidfModel, words: readonly string[]): SparseRow {
  const hashed = hashTerms(words, model.settings);
  const wordPart = weightBlock(model, hashed.words);
  const charPart = weightBlock(model, hashed.chars);
  const wordScale = wordPart.norm > 0 ? Math.sqrt(charPart.norm > 0 ? model.wordWeight : 1) / wordPart.norm : 0;
  const charScale = charPart.norm > 0 ? Math.sqrt(wordPart.norm > 0 ? 1 - model.wordWeight : 1) / charPart.norm : 0;
  const size = wordPart.columns.length + charPart.columns.length;
  const pairs: [number, number][] = [];
  for (let index = 0; index < wordPart.columns.length; index++) pairs.push([wordPart.columns[index], wordPart.values[index] * wordScale]);
  for (let index = 0; index < charPart.columns.length; index++) pairs.push([charPart.columns[index], charPart.values[index] * charScale]);
  pairs.sort((a, b) => a[0] - b[0]);
  const columns = new Int32Array(size);
  const values = new Float32Array(size);
  // A word bucket and a character bucket may collide in the hash space: add them up.
  let length = 0;
  for (const [column, value] of pairs) {
    if (length > 0 && columns[length - 1] === column) values[length - 1] += value;
    else {
      columns[length] = column;
      values[length] = value;
      length++;
    }
  }
  return { columns: columns.subarray(0, length), values: values.subarray(0, length) };
}

function weightBlock(model: TfidfModel, sorted: Uint32Array): { columns: number[]; values: number[]; norm: number } {
  const columns: number[] = [];
  const values: number[] = [];
  let squares = 0;
  let index = 0;
  while (index < sorted.length) {
    let end = index + 1;
    while (end < sorted.length && sorted[end] === sorted[index]) end++;
    const column = model.columnOf[sorted[index]];
    if (column >= 0) {
      const value = (1 + Math.log(end - index)) * model.idf[column];
      columns.push(column);
      values.push(value);
      squares += value * value;
    }
    index = end;
  }
  return { columns, values, norm: Math.sqrt(squares) };
}

/** Stacks rows into a CSR matrix. */
export function toSparseMatrix(rows: readonly SparseRow[], columns: number): SparseMatrix {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((row, index) => (offsets[index + 1] = offsets[index] + row.columns.length));
  const indices = new Int32Array(offsets[rows.length]);
  const values = new Float32Array(offsets[rows.length]);
  rows.forEach((row, index) => {
    indices.set(row.columns, offsets[index]);
    values.set(row.values, offsets[index]);
  });
  return { rows: rows.length, columns, offsets, indices, values };
}
