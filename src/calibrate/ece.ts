/** One equal-width confidence bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Lower and upper edge of the bin (the last bin includes 1). */
  from: number;
  to: number;
  count: number;
  /** Mean confidence of the predictions in the bin (0 when empty). */
  confidence: number;
  /** Share of them that were right (0 when empty). */
  accuracy: number;
}

/**
 * Predictions put into `bins` equal-width confidence bins, with each bin's mean confidence and
 * accuracy: the points of a reliability diagram and the terms of {@link expectedCalibrationError}.
 *
 * @example
 * reliabilityBins([0.9, 0.6], [true, false], 2) // → [{ from: 0, to: 0.5, count: 0, … }, { from: 0.5, to: 1, count: 2, confidence: 0.75, accuracy: 0.5 }]
 */
export function reliabilityBins(confidences: number[], correct: boolean[], bins = 15): ReliabilityBin[] {
  const count = new Array<number>(bins).fill(0);
  const confidenceSum = new Array<number>(bins).fill(0);
  const correctSum = new Array<number>(bins).fill(0);
  confidences.forEach((confidence, index) => {
    const bin = Math.min(bins - 1, Math.floor(confidence * bins));
    count[bin]++;
    confidenceSum[bin] += confidence;
    if (correct[index]) correctSum[bin]++;
  });
  return count.map((size, bin) => ({
    from: bin / bins,
    to: (bin + 1) / bins,
    count: size,
    confidence: size ? confidenceSum[bin] / size : 0,
    accuracy: size ? correctSum[bin] / size : 0,
  }));
}

/**
 * Expected calibration error: predictions are put into equal-width confidence bins; ECE is the
 * average |accuracy − mean confidence| over bins, weighted by bin size. 0 = perfectly calibrated.
 *
 * @example
 * expectedCalibrationError([0.9, 0.6], [true, false]) // → 0.35
 */
export function expectedCalibrationError(confidences: number[], correct: boolean[], bins = 15): number {
  if (confidences.length === 0) return 0;
  let error = 0;
  for (const bin of reliabilityBins(confidences, correct, bins)) {
    if (bin.count === 0) continue;
    error += (bin.count / confidences.length) * Math.abs(bin.accuracy - bin.confidence);
  }
  return error;
}
