import { relative, resolve } from 'node:path';
import { expandCsvPaths, readLabelledData, type LabelledExample } from '../data/csv.js';
import { stratifiedSplit } from '../data/split.js';
import { augmentTexts } from '../data/augment.js';
import { defaultAnswerableIntents, intentLabels, languageClass, languageClasses, loadTaxonomy, OTHER_INTENT, UNSUPPORTED_LANGUAGE } from '../data/taxonomy.js';
import { bucketIds, DEFAULT_FEATURIZER_CONFIG, featureHashes, type FeaturizerConfig } from '../features/featurize.js';
import type { NetworkShape } from '../runtime/weights.js';
import { trainNetwork, type EncodedExample, type EpochProgress } from './fit-network.js';
import { NETWORK_TRAINING_DEFAULTS, TRAINING_DEFAULTS } from './recipe.js';
import { collectKnownFeatures } from './known-features.js';
import { hashTrainingData } from './data-hash.js';
import { tf } from './tf-backend.js';
import { forward, createScratch } from '../runtime/forward.js';
import { AllinaModel } from '../runtime/model.js';
import { calibrationErrorAt, fitTemperature } from '../calibrate/temperature.js';
import { chooseDecisionCuts, scoreForCuts, uncutPolicy } from '../calibrate/decision-cuts.js';
import type { ArtifactManifest } from '../artifact/manifest.js';
import { buildManifest, decisionSection } from '../artifact/build-manifest.js';
import { saveArtifact } from '../artifact/save.js';
import { recordedMetrics, type EvaluationReport } from '../eval/metrics.js';
import { evaluateModel } from '../eval/evaluate-model.js';
import { packageRoot, packageVersion } from '../util/package-root.js';
import { SeededRandom } from '../util/random.js';
import { DataError, UsageError } from '../util/errors.js';

export { TRAINING_DEFAULTS } from './recipe.js';

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
    ...NETWORK_TRAINING_DEFAULTS,
    seed: settings.seed,
    ...(options.maxEpochs !== undefined ? { maxEpochs: options.maxEpochs } : {}),
    ...(options.learningRate !== undefined ? { learningRate: options.learningRate } : {}),
    onEpoch: options.onEpoch,
  };
  // Hashed once: the bucket ids train the network, the full hashes make the known-feature set.
  const augmentedHashes = augmented.map((example) => featureHashes(example.text, featurizer));
  const devHashes = dev.map((example) => featureHashes(example.text, featurizer));
  const result = await trainNetwork(encode(augmented, augmentedHashes, intents, languages, featurizer.buckets), encode(dev, devHashes, intents, languages, featurizer.buckets), shape, trainingOptions);

  // Calibration on dev: temperature first, then the threshold and the familiarity cuts.
  const knownFeatures = collectKnownFeatures(augmented, augmentedHashes, intents, settings.knownFeatureMinimumCount);
  const scratch = createScratch(result.weights);
  const devLogits = devHashes.map((hashes) => forward(result.weights, bucketIds(hashes, featurizer.buckets), scratch).intentLogits.slice());
  // The intent head predicts the intent asked about, also for unsupported languages.
  const devLabels = dev.map((example) => intents.indexOf(example.intent));
  const temperature = fitTemperature(devLogits, devLabels);
  const allFiles = [...dataFiles, ...testFiles, ...tuningFiles];
  const manifest = buildManifest({
    weights: result.weights,
    taxonomy: { intents, answerableIntents: answerable, otherIntent: OTHER_INTENT, languages, unsupportedLanguage: UNSUPPORTED_LANGUAGE },
    featurizer,
    calibration: { temperature, devEceBefore: calibrationErrorAt(devLogits, devLabels, 1), devEceAfter: calibrationErrorAt(devLogits, devLabels, temperature) },
    knownFeatureCount: knownFeatures.hashes.length,
    knownFeatureMinimumCount: settings.knownFeatureMinimumCount,
    training: {
      seed: settings.seed,
      dataHash: hashTrainingData(allFiles, options.extraExamples),
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
    tfjsVersion: tf.version.tfjs,
    allinaVersion: packageVersion(),
  }, settings.margin, settings.targetPrecision);

  // The cuts are chosen on what the runtime itself computes: classify with no threshold.
  const provisional = new AllinaModel(manifest, result.weights, knownFeatures);
  const basePolicy = uncutPolicy({ margin: settings.margin, answerableIntents: answerable, minimumLetters: settings.minimumLetters, minimumWords: settings.minimumWords });
  const score = (example: LabelledExample) => scoreForCuts(provisional, example);
  const cuts = chooseDecisionCuts(dev.map(score), tuningExamples.map(score), basePolicy, settings.targetPrecision, settings.maximumTuningOtherAnswerRate);
  manifest.decision = decisionSection(cuts, settings);

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
