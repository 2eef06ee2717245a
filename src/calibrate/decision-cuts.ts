import { decide, type DecisionPolicy } from '../runtime/decision.js';
import { chooseThreshold, type ScoredPrediction, type ThresholdChoice } from './threshold.js';

export interface DecisionCuts {
  threshold: ThresholdChoice;
  /** Least familiarity an answered question needs. */
  minimumFamiliarity: number;
  /** Correct answers / answerable questions on dev + tuning at these cuts. */
  coverage: number;
  /** Share of the tuning data's `other` questions answered at these cuts. */
  tuningOtherAnswerRate: number;
  /** Whether the tuning `other` rate is at or under the limit (always, by construction). */
  tuningLimitMet: boolean;
}

/** Familiarity cuts tried: 0 to 0.99 in steps of 0.01. */
export const FAMILIARITY_CANDIDATES = Array.from({ length: 100 }, (_, index) => index / 100);

function answeredBy(policy: DecisionPolicy, prediction: ScoredPrediction): boolean {
  return decide(policy, { intent: prediction.predicted, confidence: prediction.confidence }, prediction.secondConfidence, prediction.evidence).answer;
}

/**
 * Chooses the confidence threshold and the familiarity cut together. For every candidate cut,
 * the threshold is the lowest that both answers at most `maximumOtherAnswerRate` of the tuning
 * data's `other` questions and keeps answered precision on dev + tuning at `targetPrecision`
 * ({@link chooseThreshold} above that floor); the pair with the most coverage on dev + tuning
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
  candidates: readonly number[] = FAMILIARITY_CANDIDATES,
): DecisionCuts {
  const all = [...dev, ...tuning];
  const answerable = all.filter((prediction) => basePolicy.answerableIntents.has(prediction.actual)).length;
  const tuningOther = tuning.filter((prediction) => prediction.actual === basePolicy.otherIntent);
  let best: DecisionCuts | undefined;
  const allowedOthers = Math.floor(maximumOtherAnswerRate * tuningOther.length + 1e-9);
  for (const minimumFamiliarity of candidates) {
    const policy = { ...basePolicy, minimumFamiliarity };
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
      minimumFamiliarity,
      coverage: answerable ? correct / answerable : 0,
      tuningOtherAnswerRate: tuningOther.length ? otherAnswered / tuningOther.length : 0,
      tuningLimitMet: otherAnswered <= allowedOthers,
    };
    if (!candidate.tuningLimitMet) continue;
    if (!best || candidate.coverage > best.coverage) best = candidate;
  }
  // Some cut always meets the limit: a threshold above every tuning question answers none of them.
  return best!;
}
