import { embeddingBagMean, type NetworkWeights } from './weights.js';

/** Reusable buffers so that classifying a question allocates nothing in the forward pass. */
export interface ForwardScratch {
  bag: Float32Array;
  hidden: Float32Array;
  intentLogits: Float32Array;
  languageLogits: Float32Array;
}

export function createScratch(weights: NetworkWeights): ForwardScratch {
  return {
    bag: new Float32Array(weights.shape.dimension),
    hidden: new Float32Array(Math.max(1, weights.shape.hidden)),
    intentLogits: new Float32Array(weights.shape.intents),
    languageLogits: new Float32Array(weights.shape.languages),
  };
}

export interface ForwardOutput {
  intentLogits: Float32Array;
  languageLogits: Float32Array;
}

function denseInto(input: Float32Array, inputSize: number, kernel: Float32Array, bias: Float32Array, out: Float32Array): void {
  const outputSize = bias.length;
  for (let unit = 0; unit < outputSize; unit++) out[unit] = bias[unit];
  for (let row = 0; row < inputSize; row++) {
    const value = input[row];
    if (value === 0) continue;
    const kernelRow = row * outputSize;
    for (let unit = 0; unit < outputSize; unit++) out[unit] += value * kernel[kernelRow + unit];
  }
}

/**
 * The network's forward pass in plain TypeScript (no TensorFlow.js): about a microsecond per
 * question once features are computed. Returns raw logits (in the scratch buffers: copy them to
 * keep them past the next call); temperature and softmax are applied by the caller. Reads the
 * first `count` ids.
 */
export function forward(weights: NetworkWeights, ids: Int32Array, scratch: ForwardScratch = createScratch(weights), count = ids.length): ForwardOutput {
  const { dimension, hidden } = weights.shape;
  const bag = scratch.bag;
  bag.fill(0);
  embeddingBagMean(weights.embedding, dimension, ids, bag, 0, count);
  const intentLogits = scratch.intentLogits;
  if (hidden > 0) {
    const hiddenValues = scratch.hidden;
    denseInto(bag, dimension, weights.hiddenKernel, weights.hiddenBias, hiddenValues);
    for (let unit = 0; unit < hidden; unit++) if (hiddenValues[unit] < 0) hiddenValues[unit] = 0;
    denseInto(hiddenValues, hidden, weights.intentKernel, weights.intentBias, intentLogits);
  } else {
    denseInto(bag, dimension, weights.intentKernel, weights.intentBias, intentLogits);
  }
  const languageLogits = scratch.languageLogits;
  denseInto(bag, dimension, weights.languageKernel, weights.languageBias, languageLogits);
  return { intentLogits, languageLogits };
}

/** Softmax of logits / temperature, computed stably (into `out` when given). */
export function softmax(logits: ArrayLike<number>, temperature = 1, out: Float64Array = new Float64Array(logits.length)): Float64Array {
  const probabilities = out;
  let maximum = -Infinity;
  for (let index = 0; index < logits.length; index++) maximum = Math.max(maximum, logits[index] / temperature);
  let sum = 0;
  for (let index = 0; index < logits.length; index++) {
    probabilities[index] = Math.exp(logits[index] / temperature - maximum);
    sum += probabilities[index];
  }
  for (let index = 0; index < logits.length; index++) probabilities[index] /= sum;
  return probabilities;
}
