/**
 * Expected calibration error: predictions are put into equal-width confidence bins; ECE is the
 * average |accuracy − mean confidence| over bins, weighted by bin size. 0 = perfectly calibrated.
 *
 * @example
 * expectedCalibrationError([0.9, 0.6], [true, false]) // → 0.35
 */
export function expectedCalibrationError(confidences: number[], correct: boolean[], bins = 15): number {
  if (confidences.length === 0) return 0;
  const count = new Array<number>(bins).fill(0);
  const confidenceSum = new Array<number>(bins).fill(0);
  const correctSum = new Array<number>(bins).fill(0);
  confidences.forEach((confidence, index) => {
    const bin = Math.min(bins - 1, Math.floor(confidence * bins));
    count[bin]++;
    confidenceSum[bin] += confidence;
    if (correct[index]) correctSum[bin]++;
  });
  let error = 0;
  for (let bin = 0; bin < bins; bin++) {
    if (count[bin] === 0) continue;
    error += (count[bin] / confidences.length) * Math.abs(correctSum[bin] / count[bin] - confidenceSum[bin] / count[bin]);
  }
  return error;
}
