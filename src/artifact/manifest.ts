import type { FeaturizerConfig } from '../features/featurize.js';
import type { NetworkShape } from '../runtime/weights.js';

/** Bumped whenever a loader of the previous version could misread the artifact. */
export const ARTIFACT_FORMAT_VERSION = 2;
export const ARTIFACT_FORMAT = 'allina-intent-model';
export const MANIFEST_FILE = 'allina.json';
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
/** Per feature seen in training: its full hash and its intent mask, uint32 LE pairs sorted by hash (format 2). */
export const KNOWN_FEATURES_FILE = 'known-features.bin';

/** Metrics recorded in the artifact (a compact form of the `allina eval` report). */
export interface RecordedMetrics {
  examples: number;
  accuracy: number;
  macroF1: number;
  perLanguageMacroF1: Record<string, number>;
  ece: number;
  answeredPrecision: number;
  coverage: number;
  otherAnswerRate: number;
  nonAnswerableAnswerRate: number;
}

/**
 * `allina.json`: everything a loader needs besides the weights. See docs/ARTIFACT.md.
 */
export interface ArtifactManifest {
  format: typeof ARTIFACT_FORMAT;
  formatVersion: number;
  /** Unique name of this trained model, echoed in every decision (letters, digits, . _ -). */
  modelVersion: string;
  /** sha256 of weights.bin, checked on load; absent in artifacts made before it. */
  weightsSha256?: string;
  createdAt: string;
  intents: string[];
  answerableIntents: string[];
  otherIntent: string;
  /** Language classes of the language head; the last is `unsupportedLanguage` (format 2). */
  languages: string[];
  /** The language class of all languages the bot does not answer in; absent in format 1. */
  unsupportedLanguage?: string;
  normalizerVersion: number;
  featurizer: FeaturizerConfig & { hash: 'fnv1a32' };
  network: NetworkShape & { activation: 'relu' };
  calibration: { temperature: number; devEceBefore: number; devEceAfter: number };
  decision: {
    threshold: number;
    margin: number;
    targetPrecision: number;
    devAnsweredPrecision: number;
    /** Wilson lower bound of devAnsweredPrecision at `precisionConfidence`; absent in models made before it. */
    devAnsweredPrecisionLowerBound?: number;
    precisionConfidence?: number;
    thresholdReachable: boolean;
    /** Fewest letters an answered question has (format 2; format 1 models behave as 1). */
    minimumLetters?: number;
    /** Fewest words an answered question has (format 2; format 1 models behave as 1). */
    minimumWords?: number;
    /** Least familiarity an answered question has (format 2; format 1 models behave as 0). */
    minimumFamiliarity?: number;
    /** Least familiarity with the predicted intent's training rows (format 2; format 1: 0). */
    minimumIntentFamiliarity?: number;
    /** Least word familiarity with the predicted intent; absent in older models (0). */
    minimumWordFamiliarity?: number;
  };
  /** The known-feature set behind familiarity (format 2). */
  familiarity?: {
    file: typeof KNOWN_FEATURES_FILE;
    /** Number of hashes in the file. */
    features: number;
    /** A feature is known when it occurred at least this often in the (augmented) training rows. */
    minimumCount: number;
  };
  training: {
    seed: number;
    /** sha256 over the training and test files' bytes in `dataFiles` order (NUL after each); a retrained
     *  model also hashes its extra examples in (see train/data-hash.ts). */
    dataHash: string;
    dataFiles: string[];
    trainExamples: number;
    devExamples: number;
    tuningExamples?: number;
    augmentedExamples: number;
    epochsRun: number;
    bestEpoch: number;
    seconds: number;
    backend: string;
    options: Record<string, number | string | boolean>;
  };
  /** `tuning`: the open-world tuning data the cuts were chosen on (with dev). */
  metrics: { dev: RecordedMetrics; tuning?: RecordedMetrics; test?: RecordedMetrics };
  versions: { allina: string; tfjs: string; node: string };
}
