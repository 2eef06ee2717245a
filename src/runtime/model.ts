import { bucketIds } from '../features/featurize.js';
import { FeatureExtractor } from '../features/extractor.js';
import { measureFamiliarity, measureWordFamiliarity, KnownFeatureSet, type KnownFeatures } from './familiarity.js';
import { loadArtifact } from '../artifact/load.js';
import type { ArtifactManifest } from '../artifact/manifest.js';
import type { NetworkWeights } from './weights.js';
import { createScratch, forward, softmax, type ForwardScratch } from './forward.js';
import { join } from 'node:path';
import { ArtifactError, PolicyError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { decide, textShape, resolvePolicy, SHAPE_COUNTED, type DecisionOptions, type DecisionPolicy, type DecisionReason } from './decision.js';

/** The decision for one buyer question. */
export interface Decision {
  /** Most likely intent; null only for empty input. */
  intent: string | null;
  /** Calibrated probability of `intent` (0 for empty input). */
  confidence: number;
  /**
   * Most likely language: pl, cs, sk, hu, en, or "other" for any language the bot does not
   * answer in (reason `unsupported_language`); null for empty input.
   */
  language: string | null;
  languageConfidence: number;
  /** Share of the question's features seen in training, 0–1 (reason `unfamiliar` when too low). */
  familiarity: number;
  /** Share of them seen in training rows of `intent`, 0–1 (reason `unfamiliar` when too low). */
  intentFamiliarity: number;
  /** Mean over the words of how much of each was seen in training rows of `intent`, 0–1 (reason `unfamiliar` when too low). */
  wordFamiliarity: number;
  /** true = the bot may answer now; false = route the question to the seller. */
  answer: boolean;
  reason: DecisionReason;
  /** The top three intents with their calibrated probabilities. */
  alternatives: { intent: string; confidence: number }[];
  modelVersion: string;
}

/**
 * A loaded Allina model. Pure TypeScript: no TensorFlow.js is loaded at run time.
 *
 * @example
 * import { loadModel } from 'allina';
 * const model = loadModel('models/default');
 * const decision = model.classify('Gdzie jest moja paczka?');
 * if (decision.answer) replyFromOrderData(decision.intent);
 * else forwardToSeller(decision.reason);
 */
export class AllinaModel {
  readonly manifest: ArtifactManifest;
  private readonly weights: NetworkWeights;
  private readonly defaults: DecisionPolicy;
  private readonly scratch: ForwardScratch;
  /** Reused between calls (classification is synchronous): no per-question buffers. */
  private readonly extractor: FeatureExtractor;
  private idBuffer = new Int32Array(512);
  /** Each feature's intent mask, written by the familiarity lookup and read by word familiarity. */
  private maskBuffer = new Uint32Array(512);
  private readonly intentProbabilities: Float64Array;
  private readonly languageProbabilities: Float64Array;
  /** null for format-1 models, which have no known-feature set (every message counts as familiar). */
  private readonly knownFeatures: KnownFeatureSet | null;

  constructor(manifest: ArtifactManifest, weights: NetworkWeights, knownFeatures: KnownFeatures | KnownFeatureSet | null = null) {
    this.manifest = manifest;
    this.weights = weights;
    this.knownFeatures = knownFeatures instanceof KnownFeatureSet || knownFeatures === null ? knownFeatures : new KnownFeatureSet(knownFeatures);
    this.scratch = createScratch(weights);
    this.extractor = new FeatureExtractor(manifest.featurizer);
    this.intentProbabilities = new Float64Array(weights.shape.intents);
    this.languageProbabilities = new Float64Array(weights.shape.languages);
    this.defaults = {
      threshold: manifest.decision.threshold,
      margin: manifest.decision.margin,
      answerableIntents: new Set(manifest.answerableIntents),
      enabled: true,
      otherIntent: manifest.otherIntent,
      unsupportedLanguage: manifest.unsupportedLanguage ?? '',
      minimumLetters: manifest.decision.minimumLetters ?? 1,
      minimumWords: manifest.decision.minimumWords ?? 1,
      minimumFamiliarity: manifest.decision.minimumFamiliarity ?? 0,
      minimumIntentFamiliarity: manifest.decision.minimumIntentFamiliarity ?? 0,
      minimumWordFamiliarity: manifest.decision.minimumWordFamiliarity ?? 0,
    };
  }

  /** The policy in force for `options` (artifact defaults overridden by what is given). */
  policy(options?: DecisionOptions): DecisionPolicy {
    if (options === undefined) return this.defaults;
    const policy = resolvePolicy(this.defaults, options);
    if (options?.answerableIntents) {
      for (const intent of policy.answerableIntents) {
        if (!this.manifest.intents.includes(intent)) throw new PolicyError(`answerableIntents: unknown intent '${intent}' (known: ${this.manifest.intents.join(', ')})`);
      }
    }
    return policy;
  }

  /** Classifies one question and decides whether the bot may answer it. */
  classify(text: string, options?: DecisionOptions): Decision {
    return this.classifyWithPolicy(text, this.policy(options));
  }

  /** Classifies many questions; results are in input order. */
  classifyBatch(texts: readonly string[], options?: DecisionOptions): Decision[] {
    if (!Array.isArray(texts)) throw new PolicyError(`classifyBatch takes an array of questions, got ${texts === null ? 'null' : typeof texts}`);
    const policy = this.policy(options);
    return texts.map((text) => this.classifyWithPolicy(text, policy));
  }

  /** Calibrated intent probabilities in `manifest.intents` order, or null for empty input. */
  probabilities(text: string): Float64Array | null {
    const count = this.featureIds(typeof text === 'string' ? text : '');
    if (count === 0) return null;
    return softmax(forward(this.weights, this.idBuffer, this.scratch, count).intentLogits, this.manifest.calibration.temperature);
  }

  /** Extracts a message's features: full hashes in the extractor, bucket ids in idBuffer; returns their number. */
  private featureIds(message: string): number {
    const count = this.extractor.extract(message);
    if (this.idBuffer.length < count) {
      this.idBuffer = new Int32Array(count * 2);
      this.maskBuffer = new Uint32Array(count * 2);
    }
    bucketIds(this.extractor.hashes, this.manifest.featurizer.buckets, this.idBuffer, count);
    return count;
  }

  private classifyWithPolicy(text: string, policy: DecisionPolicy): Decision {
    // Services pass whatever arrived; a non-string is treated as an empty message, not a crash.
    const message = typeof text === 'string' ? text : '';
    const count = this.featureIds(message);
    if (count === 0) {
      return { intent: null, confidence: 0, language: null, languageConfidence: 0, familiarity: 0, intentFamiliarity: 0, wordFamiliarity: 0, answer: false, reason: 'empty_input', alternatives: [], modelVersion: this.manifest.modelVersion };
    }
    const { intentLogits, languageLogits } = forward(this.weights, this.idBuffer, this.scratch, count);
    const intentProbabilities = softmax(intentLogits, this.manifest.calibration.temperature, this.intentProbabilities);
    const languageProbabilities = softmax(languageLogits, 1, this.languageProbabilities);
    const ranked = topIntents(intentProbabilities, this.manifest.intents, 3);
    const topIndex = this.manifest.intents.indexOf(ranked[0].intent);
    let known = { overall: 1, intent: 1 };
    let wordFamiliarity = 1;
    if (this.knownFeatures) {
      known = measureFamiliarity(this.extractor.hashes, this.knownFeatures, topIndex, count, this.maskBuffer);
      wordFamiliarity = measureWordFamiliarity(this.maskBuffer, this.extractor.words, topIndex, this.manifest.featurizer.charNgramMin, this.manifest.featurizer.charNgramMax);
    }
    const bestLanguage = indexOfMaximum(languageProbabilities);
    const language = this.manifest.languages[bestLanguage];
    // Fields spelled out: spreading textShape's result here cost as much as the whole forward pass.
    const extractor = this.extractor;
    const shape = extractor.plainLetters >= 0 ? { letters: Math.min(extractor.plainLetters, SHAPE_COUNTED), words: Math.min(extractor.plainWords, SHAPE_COUNTED) } : textShape(message);
    const evidence = { letters: shape.letters, words: shape.words, language, familiarity: known.overall, intentFamiliarity: known.intent, wordFamiliarity };
    const { answer, reason } = decide(policy, ranked[0], ranked[1]?.confidence ?? 0, evidence);
    return {
      intent: ranked[0].intent,
      confidence: ranked[0].confidence,
      language,
      languageConfidence: languageProbabilities[bestLanguage],
      familiarity: known.overall,
      intentFamiliarity: known.intent,
      wordFamiliarity,
      answer,
      reason,
      alternatives: ranked,
      modelVersion: this.manifest.modelVersion,
    };
  }
}

/**
 * The `count` most probable intents, most probable first: one scan keeping the best indices in
 * order (cheaper than sorting all, and it builds only the objects it returns). Ties keep the
 * earlier intent first.
 */
function topIntents(probabilities: Float64Array, intents: string[], count: number): { intent: string; confidence: number }[] {
  const best = topIndices.length >= count ? topIndices : (topIndices = new Int32Array(count));
  let kept = 0;
  for (let index = 0; index < probabilities.length; index++) {
    const confidence = probabilities[index];
    if (kept === count && confidence <= probabilities[best[count - 1]]) continue;
    let position = kept < count ? kept++ : count - 1;
    while (position > 0 && probabilities[best[position - 1]] < confidence) {
      best[position] = best[position - 1];
      position--;
    }
    best[position] = index;
  }
  const top = new Array<{ intent: string; confidence: number }>(kept);
  for (let rank = 0; rank < kept; rank++) top[rank] = { intent: intents[best[rank]], confidence: probabilities[best[rank]] };
  return top;
}

let topIndices = new Int32Array(3);

function indexOfMaximum(values: ArrayLike<number>): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) if (values[index] > values[best]) best = index;
  return best;
}

/** Where the model shipped with the package lives (what `loadModel()` loads). */
export const SHIPPED_MODEL_PATH = join(packageRoot(), 'models', 'default');

/**
 * Loads a model artifact directory (as written by `allina train`); with no argument, the model
 * shipped with the package. Throws an `ArtifactError` with a one-line message if it is missing,
 * truncated, corrupt or of an unsupported format version.
 *
 * @example
 * const model = loadModel();
 * model.classify('kdy dorazí balík?').intent // → 'delivery_status'
 */
export function loadModel(directory: string = SHIPPED_MODEL_PATH): AllinaModel {
  if (typeof directory !== 'string' || directory === '') throw new ArtifactError(String(directory), 'loadModel takes a model directory path');
  const { manifest, weights, knownFeatures } = loadArtifact(directory);
  return new AllinaModel(manifest, weights, knownFeatures);
}
