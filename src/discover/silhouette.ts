import { kmeans, squaredDistance, type Points } from './kmeans.js';

/**
 * Mean silhouette (Rousseeuw 1987) of a clustering, with Euclidean distances: for each point,
 * (b − a) / max(a, b), where a is its mean distance to its own cluster and b the smallest mean
 * distance to another cluster. 1 = tight, well-separated clusters; near 0 = overlapping.
 * O(n² · dimension): run it on a sample.
 *
 * @example
 * const points = { count: 4, dimension: 1, data: Float32Array.of(0, 0.1, 5, 5.1) };
 * silhouetteScore(points, Int32Array.of(0, 0, 1, 1), 2) // → ≈ 0.98
 */
export function silhouetteScore(points: Points, labels: Int32Array, k: number): number {
  const { count, dimension, data } = points;
  const sizes = new Int32Array(k);
  for (let point = 0; point < count; point++) sizes[labels[point]]++;
  const sums = new Float64Array(k);
  let total = 0;
  for (let point = 0; point < count; point++) {
    sums.fill(0);
    for (let other = 0; other < count; other++) {
      if (other === point) continue;
      sums[labels[other]] += Math.sqrt(squaredDistance(data, point * dimension, data, other * dimension, dimension));
    }
    const own = labels[point];
    // A point alone in its cluster scores 0, by convention.
    if (sizes[own] <= 1) continue;
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let cluster = 0; cluster < k; cluster++) if (cluster !== own && sizes[cluster] > 0) b = Math.min(b, sums[cluster] / sizes[cluster]);
    if (!Number.isFinite(b)) continue;
    const denominator = Math.max(a, b);
    if (denominator > 0) total += (b - a) / denominator;
  }
  return count === 0 ? 0 : total / count;
}

/** Silhouette of one candidate k. */
export interface KScore {
  k: number;
  silhouette: number;
}

/**
 * Picks the number of topics: k-means for each candidate k on `points` (a sample), scored by
 * the mean silhouette; the best score wins, and among scores within `tolerance` of it the
 * smallest k (fewer, broader topics are easier to act on). Deterministic with the seed.
 */
export function chooseK(points: Points, candidates: number[], options: { seed: number; tolerance?: number; onCandidate?: (score: KScore) => void }): { k: number; scores: KScore[] } {
  const scores: KScore[] = [];
  for (const k of candidates) {
    if (k < 2 || k >= points.count) continue;
    const result = kmeans(points, k, { seed: options.seed, restarts: 2, spherical: true });
    const score = { k, silhouette: silhouetteScore(points, result.assignments, k) };
    scores.push(score);
    options.onCandidate?.(score);
  }
  if (scores.length === 0) return { k: Math.max(1, Math.min(2, points.count)), scores };
  const best = Math.max(...scores.map((score) => score.silhouette));
  const chosen = scores.filter((score) => score.silhouette >= best - (options.tolerance ?? 0.005)).sort((a, b) => a.k - b.k)[0];
  return { k: chosen.k, scores };
}

/** Candidate ks from 2 to `maximum`: every k up to 12, then steps of about 15%. */
export function candidateKs(maximum: number): number[] {
  const candidates: number[] = [];
  for (let k = 2; k <= maximum; k = k < 12 ? k + 1 : Math.max(k + 1, Math.round(k * 1.15))) candidates.push(k);
  return candidates;
}
