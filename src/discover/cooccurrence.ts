import { projectRow, randomizedSvd } from './svd.js';
import { scaleToLength } from './vectors.js';
import { isConceptToken } from './lexicon.js';

/**
 * Word vectors from co-occurrence inside questions (PPMI → truncated SVD, Levy & Goldberg 2014),
 * fitted on the sample questions themselves (no labels, nothing downloaded). Words that are
 * asked about in the same company ("broken", "defective", "warranty") get close vectors even
 * when two questions share no word, which character n-grams cannot see.
 */
export interface WordVectors {
  /** word → row of `vectors`. */
  index: Map<string, number>;
  /** words × dimension, row-major, unit rows. */
  vectors: Float32Array;
  dimension: number;
  /** Each word's weight in a question's sum: ln(n / df) in the sample, times `conceptWeight` for a concept token. */
  weight: Float32Array;
}

export interface CooccurrenceSettings {
  /** Words in fewer sample questions than this get no vector. */
  minCount: number;
  rank: number;
  /** Context distribution smoothing exponent. */
  contextPower: number;
  /** Singular-value weighting of the word vectors (U Σ^p). */
  eigenPower: number;
  /**
   * How many times its idf a concept token of the lexicon (`<=invoice>`) counts in a question's
   * sum: more than a word, because it is what the question shares with other languages.
   */
  conceptWeight: number;
}

export const DEFAULT_COOCCURRENCE: CooccurrenceSettings = { minCount: 2, rank: 100, contextPower: 0.75, eigenPower: 0.5, conceptWeight: 2 };

/**
 * Fits word vectors on tokenised questions: counts of two words in one question → positive
 * pointwise mutual information (context counts smoothed by `contextPower`) → seeded randomised
 * SVD → rows U·Σ^eigenPower at unit length.
 *
 * @example
 * const vectors = fitWordVectors([['broken', 'warranty'], ['defective', 'warranty'], …], DEFAULT_COOCCURRENCE, 1);
 * // 'broken' and 'defective' never met, but both met 'warranty': their rows point the same way
 */
export function fitWordVectors(sample: readonly string[][], settings: CooccurrenceSettings, seed: number): WordVectors {
  const ids = new Map<string, number>();
  const df: number[] = [];
  const documents = sample.map((words) => {
    const distinct = [...new Set(words)];
    return distinct.map((word) => {
      let id = ids.get(word);
      if (id === undefined) {
        id = df.length;
        ids.set(word, id);
        df.push(0);
      }
      df[id]++;
      return id;
    });
  });
  const column = new Int32Array(df.length).fill(-1);
  const index = new Map<string, number>();
  let size = 0;
  for (const [word, id] of ids) if (df[id] >= settings.minCount) index.set(word, (column[id] = size++));
  const pairs = new Map<number, number>();
  const rowSums = new Float64Array(size);
  for (const document of documents) {
    const kept = document.map((id) => column[id]).filter((id) => id >= 0);
    for (const a of kept) for (const b of kept) {
      if (a === b) continue;
      const key = a * size + b;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
      rowSums[a]++;
    }
  }
  let total = 0;
  let contextTotal = 0;
  const context = new Float64Array(size);
  for (let word = 0; word < size; word++) {
    total += rowSums[word];
    context[word] = rowSums[word] ** settings.contextPower;
    contextTotal += context[word];
  }
  const rows: [number, number][][] = Array.from({ length: size }, () => []);
  for (const [key, count] of pairs) {
    const a = Math.floor(key / size);
    const b = key - a * size;
    const pmi = Math.log((count * contextTotal) / (rowSums[a] * context[b]));
    if (pmi > 0) rows[a].push([b, pmi]);
  }
  const offsets = new Int32Array(size + 1);
  rows.forEach((row, word) => {
    row.sort((x, y) => x[0] - y[0]);
    offsets[word + 1] = offsets[word] + row.length;
  });
  const indices = new Int32Array(offsets[size]);
  const values = new Float32Array(offsets[size]);
  rows.forEach((row, word) => row.forEach(([b, value], position) => {
    indices[offsets[word] + position] = b;
    values[offsets[word] + position] = value;
  }));
  const dimension0 = Math.max(1, Math.min(settings.rank, size - 1));
  const weight = new Float32Array(size);
  for (const [word, id] of ids) if (column[id] >= 0) weight[column[id]] = Math.log(sample.length / df[id]) * (isConceptToken(word) ? settings.conceptWeight : 1);
  if (size < 2) return { index, vectors: new Float32Array(size), dimension: 1, weight };
  const basis = randomizedSvd({ rows: size, columns: size, offsets, indices, values }, dimension0, { seed, powerIterations: 3 });
  const dimension = basis.rank;
  const vectors = new Float32Array(size * dimension);
  const scale = Float64Array.from(basis.singularValues, (sigma) => (sigma > 1e-12 ? sigma ** (settings.eigenPower - 1) : 0));
  for (let word = 0; word < size; word++) {
    // A row of the PPMI matrix times V is U·Σ; scaled by Σ^(eigenPower − 1) it is U·Σ^eigenPower.
    const vector = projectRow(basis, indices.subarray(offsets[word], offsets[word + 1]), values.subarray(offsets[word], offsets[word + 1]), vectors.subarray(word * dimension, (word + 1) * dimension));
    for (let component = 0; component < dimension; component++) vector[component] *= scale[component];
    scaleToLength(vector);
  }
  return { index, vectors, dimension, weight };
}

/** Weighted sum of a question's word vectors (each distinct word once; see `WordVectors.weight`); false if no word is known. */
export function wordVectorSum(model: WordVectors, words: readonly string[], out: Float32Array, offset: number): boolean {
  let any = false;
  for (const word of new Set(words)) {
    const row = model.index.get(word);
    if (row === undefined) continue;
    any = true;
    const weight = model.weight[row];
    const base = row * model.dimension;
    for (let component = 0; component < model.dimension; component++) out[offset + component] += weight * model.vectors[base + component];
  }
  return any;
}
