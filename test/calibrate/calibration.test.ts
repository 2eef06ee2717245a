import { describe, expect, it } from 'vitest';
import { fitTemperature, negativeLogLikelihood } from '../../src/calibrate/temperature.js';
import { expectedCalibrationError } from '../../src/calibrate/ece.js';
import { chooseThreshold, wilsonLowerBound, type ScoredPrediction } from '../../src/calibrate/threshold.js';
import { SeededRandom } from '../../src/util/random.js';
import { FAMILIAR, testPolicy } from '../helpers/policy.js';

describe('temperature scaling', () => {
  it('softens an over-confident model (T > 1) and lowers NLL', () => {
    // 70% of predictions right, but logits say ~99%.
    const random = new SeededRandom(1);
    const logits: number[][] = [];
    const labels: number[] = [];
    for (let index = 0; index < 400; index++) {
      const predicted = random.nextInt(3);
      logits.push([0, 1, 2].map((label) => (label === predicted ? 6 : 0)));
      labels.push(random.next() < 0.7 ? predicted : (predicted + 1) % 3);
    }
    const temperature = fitTemperature(logits, labels);
    expect(temperature).toBeGreaterThan(1.5);
    expect(negativeLogLikelihood(logits, labels, temperature)).toBeLessThan(negativeLogLikelihood(logits, labels, 1));
  });

  it('sharpens an under-confident model (T < 1)', () => {
    const logits = Array.from({ length: 100 }, (_, index) => [index % 2 ? 0.3 : 0, index % 2 ? 0 : 0.3]);
    const labels = logits.map((_, index) => (index % 2 ? 0 : 1));
    expect(fitTemperature(logits, labels)).toBeLessThan(0.5);
  });
});

describe('expectedCalibrationError', () => {
  it('is zero for perfectly calibrated bins and |acc − conf| otherwise', () => {
    expect(expectedCalibrationError([0.5, 0.5], [true, false])).toBeCloseTo(0);
    expect(expectedCalibrationError([0.9, 0.6], [true, false])).toBeCloseTo(0.35);
  });
});

describe('wilsonLowerBound', () => {
  it('matches the Wilson score interval (one-sided 95%) and tightens as the sample grows', () => {
    // Reference values computed separately (Python) from the Wilson formula with z = 1.6449.
    expect(wilsonLowerBound(95, 100)).toBeCloseTo(0.9008, 3);
    expect(wilsonLowerBound(950, 1000)).toBeCloseTo(0.9374, 3);
    expect(wilsonLowerBound(30, 30)).toBeCloseTo(0.9173, 3);
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });
});

describe('chooseThreshold', () => {
  const answerable = testPolicy({ minimumFamiliarity: 0.5 });
  const evidence = FAMILIAR;
  const predicted = (confidence: number, actual: string): ScoredPrediction => ({ predicted: 'delivery_status', actual, confidence, secondConfidence: confidence - 0.5, evidence });
  const predictions: ScoredPrediction[] = [];
  // 100 confident right answers, then below 0.6 every other answer is wrong.
  for (let index = 0; index < 100; index++) predictions.push(predicted(0.99 - index * 0.003, 'delivery_status'));
  for (let index = 0; index < 40; index++) predictions.push(predicted(0.6 - index * 0.01, index % 2 ? 'delivery_status' : 'complaint'));

  it('returns the lowest confidence that keeps answered precision at the target, with its lower bound', () => {
    const choice = chooseThreshold(predictions, answerable, 0.95);
    expect(choice.reachable).toBe(true);
    expect(choice.precision).toBeGreaterThanOrEqual(0.95);
    expect(choice.threshold).toBeLessThan(0.6);
    // Lowering it one more step must break the target.
    const answeredBelow = predictions.filter((prediction) => prediction.confidence >= choice.threshold - 0.0101);
    const precisionBelow = answeredBelow.filter((prediction) => prediction.predicted === prediction.actual).length / answeredBelow.length;
    expect(precisionBelow).toBeLessThan(0.95);
    const correct = Math.round(choice.precision * choice.answered);
    expect(choice.precisionLowerBound).toBeCloseTo(wilsonLowerBound(correct, choice.answered), 10);
    expect(choice.precisionLowerBound).toBeLessThan(choice.precision);
  });

  it('ignores cuts with fewer than the minimum number of answers', () => {
    const few: ScoredPrediction[] = Array.from({ length: 20 }, (_, index) => predicted(0.99 - index * 0.01, 'delivery_status'));
    expect(chooseThreshold(few, answerable, 0.95).reachable).toBe(false);
    expect(chooseThreshold(few, answerable, 0.95, 10)).toMatchObject({ reachable: true, answered: 20, precision: 1 });
  });

  it('counts only what decide would answer: answerable intent, margin, letters, language, familiarity', () => {
    const refused = (change: Partial<ScoredPrediction>) => chooseThreshold(predictions.map((prediction) => ({ ...prediction, ...change })), answerable, 0.95);
    expect(refused({ predicted: 'complaint' })).toMatchObject({ reachable: false, answered: 0 });
    expect(refused({ secondConfidence: 0.9 })).toMatchObject({ reachable: false, answered: 0 });
    expect(refused({ evidence: { ...evidence, letters: 0 } })).toMatchObject({ reachable: false, answered: 0 });
    expect(refused({ evidence: { ...evidence, language: 'other' } })).toMatchObject({ reachable: false, answered: 0 });
    expect(refused({ evidence: { ...evidence, familiarity: 0.2 } })).toMatchObject({ reachable: false, answered: 0 });
  });

  it('reports an unreachable target instead of answering', () => {
    const wrong = predictions.map((prediction) => ({ ...prediction, actual: 'complaint' }));
    const choice = chooseThreshold(wrong, answerable, 0.95);
    expect(choice.reachable).toBe(false);
    expect(choice.threshold).toBeGreaterThan(1);
  });
});
