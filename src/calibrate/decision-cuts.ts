import { decide, textShape, type DecisionPolicy } from '../runtime/decision.js';
import type { AllinaModel } from '../runtime/model.js';
import type { LabelledExample } from '../data/csv.js';
import { actionableIntent, OTHER_INTENT, UNSUPPORTED_LANGUAGE } from '../data/taxonomy.js';
import { chooseThreshold, type ScoredPrediction, type ThresholdChoice } from './threshold.js';

export interface DecisionCuts {
  threshold: ThresholdChoice;
  /** Least familiarity an answered question needs. */
  minimumFamiliarity: number;
  /** Least familiarity with the predicted intent's training rows. */
  minimumIntentFamiliarity: number;
  /** Least word familiarity with the predicted intent. */
  minimumWordFamiliarity: number;
  /** Correct answers / answerable questions on dev + tuning at these cuts. */
  coverage: number;
  /** Share of the tuning data's `other` questions answered at these cuts. */
  tuningOtherAnswerRate: number;
  /** Whether the tuning `other` rate is at or under the limit (always, by construction). */
  tuningLimitMet: boolean;
}

/**
 * The policy the cut search starts from: the fixed rules (margin, answerable set, letters and
 * words, the `other` intent and language class), with no threshold and no familiarity cut yet.
 */
export function uncutPolicy(rules: { margin: number; answerableIntents: Iterable<string>; minimumLetters: number; minimumWords: number }): DecisionPolicy {
  return {
    threshold: 0,
    margin: rules.margin,
    answerableIntents: new Set(rules.answerableIntents),
    enabled: true,
    otherIntent: OTHER_INTENT,
    unsupportedLanguage: UNSUPPORTED_LANGUAGE,
    minimumLetters: rules.minimumLetters,
    minimumWords: rules.minimumWords,
    minimumFamiliarity: 0,
    minimumIntentFamiliarity: 0,
    minimumWordFamiliarity: 0,
  };
}

/** `policy` with the chosen cuts applied. */
export function withCuts(policy: DecisionPolicy, cuts: DecisionCuts): DecisionPolicy {
  return { ...policy, threshold: cuts.threshold.threshold, minimumFamiliarity: cuts.minimumFamiliarity, minimumIntentFamiliarity: cuts.minimumIntentFamiliarity, minimumWordFamiliarity: cuts.minimumWordFamiliarity };
}

/** A set of familiarity cuts to try (a missing word cut is 0). */
export interface FamiliarityCut {
  familiarity: number;
  intentFamiliarity: number;
  wordFamiliarity?: number;
}

function steps(from: number, to: number): number[] {
  return [0, ...Array.from({ length: Math.round((to - from) * 100) + 1 }, (_, index) => Math.round(from * 100 + index) / 100)];
}

/** Cuts tried: familiarity 0 or 0.85–0.99, intent familiarity 0 or 0.70–0.99, word familiarity 0 or 0.80–0.99, in steps of 0.01. */
export const FAMILIARITY_CANDIDATES: readonly FamiliarityCut[] = steps(0.85, 0.99).flatMap((familiarity) =>
  steps(0.7, 0.99).flatMap((intentFamiliarity) => steps(0.8, 0.99).map((wordFamiliarity) => ({ familiarity, intentFamiliarity, wordFamiliarity }))),
);

function answeredBy(policy: DecisionPolicy, prediction: ScoredPrediction): boolean {
  return decide(policy, { intent: prediction.predicted, confidence: prediction.confidence }, prediction.secondConfidence, prediction.evidence).answer;
}

/**
 * Chooses the confidence threshold and the three familiarity cuts together. For every candidate set of cuts,
 * the threshold is the lowest that both answers at most `maximumOtherAnswerRate` of the tuning
 * data's `other` questions and keeps answered precision on dev + tuning at `targetPrecision`
 * ({@link chooseThreshold} above that floor); the set with the most coverage on dev + tuning
 * wins (ties: the lower cut, which refuses less of what neither set shows).
 *
 * Dev is the corpus's own held-out rows, written by the training data's writers, so nearly all
 * of it is familiar; tuning is open-world text from other writers (other businesses, platform
 * questions, other languages, and in-domain questions in their words). Coverage counts both so
 * that a cut is not judged free because the training data's own writers pass it.
 */
export function chooseDecisionCuts(
  dev: ScoredPrediction[],
  tuning: ScoredPrediction[],
  basePolicy: DecisionPolicy,
  targetPrecision: number,
  maximumOtherAnswerRate: number,
  candidates: readonly FamiliarityCut[] = FAMILIARITY_CANDIDATES,
): DecisionCuts {
  const everything = [...dev, ...tuning];
  const answerable = everything.filter((prediction) => basePolicy.answerableIntents.has(prediction.actual)).length;
  const tuningOthers = tuning.filter((prediction) => prediction.actual === basePolicy.otherIntent).length;
  const allowedOthers = Math.floor(maximumOtherAnswerRate * tuningOthers + 1e-9);
  // Cuts only add conditions: what the policy without cuts never answers, no cut answers. Leaving
  // those questions out once makes the search over thousands of cuts cheap.
  const uncut = { ...basePolicy, threshold: 0, minimumFamiliarity: 0, minimumIntentFamiliarity: 0, minimumWordFamiliarity: 0 };
  const all = everything.filter((prediction) => answeredBy(uncut, prediction));
  const tuningOther = tuning.filter((prediction) => prediction.actual === basePolicy.otherIntent && answeredBy(uncut, prediction));
  let best: DecisionCuts | undefined;
  for (const candidateCut of candidates) {
    const policy = { ...basePolicy, minimumFamiliarity: candidateCut.familiarity, minimumIntentFamiliarity: candidateCut.intentFamiliarity, minimumWordFamiliarity: candidateCut.wordFamiliarity ?? 0 };
    // The tuning `other` questions this cut would answer at any confidence, most confident first;
    // the threshold must lie above all but `allowedOthers` of them.
    const othersAnswerable = tuningOther.filter((prediction) => answeredBy({ ...policy, threshold: 0 }, prediction)).map((prediction) => prediction.confidence).sort((a, b) => b - a);
    const floor = othersAnswerable.length > allowedOthers ? othersAnswerable[allowedOthers] : -1;
    const threshold = chooseThreshold(all.filter((prediction) => prediction.confidence > floor), policy, targetPrecision);
    const cut = { ...policy, threshold: threshold.threshold };
    const correct = all.filter((prediction) => prediction.predicted === prediction.actual && answeredBy(cut, prediction)).length;
    const otherAnswered = tuningOther.filter((prediction) => answeredBy(cut, prediction)).length;
    const candidate: DecisionCuts = {
      threshold,
      minimumFamiliarity: candidateCut.familiarity,
      minimumIntentFamiliarity: candidateCut.intentFamiliarity,
      minimumWordFamiliarity: candidateCut.wordFamiliarity ?? 0,
      coverage: answerable ? correct / answerable : 0,
      tuningOtherAnswerRate: tuningOthers ? otherAnswered / tuningOthers : 0,
      tuningLimitMet: otherAnswered <= allowedOthers,
    };
    if (!candidate.tuningLimitMet) continue;
    if (!best || candidate.coverage > best.coverage) best = candidate;
  }
  // Some cut always meets the limit: a threshold above every tuning question answers none of them.
  return best!;
}

/**
 * A labelled question scored the way the cut search needs it, by the runtime's own `classify`
 * with no threshold and no margin, so the cuts are chosen on exactly what services compute.
 */
export function scoreForCuts(model: AllinaModel, example: LabelledExample): ScoredPrediction {
  const decision = model.classify(example.text, { threshold: 0, margin: 0 });
  return {
    predicted: decision.intent ?? OTHER_INTENT,
    actual: actionableIntent(example),
    confidence: decision.confidence,
    secondConfidence: decision.alternatives[1]?.confidence ?? 0,
    evidence: { ...textShape(example.text), language: decision.language ?? '', familiarity: decision.familiarity, intentFamiliarity: decision.intentFamiliarity, wordFamiliarity: decision.wordFamiliarity },
  };
}
