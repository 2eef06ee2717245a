import { hashTerms, type TermSettings } from './features.js';

/** A sparse row: column indices and values. */
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
 * has no columns. A column can appear twice (a word and an n-gram hashed to the same bucket);
 * every consumer adds entries up, so that is the same as one summed entry.
 */
export function tfidfRow(model: TfidfModel, words: readonly string[]): SparseRow {
  const hashed = hashTerms(words, model.settings);
  const columns = new Int32Array(hashed.words.length + hashed.chars.length);
  const values = new Float32Array(columns.length);
  const wordEnd = weightBlock(model, hashed.words, columns, values, 0);
  const charEnd = weightBlock(model, hashed.chars, columns, values, wordEnd);
  const wordNorm = blockNorm(values, 0, wordEnd);
  const charNorm = blockNorm(values, wordEnd, charEnd);
  const wordScale = wordNorm > 0 ? Math.sqrt(charNorm > 0 ? model.wordWeight : 1) / wordNorm : 0;
  const charScale = charNorm > 0 ? Math.sqrt(wordNorm > 0 ? 1 - model.wordWeight : 1) / charNorm : 0;
  // Entries whose weight is zero (a block weighted 0) are dropped.
  let length = 0;
  for (let index = 0; index < charEnd; index++) {
    const value = values[index] * (index < wordEnd ? wordScale : charScale);
    if (value === 0) continue;
    columns[length] = columns[index];
    values[length] = value;
    length++;
  }
  return { columns: columns.subarray(0, length), values: values.subarray(0, length) };
}

function blockNorm(values: Float32Array, start: number, end: number): number {
  let squares = 0;
  for (let index = start; index < end; index++) squares += values[index] * values[index];
  return Math.sqrt(squares);
}

/** Writes the weighted known terms of one sorted block from `start`; returns where it ended. */
function weightBlock(model: TfidfModel, sorted: Uint32Array, columns: Int32Array, values: Float32Array, start: number): number {
  let next = start;
  let index = 0;
  while (index < sorted.length) {
    let end = index + 1;
    while (end < sorted.length && sorted[end] === sorted[index]) end++;
    const column = model.columnOf[sorted[index]];
    if (column >= 0) {
      columns[next] = column;
      values[next] = (1 + Math.log(end - index)) * model.idf[column];
      next++;
    }
    index = end;
  }
  return next;
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
