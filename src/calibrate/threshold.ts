/** A scored prediction, as the threshold search needs it. */
export interface ScoredPrediction {
  predicted: string;
  actual: string;
  confidence: number;
  /** Top-1 minus top-2 probability. */
  margin: number;
}

export interface ThresholdChoice {
  /** Lowest confidence at which the bot may answer. 1.01 means "never" (target unreachable). */
  threshold: number;
  /** Answered precision and answered count on the data it was chosen on. */
  precision: number;
  answered: number;
  reachable: boolean;
}

/**
 * Picks the answer threshold on dev: the lowest confidence t such that, for t and every higher
 * candidate threshold, the questions the bot would answer (predicted intent answerable,
 * confidence ≥ t, margin ≥ `margin`) reach `targetPrecision`. Requiring it of every higher
 * threshold too keeps one lucky cut on a small dev set from setting the bar.
 *
 * Candidates with fewer than `minimumAnswered` answered questions are ignored (their precision is
 * noise).
 */
export function chooseThreshold(
  predictions: ScoredPrediction[],
  answerableIntents: Set<string>,
  targetPrecision: number,
  margin: number,
  minimumAnswered = 30,
): ThresholdChoice {
  const eligible = predictions
    .filter((prediction) => answerableIntents.has(prediction.predicted) && prediction.margin >= margin)
    .sort((a, b) => b.confidence - a.confidence);
  // Walk from the most confident down, tracking precision of everything at or above each cut.
  let correct = 0;
  let best: ThresholdChoice = { threshold: 1.01, precision: 1, answered: 0, reachable: false };
  let failedAbove = false;
  for (let index = 0; index < eligible.length; index++) {
    if (eligible[index].predicted === eligible[index].actual) correct++;
    // Only cut between different confidences: all questions with the same score go together.
    if (index + 1 < eligible.length && eligible[index + 1].confidence === eligible[index].confidence) continue;
    const answered = index + 1;
    const precision = correct / answered;
    if (answered < minimumAnswered) continue;
    if (precision < targetPrecision) failedAbove = true;
    if (!failedAbove) best = { threshold: eligible[index].confidence, precision, answered, reachable: true };
  }
  return best;
}
