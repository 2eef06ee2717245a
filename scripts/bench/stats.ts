/** Small statistics helpers for the benchmarks. */

/** The value at quantile q (0..1) by the nearest-rank method; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nanoseconds (from process.hrtime.bigint differences) to microseconds. */
export function nanosecondsToMicroseconds(nanoseconds: bigint): number {
  return Number(nanoseconds) / 1000;
}

/** Nanoseconds to milliseconds. */
export function nanosecondsToMilliseconds(nanoseconds: bigint): number {
  return Number(nanoseconds) / 1e6;
}

/** Latency summary in microseconds. */
export interface LatencySummary {
  calls: number;
  medianMicroseconds: number;
  p90Microseconds: number;
  p99Microseconds: number;
  maxMicroseconds: number;
}

export function summariseLatencies(microseconds: readonly number[]): LatencySummary {
  return {
    calls: microseconds.length,
    medianMicroseconds: median(microseconds),
    p90Microseconds: quantile(microseconds, 0.9),
    p99Microseconds: quantile(microseconds, 0.99),
    maxMicroseconds: microseconds.length ? Math.max(...microseconds) : Number.NaN,
  };
}
