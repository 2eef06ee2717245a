import { DEFAULT_TERM_SETTINGS, type TermSettings } from './features.js';
import { fitTfidf, tfidfRow, toSparseMatrix, type TfidfModel } from './tfidf.js';
import { projectRow, randomizedSvd, type SvdBasis } from './svd.js';
import { scaleToLength } from './vectors.js';
import { DEFAULT_COOCCURRENCE, fitWordVectors, wordVectorSum, type CooccurrenceSettings, type WordVectors } from './cooccurrence.js';

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
  /** Co-occurrence word vectors fitted on the sample, concatenated to the LSA vector; null = none. */
  cooccurrence: CooccurrenceSettings | null;
  /**
   * Below this many sample questions, neither co-occurrence vectors nor per-language means are
   * fitted (plain LSA, one mean): from a few hundred questions both say more about which
   * questions happen to be there than about the words or the languages.
   */
  corpusStatisticsMinimumSample: number;
  /** Share of the squared norm on the co-occurrence part (the rest on LSA). */
  cooccurrenceWeight: number;
  /** Subtract each language's mean (of the sample) instead of one global mean. */
  perLanguageMean: boolean;
  /** A language with fewer sample questions than this keeps the global mean (its own would be noise). */
  languageMeanMinimumQuestions: number;
}

export const DEFAULT_REPRESENTATION: RepresentationSettings = {
  terms: DEFAULT_TERM_SETTINGS,
  minDf: 2,
  wordWeight: 0,
  rank: 100,
  powerIterations: 2,
  cooccurrence: DEFAULT_COOCCURRENCE,
  cooccurrenceWeight: 0.7,
  corpusStatisticsMinimumSample: 1000,
  perLanguageMean: true,
  languageMeanMinimumQuestions: 50,
};

/**
 * A fitted representation, two parts side by side: TF-IDF over hashed character n-grams (and
 * words, if weighted) of folded text → truncated SVD (LSA); and the idf-weighted sum of the
 * question's co-occurrence word vectors (`cooccurrence.ts`), which joins words that are asked
 * about together though they share no letters. Each part is centred on its language's mean
 * (so that the language itself is not what the topics split on) and scaled to its share of a
 * unit vector. Fitted on a sample; applied to every question one at a time, so a million
 * questions never sit in memory as sparse rows.
 */
export interface Representation {
  settings: RepresentationSettings;
  tfidf: TfidfModel;
  basis: SvdBasis;
  /** Mean of the sample's reduced vectors, subtracted before normalising. */
  mean: Float32Array;
  /** Co-occurrence word vectors (null when off). */
  words: WordVectors | null;
  /** Mean of the sample's normalised co-occurrence vectors. */
  wordMean: Float32Array;
  /** Per language (when `perLanguageMean`): the means of both parts over that language's questions. */
  languageMeans: Map<string, PartMeans>;
  /** LSA dimensions; the co-occurrence part follows them. */
  lsaDimension: number;
  dimension: number;
}

/**
 * Fits the representation on tokenised sample questions (see `discoveryWords`).
 *
 * @example
 * const representation = fitRepresentation(sample.map(discoveryWords), { seed: 42 });
 * const vector = new Float32Array(representation.dimension);
 * embed(representation, discoveryWords('Gdzie jest faktura?'), vector, 'pl'); // → true: vector is set
 */
export function fitRepresentation(sample: readonly string[][], options: { seed: number; settings?: Partial<RepresentationSettings>; languages?: readonly string[] }): Representation {
  const settings = { ...DEFAULT_REPRESENTATION, ...options.settings };
  const tfidf = fitTfidf(sample, settings.terms, { minDf: settings.minDf, wordWeight: settings.wordWeight });
  const rows = sample.map((words) => tfidfRow(tfidf, words));
  const matrix = toSparseMatrix(rows, tfidf.idf.length);
  const basis = randomizedSvd(matrix, Math.max(1, Math.min(settings.rank, sample.length - 1)), { seed: options.seed, powerIterations: settings.powerIterations });
  const lsaDimension = basis.rank;
  const large = sample.length >= settings.corpusStatisticsMinimumSample;
  const perLanguageMean = settings.perLanguageMean && large;
  const words = settings.cooccurrence && settings.cooccurrenceWeight > 0 && large ? fitWordVectors(sample, settings.cooccurrence, options.seed ^ 0x5bd1e995) : null;
  const wordDimension = words ? words.dimension : 0;
  // Means of the normalised parts, over the whole sample ('') and per language.
  const sums = new Map<string, { lsa: MeanSum; word: MeanSum }>();
  const sumsOf = (key: string) => {
    let entry = sums.get(key);
    if (!entry) sums.set(key, (entry = { lsa: new MeanSum(lsaDimension), word: new MeanSum(wordDimension) }));
    return entry;
  };
  const scratch = new Float32Array(lsaDimension);
  const wordScratch = new Float32Array(wordDimension);
  rows.forEach((row, position) => {
    const language = perLanguageMean ? options.languages?.[position] || '' : '';
    const keys = language ? ['', language] : [''];
    if (row.columns.length > 0) {
      projectRow(basis, row.columns, row.values, scratch);
      for (const key of keys) sumsOf(key).lsa.add(scratch);
    }
    if (words) {
      wordScratch.fill(0);
      if (wordVectorSum(words, sample[position], wordScratch, 0) && scaleToLength(wordScratch)) {
        for (const key of keys) sumsOf(key).word.add(wordScratch);
      }
    }
  });
  const global = sumsOf('');
  const languageMeans = new Map<string, PartMeans>();
  for (const [key, entry] of sums) {
    if (key !== '' && entry.lsa.count >= settings.languageMeanMinimumQuestions) languageMeans.set(key, { lsa: entry.lsa.mean(), word: entry.word.mean() });
  }
  return { settings, tfidf, basis, mean: global.lsa.mean(), words, wordMean: global.word.mean(), languageMeans, lsaDimension, dimension: lsaDimension + wordDimension };
}

/** The means of a representation's two parts over some questions. */
export interface PartMeans {
  lsa: Float32Array;
  word: Float32Array;
}

/** A running sum of vectors, for their mean (zeros when none was added). */
class MeanSum {
  private readonly sum: Float64Array;
  count = 0;
  constructor(dimension: number) {
    this.sum = new Float64Array(dimension);
  }
  add(vector: Float32Array): void {
    for (let index = 0; index < this.sum.length; index++) this.sum[index] += vector[index];
    this.count++;
  }
  mean(): Float32Array {
    return Float32Array.from(this.sum, (value) => (this.count > 0 ? value / this.count : 0));
  }
}


/**
 * One question's unit vector in the representation, centred with its `language`'s mean (the
 * sample's overall mean for a language the sample had too few questions of, or none given);
 * false (and a zero vector) when none of its terms is known to the representation. A question
 * with no word that has a co-occurrence vector is placed by its LSA part alone.
 */
export function embed(representation: Representation, words: readonly string[], out: Float32Array, language = ''): boolean {
  const row = tfidfRow(representation.tfidf, words);
  out.fill(0);
  if (row.columns.length === 0) return false;
  const { lsaDimension, dimension, words: wordVectors } = representation;
  const lsa = out.subarray(0, lsaDimension);
  projectRow(representation.basis, row.columns, row.values, lsa);
  const { lsa: mean, word: wordMean } = representation.languageMeans.get(language) ?? { lsa: representation.mean, word: representation.wordMean };
  for (let index = 0; index < lsaDimension; index++) lsa[index] -= mean[index];
  const weight = wordVectors ? representation.settings.cooccurrenceWeight : 0;
  if (!scaleToLength(lsa, 1 - weight)) return false;
  const word = out.subarray(lsaDimension, dimension);
  if (wordVectors && wordVectorSum(wordVectors, words, out, lsaDimension) && scaleToLength(word)) {
    for (let index = 0; index < word.length; index++) word[index] -= wordMean[index];
    if (scaleToLength(word, weight)) return true;
  }
  // No known word: the LSA part alone, at unit length.
  word.fill(0);
  return scaleToLength(lsa);
}
