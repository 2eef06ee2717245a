/**
 * The training recipe's settings: the one home of every training default. `allina train`'s
 * option defaults, `trainModel`, the retrain loop and the benchmarks all read them from here.
 * This file imports nothing, so the CLI can show the defaults without loading TensorFlow.js.
 */

/** Settings of the recipe around the network: split, augmentation, cuts. */
export const TRAINING_DEFAULTS = {
  seed: 42,
  devFraction: 0.1,
  targetPrecision: 0.95,
  margin: 0.1,
  dimension: 16,
  hidden: 0,
  typoRate: 0.5,
  /** Fewest letters an answered question has: single characters are never answered. */
  minimumLetters: 3,
  /** Fewest words an answered question has: one word ("paczka?", "deliv", "neviem") says too little. */
  minimumWords: 2,
  /** A feature counts as known when it occurred this often in the augmented training rows. */
  knownFeatureMinimumCount: 1,
  /**
   * Most `other` questions of the tuning data the chosen cuts may answer: half the product's 1%
   * limit, because unseen writers and businesses answer more than the tuning data does.
   */
  maximumTuningOtherAnswerRate: 0.005,
};

/** Settings of the network's training loop (`fitNetwork`). */
export interface NetworkTrainingSettings {
  seed: number;
  /** Upper bound on epochs; early stopping usually ends sooner. */
  maxEpochs: number;
  /** Epochs without dev improvement before stopping. */
  patience: number;
  batchSize: number;
  learningRate: number;
  /** How much the language head's loss counts next to the intent loss. */
  languageLossWeight: number;
  /**
   * Share of a question's feature ids dropped at random in each training step (never all).
   * Unseen buyer questions share only part of their n-grams with the corpus; dropping some
   * in training teaches the model not to lean on a few of them.
   */
  featureDropout: number;
}

export const NETWORK_TRAINING_DEFAULTS: NetworkTrainingSettings = {
  seed: TRAINING_DEFAULTS.seed,
  maxEpochs: 40,
  patience: 4,
  batchSize: 32,
  learningRate: 0.01,
  languageLossWeight: 0.5,
  featureDropout: 0.3,
};
