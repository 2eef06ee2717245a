import { softmax } from '../runtime/forward.js';
import { expectedCalibrationError } from './ece.js';

/** Mean negative log-likelihood of the true labels under softmax(logits / temperature). */
export function negativeLogLikelihood(logits: ArrayLike<number>[], labels: number[], temperature: number): number {
  let total = 0;
  for (let index = 0; index < logits.length; index++) {
    const probabilities = softmax(logits[index], temperature);
    total -= Math.log(Math.max(probabilities[labels[index]], 1e-12));
  }
  return total / Math.max(1, logits.length);
}

/**
 * Temperature scaling (Guo et al., 2017): the single T > 0 that minimises dev NLL of
 * softmax(logits / T). T > 1 softens an over-confident model. Golden-section search over log T
 * in [0.05, 20]; NLL is unimodal in T for a fixed set of logits.
 *
 * @example
 * const temperature = fitTemperature(devLogits, devLabels); // e.g. 1.7
 */
export function fitTemperature(logits: ArrayLike<number>[], labels: number[]): number {
  if (logits.length === 0) return 1;
  let low = Math.log(0.05);
  let high = Math.log(20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let left = high - ratio * (high - low);
  let right = low + ratio * (high - low);
  let leftLoss = negativeLogLikelihood(logits, labels, Math.exp(left));
  let rightLoss = negativeLogLikelihood(logits, labels, Math.exp(right));
  for (let iteration = 0; iteration < 60; iteration++) {
    if (leftLoss < rightLoss) {
      high = right;
      right = left;
      rightLoss = leftLoss;
      left = high - ratio * (high - low);
      leftLoss = negativeLogLikelihood(logits, labels, Math.exp(left));
    } else {
      low = left;
      left = right;
      leftLoss = rightLoss;
      right = low + ratio * (high - low);
      rightLoss = negativeLogLikelihood(logits, labels, Math.exp(right));
    }
  }
  return Math.exp((low + high) / 2);
}

/**
 * Expected calibration error of the top prediction under softmax(logits / temperature): what
 * the manifest records before (T = 1) and after temperature scaling.
 */
export function calibrationErrorAt(logits: ArrayLike<number>[], labels: number[], temperature: number): number {
  const confidences: number[] = [];
  const correct: boolean[] = [];
  logits.forEach((row, index) => {
    const probabilities = softmax(row, temperature);
    let best = 0;
    for (let position = 1; position < probabilities.length; position++) if (probabilities[position] > probabilities[best]) best = position;
    confidences.push(probabilities[best]);
    correct.push(best === labels[index]);
  });
  return expectedCalibrationError(confidences, correct);
}
