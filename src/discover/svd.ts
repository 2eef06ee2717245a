import { scaleToLength } from './vectors.js';
import { SeededRandom } from '../util/random.js';
import type { SparseMatrix } from './tfidf.js';

/** A truncated SVD basis: `components` is columns × rank, row-major (one row per input column). */
export interface SvdBasis {
  rank: number;
  columns: number;
  /** V: projecting a row x gives x·V = the row's coordinates (u·σ) in the reduced space. */
  components: Float32Array;
  singularValues: Float64Array;
}

/**
 * Randomised truncated SVD of a sparse matrix (Halko, Martinsson & Tropp 2011, algorithm 4.4):
 * a seeded Gaussian sketch with `oversample` extra columns, `powerIterations` rounds of
 * power iteration, then the exact SVD of the small projected matrix.
 * Same matrix + same seed → same basis.
 *
 * @example
 * const basis = randomizedSvd(matrix, 100, { seed: 42 });
 */
export function randomizedSvd(matrix: SparseMatrix, rank: number, options: { seed: number; oversample?: number; powerIterations?: number }): SvdBasis {
  const { rows, columns } = matrix;
  const width = Math.max(1, Math.min(rank + (options.oversample ?? 10), rows, columns));
  const random = new SeededRandom(options.seed);
  // Row-major blocks (one row of `width` values per matrix row or column), so that every
  // sparse entry touches one contiguous run of memory.
  const sketch = new Float64Array(columns * width);
  for (let index = 0; index < sketch.length; index++) sketch[index] = gaussian(random);
  let range = multiply(matrix, sketch, width);
  // Power iterations sharpen the spectrum; columns are rescaled (not orthonormalised) between
  // them, which is enough for a few rounds and much cheaper (as scikit-learn does for ≤ 2).
  for (let iteration = 0; iteration < (options.powerIterations ?? 2); iteration++) {
    normalizeColumns(range, rows, width);
    const back = multiplyTransposed(matrix, range, width);
    normalizeColumns(back, columns, width);
    range = multiply(matrix, back, width);
  }
  orthonormalize(range, rows, width);
  // B = Qᵀ A, held as Bᵀ = Aᵀ Q (columns × width); B Bᵀ = (Bᵀ)ᵀ Bᵀ is width × width.
  const transposedB = multiplyTransposed(matrix, range, width);
  const gram = new Float64Array(width * width);
  for (let column = 0; column < columns; column++) {
    const base = column * width;
    for (let a = 0; a < width; a++) {
      const value = transposedB[base + a];
      if (value === 0) continue;
      for (let b = a; b < width; b++) gram[a * width + b] += value * transposedB[base + b];
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) gram[a * width + b] = gram[b * width + a];
  const { values, vectors } = symmetricEigen(gram, width);
  const kept = Math.min(rank, width);
  const order = [...values.keys()].sort((a, b) => values[b] - values[a]).slice(0, kept);
  const singularValues = Float64Array.from(order, (index) => Math.sqrt(Math.max(values[index], 0)));
  // V = Bᵀ W Σ⁻¹, stored row-major (columns × kept) for fast projection of sparse rows.
  const rotation = new Float64Array(width * kept);
  order.forEach((eigenIndex, component) => {
    const sigma = singularValues[component];
    if (sigma <= 1e-12) return;
    for (let j = 0; j < width; j++) rotation[j * kept + component] = vectors[j * width + eigenIndex] / sigma;
  });
  const components = new Float32Array(columns * kept);
  for (let column = 0; column < columns; column++) {
    const base = column * width;
    for (let j = 0; j < width; j++) {
      const value = transposedB[base + j];
      if (value === 0) continue;
      for (let component = 0; component < kept; component++) components[column * kept + component] += value * rotation[j * kept + component];
    }
  }
  return { rank: kept, columns, components, singularValues };
}

/**
 * Coordinates of one sparse row in the reduced space, L2-normalised (so that Euclidean k-means
 * on them clusters by cosine similarity). A row with no known term maps to the zero vector.
 */
export function projectRow(basis: SvdBasis, rowColumns: Int32Array, rowValues: Float32Array, out: Float32Array = new Float32Array(basis.rank)): Float32Array {
  const { rank, components } = basis;
  out.fill(0);
  for (let index = 0; index < rowColumns.length; index++) {
    const value = rowValues[index];
    const offset = rowColumns[index] * rank;
    for (let component = 0; component < rank; component++) out[component] += value * components[offset + component];
  }
  scaleToLength(out);
  return out;
}

function gaussian(random: SeededRandom): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A · X for row-major X (columns × width) → row-major (rows × width). */
function multiply(matrix: SparseMatrix, block: Float64Array, width: number): Float64Array {
  const { rows, offsets, indices, values } = matrix;
  const out = new Float64Array(rows * width);
  for (let row = 0; row < rows; row++) {
    const outBase = row * width;
    for (let entry = offsets[row]; entry < offsets[row + 1]; entry++) {
      const value = values[entry];
      const inBase = indices[entry] * width;
      for (let j = 0; j < width; j++) out[outBase + j] += value * block[inBase + j];
    }
  }
  return out;
}

/** Aᵀ · Y for row-major Y (rows × width) → row-major (columns × width). */
function multiplyTransposed(matrix: SparseMatrix, block: Float64Array, width: number): Float64Array {
  const { rows, columns, offsets, indices, values } = matrix;
  const out = new Float64Array(columns * width);
  for (let row = 0; row < rows; row++) {
    const inBase = row * width;
    for (let entry = offsets[row]; entry < offsets[row + 1]; entry++) {
      const value = values[entry];
      const outBase = indices[entry] * width;
      for (let j = 0; j < width; j++) out[outBase + j] += value * block[inBase + j];
    }
  }
  return out;
}

function normalizeColumns(block: Float64Array, length: number, width: number): void {
  const norms = new Float64Array(width);
  for (let index = 0; index < length; index++) for (let j = 0; j < width; j++) norms[j] += block[index * width + j] ** 2;
  for (let j = 0; j < width; j++) norms[j] = norms[j] > 0 ? 1 / Math.sqrt(norms[j]) : 0;
  for (let index = 0; index < length; index++) for (let j = 0; j < width; j++) block[index * width + j] *= norms[j];
}

/**
 * Modified Gram–Schmidt with one re-orthogonalisation pass, in place on a row-major block
 * (worked on a column-major copy, where each column is contiguous).
 */
function orthonormalize(block: Float64Array, length: number, width: number): void {
  const columnMajor = new Float64Array(length * width);
  for (let index = 0; index < length; index++) for (let j = 0; j < width; j++) columnMajor[j * length + index] = block[index * width + j];
  for (let j = 0; j < width; j++) {
    const base = j * length;
    for (let pass = 0; pass < 2; pass++) {
      for (let previous = 0; previous < j; previous++) {
        const other = previous * length;
        let dot = 0;
        for (let index = 0; index < length; index++) dot += columnMajor[base + index] * columnMajor[other + index];
        for (let index = 0; index < length; index++) columnMajor[base + index] -= dot * columnMajor[other + index];
      }
    }
    let norm = 0;
    for (let index = 0; index < length; index++) norm += columnMajor[base + index] * columnMajor[base + index];
    norm = Math.sqrt(norm);
    // A column that vanished (rank below the width) stays zero rather than becoming noise.
    const scale = norm > 1e-10 ? 1 / norm : 0;
    for (let index = 0; index < length; index++) columnMajor[base + index] *= scale;
  }
  for (let index = 0; index < length; index++) for (let j = 0; j < width; j++) block[index * width + j] = columnMajor[j * length + index];
}

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations.
 * Returns eigenvalues and eigenvectors (column e of `vectors`, row-major size × size).
 */
export function symmetricEigen(input: Float64Array, size: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const vectors = new Float64Array(size * size);
  for (let index = 0; index < size; index++) vectors[index * size + index] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < size; p++) for (let q = p + 1; q < size; q++) offDiagonal += a[p * size + q] * a[p * size + q];
    if (offDiagonal < 1e-22) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * size + q] - a[p * size + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p];
          const akq = a[k * size + q];
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k];
          const aqk = a[q * size + k];
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = vectors[k * size + p];
          const vkq = vectors[k * size + q];
          vectors[k * size + p] = c * vkp - s * vkq;
          vectors[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(size);
  for (let index = 0; index < size; index++) values[index] = a[index * size + index];
  return { values, vectors };
}
