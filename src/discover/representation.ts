import { DEFAULT_TERM_SETTINGS, type TermSettings } from './features.js';
import { fitTfidf, tfidfRow, toSparseMatrix, type TfidfModel } from './tfidf.js';
import { projectRow, randomizedSvd, type SvdBasis } from './svd.js';

/** Settings of the unsupervised question representation. */
export interface RepresentationSettings {
  terms: TermSettings;
  /** Terms in fewer sample questions than this are dropped (typos, ids). */
  minDf: number;
  /** Share of a row's weight on whole words; the rest on character n-grams. */
  wordWeight: number;
  /** Dimensions kept by the truncated SVD. */
  rank: number;
  powerIterations: number;
}

export const DEFAULT_REPRESENTATION: RepresentationSettings = {
  terms: DEFAULT_TERM_SETTINGS,
  minDf: 2,
  wordWeight: 0,
  rank: 100,
  powerIterations: 2,
};

/**
 * A fitted representation: TF-IDF over hashed character n-grams (and words, if weighted) of
 * folded text → truncated SVD (LSA) → centred → unit length. Fitted on a sample; applied to
 * every question one at a time, so a million questions never sit in memory as sparse rows.
 */
export interface Representation {
  settings: RepresentationSettings;
  tfidf: TfidfModel;
  basis: SvdBasis;
  /** Mean of the sample's reduced vectors, subtracted before normalising. */
  mean: Float32Array;
  dimension: number;
}

/**
 * Fits the representation on tokenised sample questions (see `discoveryWords`).
 *
 * @example
 * const representation = fitRepresentation(sample.map(discoveryWords), { seed: 42 });
 * const vector = embed(representation, discoveryWords('Gdzie jest faktura?'));
 */
export function fitRepresentation(sample: readonly string[][], options: { seed: number; settings?: Partial<RepresentationSettings> }): Representation {
  const settings = { ...DEFAULT_REPRESENTATION, ...options.settings };
  const tfidf = fitTfidf(sample, settings.terms, { minDf: settings.minDf, wordWeight: settings.wordWeight });
  const rows = sample.map((words) => tfidfRow(tfidf, words));
  const matrix = toSparseMatrix(rows, tfidf.idf.length);
  const basis = randomizedSvd(matrix, Math.max(1, Math.min(settings.rank, sample.length - 1)), { seed: options.seed, powerIterations: settings.powerIterations });
  const dimension = basis.rank;
  const mean = new Float32Array(dimension);
  const scratch = new Float32Array(dimension);
  let counted = 0;
  for (const row of rows) {
    if (row.columns.length === 0) continue;
    projectRow(basis, row.columns, row.values, scratch);
    for (let index = 0; index < dimension; index++) mean[index] += scratch[index];
    counted++;
  }
  if (counted > 0) for (let index = 0; index < dimension; index++) mean[index] /= counted;
  return { settings, tfidf, basis, mean, dimension };
}

/**
 * One question's unit vector in the representation; false (and a zero vector) when none of
 * its terms is known to the representation.
 */
export function embed(representation: Representation, words: readonly string[], out: Float32Array): boolean {
  const row = tfidfRow(representation.tfidf, words);
  out.fill(0);
  if (row.columns.length === 0) return false;
  projectRow(representation.basis, row.columns, row.values, out);
  let norm = 0;
  for (let index = 0; index < representation.dimension; index++) {
    out[index] -= representation.mean[index];
    norm += out[index] * out[index];
  }
  if (norm <= 0) return false;
  const scale = 1 / Math.sqrt(norm);
  for (let index = 0; index < representation.dimension; index++) out[index] *= scale;
  return true;
}
