import { SeededRandom } from '../util/random.js';

/**
 * How sure the promotion gate can be that a candidate's macro-F1 is really lower than the
 * current model's on the same questions, and not lower by the luck of which questions the test
 * split happens to hold.
 *
 * A paired bootstrap: draw the questions again with replacement, score both models on the same
 * draw, and count how often the candidate comes out lower. Pairing matters: two models mostly
 * agree, so the difference between them varies far less than either score does. With ~480 test
 * questions per language a difference of 0.02 in macro-F1 is a handful of questions, well within
 * what retraining with another seed moves.
 *
 * Macro-F1 is computed as `eval/metrics.ts` computes it: the mean F1 over the intents present in
 * the draw's truth or in that model's predictions.
 */
export interface PairedScores {
  /** True intent of each question, as an index into the intents. */
  actual: Int32Array;
  /** The current model's predicted intent index per question. */
  current: Int32Array;
  /** The candidate's predicted intent index per question. */
  candidate: Int32Array;
  intentCount: number;
}

/**
 * The share of `resamples` bootstrap draws in which the candidate's macro-F1 is below the
 * current model's (ties count half), from a fixed seed so that a gate decision is repeatable.
 * 0.5 when there are no questions.
 *
 * @example
 * // the candidate gets one question of four wrong that the current model got right
 * const scores = { actual: Int32Array.of(0, 0, 1, 1), current: Int32Array.of(0, 0, 1, 1), candidate: Int32Array.of(0, 1, 1, 1), intentCount: 2 };
 * shareOfDrawsCandidateLower(scores, 1000) // → about 0.84: lower in every draw that holds question 1, a tie in the rest
 */
export function shareOfDrawsCandidateLower(scores: PairedScores, resamples: number, seed = 1): number {
  const count = scores.actual.length;
  if (count === 0) return 0.5;
  const random = new SeededRandom(seed);
  const weights = new Int32Array(count);
  const currentCounts = new IntentCounts(scores.intentCount);
  const candidateCounts = new IntentCounts(scores.intentCount);
  let lower = 0;
  for (let draw = 0; draw < resamples; draw++) {
    weights.fill(0);
    for (let pick = 0; pick < count; pick++) weights[random.nextInt(count)]++;
    currentCounts.reset();
    candidateCounts.reset();
    for (let question = 0; question < count; question++) {
      const weight = weights[question];
      if (weight === 0) continue;
      currentCounts.add(scores.actual[question], scores.current[question], weight);
      candidateCounts.add(scores.actual[question], scores.candidate[question], weight);
    }
    const difference = candidateCounts.macroF1() - currentCounts.macroF1();
    if (difference < 0) lower += 1;
    else if (difference === 0) lower += 0.5;
  }
  return lower / resamples;
}

/** Per-intent true positives, predictions and support of one model on one draw. */
class IntentCounts {
  private readonly truePositives: Float64Array;
  private readonly predicted: Float64Array;
  private readonly support: Float64Array;

  constructor(intentCount: number) {
    this.truePositives = new Float64Array(intentCount);
    this.predicted = new Float64Array(intentCount);
    this.support = new Float64Array(intentCount);
  }

  reset(): void {
    this.truePositives.fill(0);
    this.predicted.fill(0);
    this.support.fill(0);
  }

  add(actual: number, predicted: number, weight: number): void {
    this.support[actual] += weight;
    this.predicted[predicted] += weight;
    if (actual === predicted) this.truePositives[actual] += weight;
  }

  macroF1(): number {
    let sum = 0;
    let present = 0;
    for (let intent = 0; intent < this.support.length; intent++) {
      if (this.support[intent] === 0 && this.predicted[intent] === 0) continue;
      present++;
      const precision = this.predicted[intent] ? this.truePositives[intent] / this.predicted[intent] : 0;
      const recall = this.support[intent] ? this.truePositives[intent] / this.support[intent] : 0;
      sum += precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    }
    return present ? sum / present : 0;
  }
}
