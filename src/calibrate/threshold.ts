import { decide, type DecisionPolicy, type MessageEvidence } from '../runtime/decision.js';

/** A scored prediction, as the threshold search needs it: what `decide` sees, and the truth. */
export interface ScoredPrediction {
  predicted: string;
  actual: string;
  confidence: number;
  secondConfidence: number;
  evidence: MessageEvidence;
}

export interface ThresholdChoice {
  /** Lowest confidence at which the bot may answer. 1.01 means "never" (target unreachable). */
  threshold: number;
  /** Answered precision and answered count on the data it was chosen on. */
  precision: number;
  /** Wilson lower bound (one-sided 95%) of that precision: how low it may plausibly be. */
  precisionLowerBound: number;
  answered: number;
  reachable: boolean;
}

/** One-sided 95% confidence: the z of the Wilson lower bound reported by {@link chooseThreshold}. */
export const PRECISION_CONFIDENCE = 0.95;
const Z_ONE_SIDED_95 = 1.6448536269514722;

/**
 * Lower end of the Wilson score interval for a proportion `successes / trials` (one-sided, 95%).
 *
 * @example
 * wilsonLowerBound(290, 300) // → 0.945: 96.7% observed, but not surely above 95%
 */
export function wilsonLowerBound(successes: number, trials: number, z = Z_ONE_SIDED_95): number {
  if (trials === 0) return 0;
  const observed = successes / trials;
  const zSquared = z * z;
  const centre = observed + zSquared / (2 * trials);
  const spread = z * Math.sqrt((observed * (1 - observed)) / trials + zSquared / (4 * trials * trials));
  return (centre - spread) / (1 + zSquared / trials);
}

/**
 * Picks the answer threshold on dev: the lowest confidence t at which the questions the bot
 * would answer under `policy` with threshold t (runtime/decision.ts `decide`: answerable intent,
 * margin, letters, language, familiarity) reach `targetPrecision`. Cuts with fewer than
 * `minimumAnswered` answered questions are ignored.
 *
 * The Wilson lower bound of that precision is reported with it (`precisionLowerBound`, stored
 * in the artifact) because the observed figure is an estimate: with ~300 answered dev questions
 * its standard error is about 1.2 points (measured on a batch from new writers: 94.7% for a
 * threshold set at 95.3% on dev; see data/README.md). Requiring the bound itself to reach the
 * target was tried and rejected: on the shipped corpus it raised the threshold to 0.97 and cut
 * test coverage from 84% to 50%.
 */
export function chooseThreshold(
  predictions: ScoredPrediction[],
  policy: DecisionPolicy,
  targetPrecision: number,
  minimumAnswered = 30,
): ThresholdChoice {
  const anyConfidence = { ...policy, threshold: 0 };
  const eligible = predictions
    .filter((prediction) => decide(anyConfidence, { intent: prediction.predicted, confidence: prediction.confidence }, prediction.secondConfidence, prediction.evidence).answer)
    .sort((a, b) => b.confidence - a.confidence);
  // Walk from the most confident down, tracking precision of everything at or above each cut.
  let correct = 0;
  let best: ThresholdChoice = { threshold: 1.01, precision: 1, precisionLowerBound: 0, answered: 0, reachable: false };
  for (let index = 0; index < eligible.length; index++) {
    if (eligible[index].predicted === eligible[index].actual) correct++;
    // Only cut between different confidences: all questions with the same score go together.
    if (index + 1 < eligible.length && eligible[index + 1].confidence === eligible[index].confidence) continue;
    const answered = index + 1;
    const precision = correct / answered;
    if (answered < minimumAnswered) continue;
    if (precision >= targetPrecision) {
      best = { threshold: eligible[index].confidence, precision, precisionLowerBound: wilsonLowerBound(correct, answered), answered, reachable: true };
    }
  }
  return best;
}
