import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildManifest, decisionSection } from '../../src/artifact/build-manifest.js';
import type { ArtifactManifest } from '../../src/artifact/manifest.js';
import { saveArtifact } from '../../src/artifact/save.js';
import type { LabelledExample } from '../../src/data/csv.js';
import { defaultAnswerableIntents, intentLabels, languageClasses, OTHER_INTENT, UNSUPPORTED_LANGUAGE } from '../../src/data/taxonomy.js';
import { evaluateModel } from '../../src/eval/evaluate-model.js';
import { recordedMetrics } from '../../src/eval/metrics.js';
import { bucketIds, featureHashes, type FeaturizerConfig } from '../../src/features/featurize.js';
import type { KnownFeatureColumns } from '../../src/runtime/familiarity.js';
import { AllinaModel } from '../../src/runtime/model.js';
import type { NetworkWeights } from '../../src/runtime/weights.js';
import { collectKnownFeatures } from '../../src/train/known-features.js';
import { packageVersion } from '../../src/util/package-root.js';
import { PHRASES, temporaryDirectory } from './fixtures.js';

/** The featurizer of the hand-made model: the shipped one with 2^12 buckets. */
export const HAND_MADE_FEATURIZER: FeaturizerConfig = { buckets: 1 << 12, charNgramMin: 2, charNgramMax: 5, wordBigrams: true, unfoldedWords: true };

/** The decision rules written into the hand-made model's manifest. */
export const HAND_MADE_DECISION = { threshold: 0.6, margin: 0.1, minimumLetters: 3, minimumWords: 2, minimumFamiliarity: 0.5, minimumIntentFamiliarity: 0, targetPrecision: 0.95 };

/**
 * The sentences the hand-made model knows: every phrase of the tiny dataset (en and pl;
 * delivery_status, invoice_request, other), unvaried.
 */
export function handMadeExamples(): LabelledExample[] {
  return Object.entries(PHRASES).flatMap(([lang, intents]) =>
    Object.entries(intents).flatMap(([intent, phrases]) => phrases.map((text) => ({ text, lang, intent, file: 'hand-made', row: 0 }))));
}

export interface HandMadeArtifact {
  manifest: ArtifactManifest;
  weights: NetworkWeights;
  knownFeatures: KnownFeatureColumns;
}

/**
 * A small, deterministic model made without TensorFlow.js: a nearest-centroid classifier written
 * as the runtime's network, so tests of everything around a model (artifact, decisions, CLI,
 * store, review, gate) need no training.
 *
 * The embedding has one column per intent and one per language of {@link handMadeExamples}; the
 * row of a feature bucket is the mean label vector (intent one-hot, language one-hot) of the
 * example sentences whose features fall in it. A message's bag is then the share of its
 * features that point at each intent and language, and the heads map each column to its class
 * with weight `scale`. Buckets no example touched stay zero, so unknown text leans on the
 * biases: `other` for the intent, the unsupported language class for the language. The
 * known-feature set is the examples' features; the decision rules are {@link HAND_MADE_DECISION}.
 *
 * `variant` changes the biases a little, so two variants are two models with different versions
 * and the same decisions.
 *
 * @example
 * const model = new AllinaModel(...Object.values(handMadeArtifact()));
 * model.classify('where is my parcel').intent // → 'delivery_status'
 */
export function handMadeArtifact(options: { variant?: number; scale?: number } = {}): HandMadeArtifact {
  const variant = options.variant ?? 0;
  const scale = options.scale ?? 10;
  const intents = intentLabels();
  const languages = languageClasses();
  const examples = handMadeExamples();
  const exampleIntents = [...new Set(examples.map((example) => example.intent))];
  const exampleLanguages = [...new Set(examples.map((example) => example.lang))];
  const dimension = exampleIntents.length + exampleLanguages.length;
  const { buckets } = HAND_MADE_FEATURIZER;

  const hashes = examples.map((example) => featureHashes(example.text, HAND_MADE_FEATURIZER));
  const sums = new Float64Array(buckets * dimension);
  const counts = new Uint32Array(buckets);
  examples.forEach((example, index) => {
    const intentColumn = exampleIntents.indexOf(example.intent);
    const languageColumn = exampleIntents.length + exampleLanguages.indexOf(example.lang);
    for (const id of bucketIds(hashes[index], buckets)) {
      sums[id * dimension + intentColumn]++;
      sums[id * dimension + languageColumn]++;
      counts[id]++;
    }
  });
  const embedding = new Float32Array(buckets * dimension);
  for (let id = 0; id < buckets; id++) {
    for (let column = 0; column < dimension; column++) if (counts[id]) embedding[id * dimension + column] = sums[id * dimension + column] / counts[id];
  }

  const intentKernel = new Float32Array(dimension * intents.length);
  exampleIntents.forEach((intent, column) => (intentKernel[column * intents.length + intents.indexOf(intent)] = scale));
  // Intents no example is about lose to the three the model knows; `other` wins on nothing.
  const intentBias = Float32Array.from(intents, (intent) => (intent === OTHER_INTENT ? 0.5 : exampleIntents.includes(intent) ? 0 : -2) + variant * 0.001);
  const languageKernel = new Float32Array(dimension * languages.length);
  exampleLanguages.forEach((language, index) => (languageKernel[(exampleIntents.length + index) * languages.length + languages.indexOf(language)] = scale));
  const languageBias = Float32Array.from(languages, (language) => (language === UNSUPPORTED_LANGUAGE ? 2 : exampleLanguages.includes(language) ? 0 : -2));

  const weights: NetworkWeights = {
    shape: { buckets, dimension, hidden: 0, intents: intents.length, languages: languages.length },
    embedding,
    hiddenKernel: new Float32Array(0),
    hiddenBias: new Float32Array(0),
    intentKernel,
    intentBias,
    languageKernel,
    languageBias,
  };
  const knownFeatures = collectKnownFeatures(examples, hashes, intents, 1);
  const manifest = buildManifest({
    weights,
    taxonomy: { intents, answerableIntents: defaultAnswerableIntents(), otherIntent: OTHER_INTENT, languages, unsupportedLanguage: UNSUPPORTED_LANGUAGE },
    featurizer: HAND_MADE_FEATURIZER,
    calibration: { temperature: 1, devEceBefore: 0, devEceAfter: 0 },
    knownFeatureCount: knownFeatures.hashes.length,
    knownFeatureMinimumCount: 1,
    training: {
      seed: variant,
      dataHash: createHash('sha256').update(JSON.stringify(examples.map((example) => [example.text, example.lang, example.intent]))).digest('hex'),
      dataFiles: [],
      trainExamples: examples.length,
      devExamples: examples.length,
      augmentedExamples: examples.length,
      epochsRun: 0,
      bestEpoch: 0,
      seconds: 0,
      backend: 'hand-made',
      options: { scale, variant },
    },
    tfjsVersion: 'none',
    allinaVersion: packageVersion(),
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, variant)),
  }, HAND_MADE_DECISION.margin, HAND_MADE_DECISION.targetPrecision);
  manifest.decision = decisionSection(
    {
      threshold: { threshold: HAND_MADE_DECISION.threshold, precision: 0, precisionLowerBound: 0, answered: 0, reachable: true },
      minimumFamiliarity: HAND_MADE_DECISION.minimumFamiliarity,
      minimumIntentFamiliarity: HAND_MADE_DECISION.minimumIntentFamiliarity,
      coverage: 0,
      tuningOtherAnswerRate: 0,
      tuningLimitMet: true,
    },
    HAND_MADE_DECISION,
  );
  // Its own examples are its "dev" split: the recorded metrics and calibration error are real.
  const report = evaluateModel(new AllinaModel(manifest, weights, knownFeatures), examples);
  manifest.metrics = { dev: recordedMetrics(report) };
  manifest.calibration = { temperature: 1, devEceBefore: report.ece, devEceAfter: report.ece };
  manifest.decision.devAnsweredPrecision = report.abstention.answeredPrecision;
  return { manifest, weights, knownFeatures };
}

/** The hand-made model, in memory (no files). */
export function handMadeModel(options: { variant?: number } = {}): AllinaModel {
  const { manifest, weights, knownFeatures } = handMadeArtifact(options);
  return new AllinaModel(manifest, weights, knownFeatures);
}

/**
 * Writes the hand-made model as an artifact with `saveArtifact` (into a fresh temporary
 * directory unless `directory` is given) and returns where, with its manifest.
 */
export function writeHandMadeModel(options: { variant?: number; directory?: string } = {}): { directory: string; manifest: ArtifactManifest } {
  const directory = options.directory ?? join(temporaryDirectory(), 'model');
  const { manifest, weights, knownFeatures } = handMadeArtifact(options);
  saveArtifact(directory, manifest, weights, knownFeatures);
  return { directory, manifest };
}
