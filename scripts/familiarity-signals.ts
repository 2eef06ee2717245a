/**
 * Compares candidate "familiarity" signals — what the decision looks at besides softmax
 * confidence — on dev risk–coverage, to choose the one the runtime uses (docs/OPEN-WORLD.md).
 *
 *   npm run build && node dist/scripts/familiarity-signals.js [--model DIR] [--train DIR] [--tune DIR] [--json]
 *
 * The model's own corpus dev split (recomputed from its seed and the training files) and the
 * open-world tuning split are scored once. For every signal, the same search as training's
 * (calibrate/decision-cuts.ts) picks a cut on the signal together with the confidence threshold:
 * the most coverage on dev + tuning with answered precision ≥ the target there and at most
 * TRAINING_DEFAULTS.maximumTuningOtherAnswerRate of the tuning `other` questions answered. The evaluation split (data/openworld) is never read.
 *
 * Signals:
 *   confidence only    no second cut (the baseline)
 *   familiarity        share of the message's feature occurrences seen in training (full hashes)
 *   share of words seen  share of its word tokens seen in training
 *   max logit          the largest raw intent logit (an energy-style score)
 *   centroid cosine    cosine between the message's bag and the mean training bag of its predicted intent
 *   intent familiarity share of its feature occurrences seen in training rows of its predicted intent
 *   word familiarity   mean over its words of how much of each was seen in training rows of its
 *                      predicted intent (the word, else its longest character n-grams)
 *   familiarity + intent + word familiarity   the three cuts searched together, as training does
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLabelledData, type LabelledExample } from '../src/data/csv.js';
import { stratifiedSplit } from '../src/data/split.js';
import { actionableIntent } from '../src/data/taxonomy.js';
import { bucketIds, featureStrings, featurize } from '../src/features/featurize.js';
import { fnv1a32 } from '../src/features/hash.js';
import { foldDiacritics, normalizeText, tokenize } from '../src/text/normalize.js';
import { loadArtifact } from '../src/artifact/load.js';
import { embeddingBagMean } from '../src/runtime/weights.js';
import { createScratch, forward, softmax } from '../src/runtime/forward.js';
import { measureFamiliarity, measureWordFamiliarity } from '../src/runtime/familiarity.js';
import { FeatureExtractor } from '../src/features/extractor.js';
import { textShape } from '../src/runtime/decision.js';
import { chooseDecisionCuts, uncutPolicy, type DecisionCuts } from '../src/calibrate/decision-cuts.js';
import type { ScoredPrediction } from '../src/calibrate/threshold.js';
import { defaultPaths } from '../src/cli/options.js';
import { TRAINING_DEFAULTS } from '../src/train/recipe.js';
import { formatNumber, formatPercent, renderTable } from '../src/cli/table.js';
import { packageRoot } from '../src/util/package-root.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: defaultPaths.model },
    train: { type: 'string', multiple: true },
    tune: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  },
});

const { manifest, weights, knownFeatures } = loadArtifact(args.model!);
if (!knownFeatures) throw new Error(`${args.model}: a format-1 model has no known-feature set`);
const known = knownFeatures;
const intents = manifest.intents;
const dimension = weights.shape.dimension;
const scratch = createScratch(weights);
const extractor = new FeatureExtractor(manifest.featurizer);

const trainPaths = args.train ?? [defaultPaths.trainData];
const tunePaths = args.tune ?? [join(packageRoot(), 'data', 'tune')];
const corpus = readLabelledData(trainPaths);
const split = stratifiedSplit(corpus, (example) => `${example.lang}|${example.intent}`, manifest.training.options.devFraction as number, manifest.training.seed);
const tuning = readLabelledData(tunePaths);

// Mean training bag per (actionable) intent, for the centroid signal.
const centroids = intents.map(() => new Float64Array(dimension));
const centroidCounts = intents.map(() => 0);
for (const example of split.train) {
  const bag = new Float32Array(dimension);
  embeddingBagMean(weights.embedding, dimension, featurize(example.text, manifest.featurizer), bag);
  const intent = intents.indexOf(actionableIntent(example));
  for (let column = 0; column < dimension; column++) centroids[intent][column] += bag[column];
  centroidCounts[intent]++;
}
centroids.forEach((centroid, intent) => centroid.forEach((value, column) => (centroid[column] = value / Math.max(1, centroidCounts[intent]))));

interface Scored {
  prediction: ScoredPrediction;
  signals: Record<string, number>;
}

/** Familiarity over the features that carry most evidence: all but character n-grams of 2–3. */
function longFeatureFamiliarity(text: string): Record<string, number> {
  const strings = featureStrings(text, manifest.featurizer);
  let total = 0;
  let seen = 0;
  let weighted = 0;
  let weightedSeen = 0;
  for (const feature of strings) {
    const isShortGram = feature.startsWith('c:') && Array.from(feature).length <= 5;
    const weight = feature.startsWith('c:') ? Array.from(feature).length - 2 : 5;
    const known_ = known.has(fnv1a32(feature));
    weighted += weight;
    if (known_) weightedSeen += weight;
    if (isShortGram) continue;
    total++;
    if (known_) seen++;
  }
  return { 'long-feature familiarity': total ? seen / total : 0, 'length-weighted familiarity': weighted ? weightedSeen / weighted : 0 };
}

function score(example: LabelledExample): Scored {
  // Extract first: a long message makes the extractor replace its hash buffer.
  const count = extractor.extract(example.text);
  const hashes = extractor.hashes.slice(0, count);
  const ids = bucketIds(hashes, manifest.featurizer.buckets);
  const { intentLogits, languageLogits } = forward(weights, ids, scratch);
  const probabilities = softmax(intentLogits, manifest.calibration.temperature);
  const order = Array.from(probabilities.keys()).sort((a, b) => probabilities[b] - probabilities[a]);
  let bestLanguage = 0;
  for (let index = 1; index < languageLogits.length; index++) if (languageLogits[index] > languageLogits[bestLanguage]) bestLanguage = index;
  const words = tokenize(foldDiacritics(normalizeText(example.text))).length;
  let knownWords = 0;
  for (let index = 0; index < words; index++) if (known.has(hashes[index])) knownWords++;
  const bag = new Float32Array(dimension);
  embeddingBagMean(weights.embedding, dimension, ids, bag);
  const centroid = centroids[order[0]];
  let dot = 0;
  let bagNorm = 0;
  let centroidNorm = 0;
  for (let column = 0; column < dimension; column++) {
    dot += bag[column] * centroid[column];
    bagNorm += bag[column] ** 2;
    centroidNorm += centroid[column] ** 2;
  }
  const evidence = { ...textShape(example.text), language: manifest.languages[bestLanguage], familiarity: 1, intentFamiliarity: 1, wordFamiliarity: 1 };
  const masks = new Uint32Array(hashes.length);
  const measured = measureFamiliarity(hashes, known, order[0], hashes.length, masks);
  const wordFamiliarity = measureWordFamiliarity(masks, extractor.words, order[0], manifest.featurizer.charNgramMin, manifest.featurizer.charNgramMax);
  return {
    prediction: { predicted: intents[order[0]], actual: actionableIntent(example), confidence: probabilities[order[0]], secondConfidence: probabilities[order[1]], evidence },
    signals: {
      'confidence only': 1,
      familiarity: measured.overall,
      'intent familiarity': measured.intent,
      'share of words seen': words ? knownWords / words : 0,
      'word familiarity': wordFamiliarity,
      ...longFeatureFamiliarity(example.text),
      'max logit': Math.max(...intentLogits),
      'centroid cosine': bagNorm && centroidNorm ? dot / Math.sqrt(bagNorm * centroidNorm) : 0,
    },
  };
}

const dev = split.dev.map(score);
const tune = tuning.map(score);
const policy = uncutPolicy({ margin: manifest.decision.margin, answerableIntents: manifest.answerableIntents, minimumLetters: manifest.decision.minimumLetters ?? 1, minimumWords: manifest.decision.minimumWords ?? 1 });

function quantileCuts(values: number[], count = 60): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const cuts = new Set<number>([sorted[0] - 1]);
  for (let index = 1; index < count; index++) cuts.add(sorted[Math.floor((index / count) * (sorted.length - 1))]);
  return [...cuts].sort((a, b) => a - b);
}

/** One row of the comparison: the cuts chosen for a signal. */
function resultRow(signal: string, cuts: DecisionCuts, secondCut?: string) {
  return {
    signal,
    cut: cuts.minimumFamiliarity,
    threshold: cuts.threshold.threshold,
    coverage: cuts.coverage,
    combinedPrecision: cuts.threshold.precision,
    tuningOtherAnswerRate: cuts.tuningOtherAnswerRate,
    limitMet: cuts.tuningLimitMet,
    secondCut,
  };
}

const results = Object.keys(dev[0].signals).map((signal) => {
  const withSignal = (items: Scored[]) => items.map(({ prediction, signals }) => ({ ...prediction, evidence: { ...prediction.evidence, familiarity: signals[signal] } }));
  const devScored = withSignal(dev);
  const tuneScored = withSignal(tune);
  const candidates = (signal === 'confidence only' ? [0] : quantileCuts([...devScored, ...tuneScored].map((item) => item.evidence.familiarity))).map((cut) => ({ familiarity: cut, intentFamiliarity: 0 }));
  return resultRow(signal, chooseDecisionCuts(devScored, tuneScored, policy, manifest.decision.targetPrecision, TRAINING_DEFAULTS.maximumTuningOtherAnswerRate, candidates));
});

// What the shipped recipe does: both familiarity cuts searched together (FAMILIARITY_CANDIDATES).
{
  const withBoth = (items: Scored[]) => items.map(({ prediction, signals }) => ({ ...prediction, evidence: { ...prediction.evidence, familiarity: signals.familiarity, intentFamiliarity: signals['intent familiarity'], wordFamiliarity: signals['word familiarity'] } }));
  const cuts = chooseDecisionCuts(withBoth(dev), withBoth(tune), policy, manifest.decision.targetPrecision, TRAINING_DEFAULTS.maximumTuningOtherAnswerRate);
  results.push(resultRow('familiarity + intent + word familiarity', cuts, `${formatNumber(cuts.minimumIntentFamiliarity)} / ${formatNumber(cuts.minimumWordFamiliarity)}`));
}

if (args.json) {
  process.stdout.write(`${JSON.stringify({ model: manifest.modelVersion, dev: dev.length, tuning: tune.length, results })}\n`);
} else {
  process.stdout.write(`model ${manifest.modelVersion}: ${dev.length} corpus dev + ${tune.length} open-world tuning questions; target ${formatPercent(manifest.decision.targetPrecision)}, at most ${formatPercent(TRAINING_DEFAULTS.maximumTuningOtherAnswerRate)} of the tuning 'other' answered\n\n`);
  process.stdout.write(`${renderTable(
    ['signal', 'cut', 'threshold', 'coverage dev+tuning', 'precision dev+tuning', "tuning 'other' answered", 'limit met'],
    results.map((row) => [row.signal, row.secondCut === undefined ? formatNumber(row.cut) : `${formatNumber(row.cut)} / ${row.secondCut}`, formatNumber(row.threshold), formatPercent(row.coverage), formatPercent(row.combinedPrecision), formatPercent(row.tuningOtherAnswerRate), row.limitMet ? 'yes' : 'no']),
  )}\n`);
}
