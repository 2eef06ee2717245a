import { SeededRandom } from '../util/random.js';

/** Dense points, row-major: point i is [i*dimension, (i+1)*dimension). */
export interface Points {
  count: number;
  dimension: number;
  data: Float32Array;
}

export interface KMeansResult {
  k: number;
  /** k × dimension, row-major. */
  centroids: Float32Array;
  assignments: Int32Array;
  /** Sum of squared distances of points to their centroid. */
  inertia: number;
  iterations: number;
}

/** Squared Euclidean distance between the vectors at `aOffset` in `a` and `bOffset` in `b`. */
export function squaredDistance(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dimension: number): number {
  let sum = 0;
  for (let index = 0; index < dimension; index++) {
    const difference = a[aOffset + index] - b[bOffset + index];
    sum += difference * difference;
  }
  return sum;
}

/** The index of the nearest centroid to `vector` and the squared distance to it. */
export function nearestCentroid(vector: Float32Array, offset: number, centroids: Float32Array, k: number, dimension: number): { index: number; distance: number } {
  let best = 0;
  let bestDistance = Infinity;
  for (let cluster = 0; cluster < k; cluster++) {
    const distance = squaredDistance(vector, offset, centroids, cluster * dimension, dimension);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = cluster;
    }
  }
  return { index: best, distance: bestDistance };
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007; 2 + ln k candidates per step, each
 * sampled ∝ D², the one that lowers the potential most kept, as scikit-learn does).
 */
export function seedKMeansPlusPlus(points: Points, k: number, random: SeededRandom): Float32Array {
  const { count, dimension, data } = points;
  const centroids = new Float32Array(k * dimension);
  const first = random.nextInt(count);
  centroids.set(data.subarray(first * dimension, (first + 1) * dimension), 0);
  const closest = new Float64Array(count);
  let potential = 0;
  for (let point = 0; point < count; point++) {
    closest[point] = squaredDistance(data, point * dimension, centroids, 0, dimension);
    potential += closest[point];
  }
  const trials = 2 + Math.floor(Math.log(k));
  const candidateDistances = new Float64Array(count);
  let bestDistances = new Float64Array(count);
  for (let cluster = 1; cluster < k; cluster++) {
    let bestCandidate = -1;
    let bestPotential = Infinity;
    for (let trial = 0; trial < trials; trial++) {
      const candidate = potential > 0 ? sampleProportional(closest, potential, random) : random.nextInt(count);
      let candidatePotential = 0;
      for (let point = 0; point < count; point++) {
        const distance = Math.min(closest[point], squaredDistance(data, point * dimension, data, candidate * dimension, dimension));
        candidateDistances[point] = distance;
        candidatePotential += distance;
      }
      if (candidatePotential < bestPotential) {
        bestPotential = candidatePotential;
        bestCandidate = candidate;
        bestDistances = Float64Array.from(candidateDistances);
      }
    }
    centroids.set(data.subarray(bestCandidate * dimension, (bestCandidate + 1) * dimension), cluster * dimension);
    closest.set(bestDistances);
    potential = bestPotential;
  }
  return centroids;
}

function sampleProportional(weights: Float64Array, total: number, random: SeededRandom): number {
  let target = random.next() * total;
  for (let index = 0; index < weights.length; index++) {
    target -= weights[index];
    if (target < 0) return index;
  }
  for (let index = weights.length - 1; index >= 0; index--) if (weights[index] > 0) return index;
  return weights.length - 1;
}

/**
 * Lloyd iterations from the given centroids until no point changes cluster (or
 * `maxIterations`). A cluster that empties takes the point farthest from its centroid.
 */
export function lloyd(points: Points, initial: Float32Array, k: number, maxIterations: number, spherical = false): KMeansResult {
  const { count, dimension, data } = points;
  const centroids = Float32Array.from(initial);
  const assignments = new Int32Array(count).fill(-1);
  const distances = new Float64Array(count);
  const sums = new Float64Array(k * dimension);
  const sizes = new Int32Array(k);
  let iterations = 0;
  let inertia = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    inertia = 0;
    for (let point = 0; point < count; point++) {
      const { index, distance } = nearestCentroid(data, point * dimension, centroids, k, dimension);
      if (assignments[point] !== index) changed++;
      assignments[point] = index;
      distances[point] = distance;
      inertia += distance;
    }
    if (changed === 0 && iterations > 0) break;
    sums.fill(0);
    sizes.fill(0);
    for (let point = 0; point < count; point++) {
      const cluster = assignments[point];
      sizes[cluster]++;
      const base = cluster * dimension;
      const offset = point * dimension;
      for (let index = 0; index < dimension; index++) sums[base + index] += data[offset + index];
    }
    for (let cluster = 0; cluster < k; cluster++) {
      const base = cluster * dimension;
      if (sizes[cluster] === 0) {
        let farthest = 0;
        for (let point = 1; point < count; point++) if (distances[point] > distances[farthest]) farthest = point;
        distances[farthest] = 0;
        centroids.set(data.subarray(farthest * dimension, (farthest + 1) * dimension), base);
        continue;
      }
      let norm = 0;
      for (let index = 0; index < dimension; index++) norm += sums[base + index] * sums[base + index];
      const scale = spherical && norm > 0 ? 1 / Math.sqrt(norm) : 1 / sizes[cluster];
      for (let index = 0; index < dimension; index++) centroids[base + index] = sums[base + index] * scale;
    }
  }
  return { k, centroids, assignments, inertia, iterations };
}

/**
 * k-means: `restarts` seeded k-means++ starts, Lloyd iterations from each, the lowest inertia
 * kept. Same points + same seed → same clusters.
 *
 * @example
 * const points = { count: 4, dimension: 1, data: Float32Array.of(0, 0.1, 5, 5.1) };
 * kmeans(points, 2, { seed: 1 }).assignments // → two clusters: [a, a, b, b]
 */
export function kmeans(points: Points, k: number, options: { seed: number; restarts?: number; maxIterations?: number; spherical?: boolean }): KMeansResult {
  if (k < 1 || k > points.count) throw new RangeError(`k must be between 1 and the number of points (${points.count}), got ${k}`);
  const random = new SeededRandom(options.seed);
  let best: KMeansResult | undefined;
  for (let restart = 0; restart < (options.restarts ?? 3); restart++) {
    const result = lloyd(points, seedKMeansPlusPlus(points, k, random.fork()), k, options.maxIterations ?? 100, options.spherical ?? false);
    if (!best || result.inertia < best.inertia) best = result;
  }
  return best!;
}
