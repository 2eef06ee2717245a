import { embeddingBagMean, type NetworkWeights } from './weights.js';

/** Reusable buffers so that classifying a question allocates only its outputs. */
export interface ForwardScratch {
  bag: Float32Array;
  hidden: Float32Array;
}

export function createScratch(weights: NetworkWeights): ForwardScratch {
  return { bag: new Float32Array(weights.shape.dimension), hidden: new Float32Array(Math.max(1, weights.shape.hidden)) };
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
 * question once features are computed. Returns raw logits; temperature and softmax are applied
 * by the caller.
 */
export function forward(weights: NetworkWeights, ids: Int32Array, scratch: ForwardScratch = createScratch(weights)): ForwardOutput {
  const { dimension, hidden, intents, languages } = weights.shape;
  const bag = scratch.bag;
  bag.fill(0);
  embeddingBagMean(weights.embedding, dimension, ids, bag);
  const intentLogits = new Float32Array(intents);
  if (hidden > 0) {
    const hiddenValues = scratch.hidden;
    denseInto(bag, dimension, weights.hiddenKernel, weights.hiddenBias, hiddenValues);
    for (let unit = 0; unit < hidden; unit++) if (hiddenValues[unit] < 0) hiddenValues[unit] = 0;
    denseInto(hiddenValues, hidden, weights.intentKernel, weights.intentBias, intentLogits);
  } else {
    denseInto(bag, dimension, weights.intentKernel, weights.intentBias, intentLogits);
  }
  const languageLogits = new Float32Array(languages);
  denseInto(bag, dimension, weights.languageKernel, weights.languageBias, languageLogits);
  return { intentLogits, languageLogits };
}

/** Softmax of logits / temperature, computed stably. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const probabilities = new Float64Array(logits.length);
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
