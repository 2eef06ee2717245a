import type { FeaturizerConfig } from '../features/featurize.js';
import type { NetworkShape } from '../model/network.js';

/** Bumped whenever a loader of the previous version could misread the artifact. */
export const ARTIFACT_FORMAT_VERSION = 1;
export const ARTIFACT_FORMAT = 'allina-intent-model';
export const MANIFEST_FILE = 'allina.json';
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

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
  /** Unique name of this trained model, echoed in every decision. */
  modelVersion: string;
  createdAt: string;
  intents: string[];
  answerableIntents: string[];
  otherIntent: string;
  languages: string[];
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
  };
  training: {
    seed: number;
    /** sha256 over the training and test files' bytes in `dataFiles` order (NUL after each); a retrained
     *  model also hashes its extra examples in (see pipeline/data-hash.ts). */
    dataHash: string;
    dataFiles: string[];
    trainExamples: number;
    devExamples: number;
    augmentedExamples: number;
    epochsRun: number;
    bestEpoch: number;
    seconds: number;
    backend: string;
    options: Record<string, number | string | boolean>;
  };
  metrics: { dev: RecordedMetrics; test?: RecordedMetrics };
  versions: { allina: string; tfjs: string; node: string };
}
