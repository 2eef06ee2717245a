import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { expandCsvPaths, readLabelledData, type LabelledExample } from '../data/csv.js';
import { stratifiedSplit } from '../data/split.js';
import { augmentTexts } from '../data/augment.js';
import { actionableIntent, defaultAnswerableIntents, intentLabels, languageClass, languageClasses, loadTaxonomy, OTHER_INTENT, UNSUPPORTED_LANGUAGE } from '../data/taxonomy.js';
import { bucketIds, DEFAULT_FEATURIZER_CONFIG, featureHashes, type FeaturizerConfig } from '../features/featurize.js';
import { NORMALIZER_VERSION } from '../text/normalize.js';
import { DEFAULT_TRAINING_OPTIONS, trainNetwork, type EncodedExample, type EpochProgress } from '../model/train.js';
import type { NetworkShape } from '../model/network.js';
import { forward, createScratch, softmax } from '../runtime/forward.js';
import { fitTemperature } from '../calibrate/temperature.js';
import { expectedCalibrationError } from '../calibrate/ece.js';
import { PRECISION_CONFIDENCE, type ScoredPrediction } from '../calibrate/threshold.js';
import { textShape } from '../runtime/decision.js';
import type { KnownFeatures } from '../runtime/familiarity.js';
import { chooseDecisionCuts, uncutPolicy } from '../calibrate/decision-cuts.js';
import { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, KNOWN_FEATURES_FILE, type ArtifactManifest } from '../artifact/manifest.js';
import { encodeWeights, saveArtifact } from '../artifact/save.js';
import { AllinaModel } from '../runtime/model.js';
import { recordedMetrics, type EvaluationReport } from '../eval/metrics.js';
import { evaluateModel } from './evaluate-model.js';
import { hashTrainingData } from './data-hash.js';
import { packageRoot, packageVersion } from '../util/package-root.js';
import { SeededRandom } from '../util/random.js';
import { DataError, UsageError } from '../util/errors.js';
import { tf } from '../model/backend.js';

/** A labelled example with a loss weight (weak labels from the feedback loop weigh < 1). */
export interface WeightedExample extends LabelledExample {
  weight?: number;
}

export interface TrainModelOptions {
  /** Training CSV files or directories (their rows are split into train and dev). */
  dataPaths: string[];
  /** Held-out test CSV files or directories: evaluated and recorded, never trained on. */
  testPaths?: string[];
  /**
   * Open-world tuning CSVs (questions from outside the corpus's writers, mostly `other`): never
   * trained on; added to dev when the threshold and the familiarity cut are chosen.
   */
  tuningPaths?: string[];
  /** Rows added to the training data after reading the files (e.g. reviewed log questions). */
  extraExamples?: WeightedExample[];
  /** Where the artifact is written (atomically); omit to skip writing. */
  outDir?: string;
  seed?: number;
  devFraction?: number;
  targetPrecision?: number;
  margin?: number;
  maxEpochs?: number;
  dimension?: number;
  hidden?: number;
  learningRate?: number;
  typoRate?: number;
  featurizer?: FeaturizerConfig;
  onEpoch?: (progress: EpochProgress) => void;
}

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

export interface TrainModelResult {
  model: AllinaModel;
  manifest: ArtifactManifest;
  devReport: EvaluationReport;
  testReport?: EvaluationReport;
}

/**
 * Rows in an unsupported language train the language class `other`, and the intent they ask
 * about: the language head refuses them, and the intent head keeps one meaning per label.
 */
function encode(examples: { text: string; lang: string; intent: string; weight?: number }[], hashes: Uint32Array[], intents: string[], languages: string[], buckets: number): EncodedExample[] {
  return examples.map((example, index) => ({
    ids: bucketIds(hashes[index], buckets),
    intent: intents.indexOf(example.intent),
    language: languages.indexOf(languageClass(example.lang)),
    weight: example.weight ?? 1,
  }));
}

/**
 * Every feature occurring at least `minimumCount` times in the rows, with the intents (bit =
 * index in `intents`) of the rows it occurred in; a row in an unsupported language counts as `other`.
 */
function collectKnownFeatures(rows: { lang: string; intent: string }[], hashes: Uint32Array[], intents: string[], minimumCount: number): KnownFeatures {
  const seen = new Map<number, { count: number; intents: number }>();
  for (const [index, row] of rows.entries()) {
    const bit = 1 << intents.indexOf(actionableIntent(row));
    for (const hash of hashes[index]) {
      const entry = seen.get(hash);
      if (entry) {
        entry.count++;
        entry.intents |= bit;
      } else {
        seen.set(hash, { count: 1, intents: bit });
      }
    }
  }
  const kept = [...seen].filter(([, entry]) => entry.count >= minimumCount).sort((a, b) => a[0] - b[0]);
  return { hashes: Uint32Array.from(kept, ([hash]) => hash), intentMasks: Uint32Array.from(kept, ([, entry]) => entry.intents >>> 0) };
}

/**
 * The whole training recipe: read and split data, augment, featurise, train the network,
 * calibrate a temperature and an answer threshold on dev, evaluate on the test split, write the
 * artifact. `allina train` and `allina retrain` are thin shells over this.
 *
 * @example
 * const { manifest } = await trainModel({ dataPaths: ['data/train'], testPaths: ['data/test'], outDir: 'models/mine' });
 */
export async function trainModel(options: TrainModelOptions): Promise<TrainModelResult> {
  const started = performance.now();
  const settings = { ...TRAINING_DEFAULTS, ...stripUndefined(options) };
  const featurizer = options.featurizer ?? DEFAULT_FEATURIZER_CONFIG;
  if (!(settings.targetPrecision > 0 && settings.targetPrecision <= 1)) throw new UsageError(`--target-precision must be in (0, 1], got ${settings.targetPrecision}`);
  const taxonomy = loadTaxonomy();
  const intents = intentLabels(taxonomy);
  const languages = languageClasses(taxonomy);
  const answerable = defaultAnswerableIntents(taxonomy);

  const dataFiles = expandCsvPaths(options.dataPaths);
  const testFiles = options.testPaths?.length ? expandCsvPaths(options.testPaths) : [];
  const examples: WeightedExample[] = readLabelledData(dataFiles);
  const testExamples = testFiles.length ? readLabelledData(testFiles) : [];
  const tuningFiles = options.tuningPaths?.length ? expandCsvPaths(options.tuningPaths) : [];
  const tuningExamples = tuningFiles.length ? readLabelledData(tuningFiles) : [];
  if (examples.length === 0) throw new DataError(options.dataPaths.join(', '), undefined, 'no training examples (only a header?)');

  // Extra examples (from the feedback loop) are trained on but kept out of dev, so dev — and
  // with it early stopping, the temperature and the threshold — is the same base-corpus split
  // for every retrain with the same data and seed.
  const split = stratifiedSplit(examples, (example) => `${example.lang}|${example.intent}`, settings.devFraction, settings.seed);
  const train: WeightedExample[] = [...split.train, ...(options.extraExamples ?? [])];
  const dev = split.dev;
  const augmentRandom = new SeededRandom(settings.seed ^ 0x5eed);
  const augmented = train.flatMap((example) => augmentTexts(example.text, augmentRandom, settings.typoRate).map((text) => ({ ...example, text })));
  const shape: NetworkShape = { buckets: featurizer.buckets, dimension: settings.dimension, hidden: settings.hidden, intents: intents.length, languages: languages.length };
  const trainingOptions = {
    ...DEFAULT_TRAINING_OPTIONS,
    seed: settings.seed,
    ...(options.maxEpochs !== undefined ? { maxEpochs: options.maxEpochs } : {}),
    ...(options.learningRate !== undefined ? { learningRate: options.learningRate } : {}),
    onEpoch: options.onEpoch,
  };
  // Hashed once: the bucket ids train the network, the full hashes make the known-feature set.
  const augmentedHashes = augmented.map((example) => featureHashes(example.text, featurizer));
  const devHashes = dev.map((example) => featureHashes(example.text, featurizer));
  const result = await trainNetwork(encode(augmented, augmentedHashes, intents, languages, featurizer.buckets), encode(dev, devHashes, intents, languages, featurizer.buckets), shape, trainingOptions);

  // Calibration on dev: temperature first, then the threshold and the familiarity cut.
  const knownFeatures = collectKnownFeatures(augmented, augmentedHashes, intents, settings.knownFeatureMinimumCount);
  const scratch = createScratch(result.weights);
  const devLogits = devHashes.map((hashes) => forward(result.weights, bucketIds(hashes, featurizer.buckets), scratch).intentLogits);
  // The intent head predicts the intent asked about, also for unsupported languages.
  const devLabels = dev.map((example) => intents.indexOf(example.intent));
  const temperature = fitTemperature(devLogits, devLabels);
  const calibrationError = (scale: number) => {
    const confidences: number[] = [];
    const correct: boolean[] = [];
    devLogits.forEach((logits, index) => {
      const probabilities = softmax(logits, scale);
      let best = 0;
      for (let position = 1; position < probabilities.length; position++) if (probabilities[position] > probabilities[best]) best = position;
      confidences.push(probabilities[best]);
      correct.push(best === devLabels[index]);
    });
    return expectedCalibrationError(confidences, correct);
  };
  const allFiles = [...dataFiles, ...testFiles, ...tuningFiles];
  const dataHash = hashTrainingData(allFiles, options.extraExamples);
  const createdAt = new Date().toISOString();
  const manifest: ArtifactManifest = {
    format: ARTIFACT_FORMAT,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    // Time + a hash of the weights: different models never share a version, even within a second.
    modelVersion: `${createdAt.slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}-${createHash('sha256').update(encodeWeights(result.weights).bytes).digest('hex').slice(0, 8)}`,
    createdAt,
    weightsSha256: createHash('sha256').update(encodeWeights(result.weights).bytes).digest('hex'),
    intents,
    answerableIntents: answerable,
    otherIntent: OTHER_INTENT,
    languages,
    unsupportedLanguage: UNSUPPORTED_LANGUAGE,
    normalizerVersion: NORMALIZER_VERSION,
    featurizer: { ...featurizer, hash: 'fnv1a32' },
    network: { ...shape, activation: 'relu' },
    calibration: { temperature, devEceBefore: calibrationError(1), devEceAfter: calibrationError(temperature) },
    decision: undefined as never, // chosen below, with the model's own classify

    familiarity: { file: KNOWN_FEATURES_FILE, features: knownFeatures.hashes.length, minimumCount: settings.knownFeatureMinimumCount },
    training: {
      seed: settings.seed,
      dataHash,
      dataFiles: allFiles.map((file) => portablePath(file)),
      trainExamples: train.length,
      devExamples: dev.length,
      tuningExamples: tuningExamples.length,
      augmentedExamples: augmented.length,
      epochsRun: result.epochsRun,
      bestEpoch: result.bestEpoch,
      seconds: 0,
      backend: result.backend,
      options: {
        maxEpochs: trainingOptions.maxEpochs,
        patience: trainingOptions.patience,
        batchSize: trainingOptions.batchSize,
        learningRate: trainingOptions.learningRate,
        languageLossWeight: trainingOptions.languageLossWeight,
        featureDropout: trainingOptions.featureDropout,
        devFraction: settings.devFraction,
        typoRate: settings.typoRate,
        extraExamples: options.extraExamples?.length ?? 0,
      },
    },
    metrics: { dev: undefined as never },
    versions: { allina: packageVersion(), tfjs: tf.version.tfjs, node: process.version },
  };

  // The cuts are chosen on what the runtime itself computes: classify with no threshold.
  const provisional = new AllinaModel({ ...manifest, decision: { threshold: 0, margin: settings.margin, targetPrecision: settings.targetPrecision, devAnsweredPrecision: 0, thresholdReachable: false } }, result.weights, knownFeatures);
  const score = (example: LabelledExample): ScoredPrediction => {
    const decision = provisional.classify(example.text, { threshold: 0, margin: 0 });
    return {
      predicted: decision.intent ?? OTHER_INTENT,
      actual: actionableIntent(example),
      confidence: decision.confidence,
      secondConfidence: decision.alternatives[1]?.confidence ?? 0,
      evidence: { ...textShape(example.text), language: decision.language ?? '', familiarity: decision.familiarity, intentFamiliarity: decision.intentFamiliarity },
    };
  };
  const basePolicy = uncutPolicy({ margin: settings.margin, answerableIntents: answerable, minimumLetters: settings.minimumLetters, minimumWords: settings.minimumWords });
  const cuts = chooseDecisionCuts(dev.map(score), tuningExamples.map(score), basePolicy, settings.targetPrecision, settings.maximumTuningOtherAnswerRate);
  const threshold = cuts.threshold;
  manifest.decision = {
    threshold: threshold.threshold,
    margin: settings.margin,
    targetPrecision: settings.targetPrecision,
    devAnsweredPrecision: threshold.precision,
    devAnsweredPrecisionLowerBound: threshold.precisionLowerBound,
    precisionConfidence: PRECISION_CONFIDENCE,
    thresholdReachable: threshold.reachable,
    minimumLetters: settings.minimumLetters,
    minimumWords: settings.minimumWords,
    minimumFamiliarity: cuts.minimumFamiliarity,
    minimumIntentFamiliarity: cuts.minimumIntentFamiliarity,
  };

  const model = new AllinaModel(manifest, result.weights, knownFeatures);
  const devReport = evaluateModel(model, dev);
  const testReport = testExamples.length ? evaluateModel(model, testExamples) : undefined;
  const tuningReport = tuningExamples.length ? evaluateModel(model, tuningExamples) : undefined;
  manifest.metrics = { dev: recordedMetrics(devReport), ...(tuningReport ? { tuning: recordedMetrics(tuningReport) } : {}), ...(testReport ? { test: recordedMetrics(testReport) } : {}) };
  manifest.training.seconds = Math.round((performance.now() - started) / 100) / 10;
  if (options.outDir) saveArtifact(options.outDir, manifest, result.weights, knownFeatures);
  return { model, manifest, devReport, testReport };
}

/** Paths inside the package are recorded relative to it, so the manifest is the same on any machine. */
function portablePath(file: string): string {
  const inside = relative(packageRoot(), resolve(file));
  return inside.startsWith('..') ? resolve(file) : inside.split('\\').join('/');
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
