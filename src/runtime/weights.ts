/**
 * The network's shape and weights as plain typed arrays. This file has no TensorFlow.js import:
 * the runtime, the artifact code and the trainer all share these types.
 *
 *   bag      = mean of embedding rows of the message's feature ids          [dimension]
 *   hidden   = relu(bag · hiddenKernel + hiddenBias)     (when hidden > 0)   [hidden]
 *   intent   = softmax((hidden or bag) · intentKernel + intentBias) / T      [intents]
 *   language = softmax(bag · languageKernel + languageBias)                  [languages]
 */
export interface NetworkShape {
  buckets: number;
  dimension: number;
  /** Units of the optional hidden layer on the intent head; 0 = linear (fastText-style). */
  hidden: number;
  intents: number;
  languages: number;
}

export interface NetworkWeights {
  shape: NetworkShape;
  /** [buckets, dimension], row-major. */
  embedding: Float32Array;
  /** [dimension, hidden] and [hidden]; empty when shape.hidden is 0. */
  hiddenKernel: Float32Array;
  hiddenBias: Float32Array;
  /** [hidden or dimension, intents] and [intents]. */
  intentKernel: Float32Array;
  intentBias: Float32Array;
  /** [dimension, languages] and [languages]. */
  languageKernel: Float32Array;
  languageBias: Float32Array;
}

/** The weight tensors in the order they are stored in `weights.bin`, with their shapes. */
export function weightSpecs(shape: NetworkShape): { name: keyof NetworkWeights & string; shape: number[] }[] {
  const intentInput = shape.hidden > 0 ? shape.hidden : shape.dimension;
  const specs: { name: keyof NetworkWeights & string; shape: number[] }[] = [
    { name: 'embedding', shape: [shape.buckets, shape.dimension] },
  ];
  if (shape.hidden > 0) {
    specs.push({ name: 'hiddenKernel', shape: [shape.dimension, shape.hidden] });
    specs.push({ name: 'hiddenBias', shape: [shape.hidden] });
  }
  specs.push(
    { name: 'intentKernel', shape: [intentInput, shape.intents] },
    { name: 'intentBias', shape: [shape.intents] },
    { name: 'languageKernel', shape: [shape.dimension, shape.languages] },
    { name: 'languageBias', shape: [shape.languages] },
  );
  return specs;
}

/**
 * Adds the mean of the embedding rows of the first `count` ids into `out` (length = dimension),
 * which the caller zeroes first. Shared by training and the runtime so both compute the same
 * bag: rows are summed in double precision, column by column in id order, then scaled once.
 */
export function embeddingBagMean(embedding: Float32Array, dimension: number, ids: Int32Array, out: Float32Array, outOffset = 0, count = ids.length): void {
  if (count === 0) return;
  const scale = 1 / count;
  if (dimension === 16) {
    sixteenColumnBag(embedding, ids, count, scale, out, outOffset);
    return;
  }
  const sums = columnSums.length >= dimension ? columnSums : (columnSums = new Float64Array(dimension));
  sums.fill(0, 0, dimension);
  for (let index = 0; index < count; index++) {
    const rowStart = ids[index] * dimension;
    for (let column = 0; column < dimension; column++) sums[column] += embedding[rowStart + column];
  }
  for (let column = 0; column < dimension; column++) out[outOffset + column] += sums[column] * scale;
}

let columnSums = new Float64Array(64);

/**
 * The shipped dimension with the sums in locals (registers), which V8 compiles to about a third
 * of the time of the general loop; the arithmetic is the same.
 */
function sixteenColumnBag(embedding: Float32Array, ids: Int32Array, count: number, scale: number, out: Float32Array, offset: number): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  let s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
  for (let index = 0; index < count; index++) {
    const row = ids[index] << 4;
    s0 += embedding[row]; s1 += embedding[row + 1]; s2 += embedding[row + 2]; s3 += embedding[row + 3];
    s4 += embedding[row + 4]; s5 += embedding[row + 5]; s6 += embedding[row + 6]; s7 += embedding[row + 7];
    s8 += embedding[row + 8]; s9 += embedding[row + 9]; s10 += embedding[row + 10]; s11 += embedding[row + 11];
    s12 += embedding[row + 12]; s13 += embedding[row + 13]; s14 += embedding[row + 14]; s15 += embedding[row + 15];
  }
  out[offset] += s0 * scale; out[offset + 1] += s1 * scale; out[offset + 2] += s2 * scale; out[offset + 3] += s3 * scale;
  out[offset + 4] += s4 * scale; out[offset + 5] += s5 * scale; out[offset + 6] += s6 * scale; out[offset + 7] += s7 * scale;
  out[offset + 8] += s8 * scale; out[offset + 9] += s9 * scale; out[offset + 10] += s10 * scale; out[offset + 11] += s11 * scale;
  out[offset + 12] += s12 * scale; out[offset + 13] += s13 * scale; out[offset + 14] += s14 * scale; out[offset + 15] += s15 * scale;
}
