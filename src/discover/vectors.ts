/**
 * Scales `vector` in place to Euclidean length √`squaredLength` (1: unit length); false, and
 * the vector left as it is, when it is all zeros.
 *
 * @example
 * const vector = Float32Array.of(3, 4);
 * scaleToLength(vector) // → true; vector is [0.6, 0.8]
 */
export function scaleToLength(vector: Float32Array, squaredLength = 1): boolean {
  let norm = 0;
  for (let index = 0; index < vector.length; index++) norm += vector[index] * vector[index];
  if (norm <= 0) return false;
  const scale = Math.sqrt(squaredLength / norm);
  for (let index = 0; index < vector.length; index++) vector[index] *= scale;
  return true;
}
