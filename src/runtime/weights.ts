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
 * Adds the mean of the embedding rows of `ids` into `out` (length = dimension), which the
 * caller zeroes first. Shared by training and the runtime so both compute the same bag.
 */
export function embeddingBagMean(embedding: Float32Array, dimension: number, ids: Int32Array, out: Float32Array, outOffset = 0): void {
  if (ids.length === 0) return;
  const scale = 1 / ids.length;
  for (let index = 0; index < ids.length; index++) {
    const rowStart = ids[index] * dimension;
    for (let column = 0; column < dimension; column++) out[outOffset + column] += embedding[rowStart + column] * scale;
  }
}
