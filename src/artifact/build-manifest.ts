import { createHash } from 'node:crypto';
import { NORMALIZER_VERSION } from '../text/normalize.js';
import type { FeaturizerConfig } from '../features/featurize.js';
import type { NetworkWeights } from '../runtime/weights.js';
import type { DecisionCuts } from '../calibrate/decision-cuts.js';
import { PRECISION_CONFIDENCE } from '../calibrate/threshold.js';
import { encodeWeights } from './save.js';
import { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, KNOWN_FEATURES_FILE, type ArtifactManifest } from './manifest.js';

/** What training knows about a model once the network is fitted and calibrated. */
export interface ManifestInputs {
  weights: NetworkWeights;
  taxonomy: { intents: string[]; answerableIntents: string[]; otherIntent: string; languages: string[]; unsupportedLanguage: string };
  featurizer: FeaturizerConfig;
  calibration: ArtifactManifest['calibration'];
  knownFeatureCount: number;
  knownFeatureMinimumCount: number;
  training: ArtifactManifest['training'];
  tfjsVersion: string;
  allinaVersion: string;
  createdAt?: Date;
}

/**
 * The manifest of a freshly trained model, with a provisional decision section (threshold 0,
 * no cuts) and no metrics yet: training fills both in once the cuts are chosen
 * ({@link decisionSection}) and the model is evaluated.
 *
 * The model version is the creation time plus a hash of the weights, so two models never share
 * a version, even within a second.
 */
export function buildManifest(inputs: ManifestInputs, margin: number, targetPrecision: number): ArtifactManifest {
  const createdAt = (inputs.createdAt ?? new Date()).toISOString();
  const weightsSha256 = createHash('sha256').update(encodeWeights(inputs.weights).bytes).digest('hex');
  return {
    format: ARTIFACT_FORMAT,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    modelVersion: `${createdAt.slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}-${weightsSha256.slice(0, 8)}`,
    createdAt,
    weightsSha256,
    intents: inputs.taxonomy.intents,
    answerableIntents: inputs.taxonomy.answerableIntents,
    otherIntent: inputs.taxonomy.otherIntent,
    languages: inputs.taxonomy.languages,
    unsupportedLanguage: inputs.taxonomy.unsupportedLanguage,
    normalizerVersion: NORMALIZER_VERSION,
    featurizer: { ...inputs.featurizer, hash: 'fnv1a32' },
    network: { ...inputs.weights.shape, activation: 'relu' },
    calibration: inputs.calibration,
    decision: { threshold: 0, margin, targetPrecision, devAnsweredPrecision: 0, thresholdReachable: false },
    familiarity: { file: KNOWN_FEATURES_FILE, features: inputs.knownFeatureCount, minimumCount: inputs.knownFeatureMinimumCount },
    training: inputs.training,
    metrics: { dev: undefined as never },
    versions: { allina: inputs.allinaVersion, tfjs: inputs.tfjsVersion, node: process.version },
  };
}

/** The manifest's decision section for the chosen cuts and the fixed rules. */
export function decisionSection(cuts: DecisionCuts, rules: { margin: number; targetPrecision: number; minimumLetters: number; minimumWords: number }): ArtifactManifest['decision'] {
  return {
    threshold: cuts.threshold.threshold,
    margin: rules.margin,
    targetPrecision: rules.targetPrecision,
    devAnsweredPrecision: cuts.threshold.precision,
    devAnsweredPrecisionLowerBound: cuts.threshold.precisionLowerBound,
    precisionConfidence: PRECISION_CONFIDENCE,
    thresholdReachable: cuts.threshold.reachable,
    minimumLetters: rules.minimumLetters,
    minimumWords: rules.minimumWords,
    minimumFamiliarity: cuts.minimumFamiliarity,
    minimumIntentFamiliarity: cuts.minimumIntentFamiliarity,
    minimumWordFamiliarity: cuts.minimumWordFamiliarity,
  };
}
