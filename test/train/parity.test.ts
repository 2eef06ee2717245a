import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initTrainingBackend } from '../../src/train/tf-backend.js';
import { denseLogits } from '../../src/train/fit-network.js';
import { loadArtifact } from '../../src/artifact/load.js';
import { forward } from '../../src/runtime/forward.js';
import { featurize } from '../../src/features/featurize.js';
import type { NetworkWeights } from '../../src/runtime/weights.js';
import { SeededRandom } from '../../src/util/random.js';
import { tinyDataset } from '../helpers/fixtures.js';
import { HAND_MADE_FEATURIZER, writeHandMadeModel } from '../helpers/hand-made-model.js';
import { intentLabels, languageClasses } from '../../src/data/taxonomy.js';

/**
 * Weights for the hand-made model's featurizer with every value drawn at random: the forward pass
 * must agree with TensorFlow.js for any weights, not only trained ones.
 */
function randomWeights(dimension: number, hidden: number, seed: number): NetworkWeights {
  const random = new SeededRandom(seed);
  const shape = { buckets: HAND_MADE_FEATURIZER.buckets, dimension, hidden, intents: intentLabels().length, languages: languageClasses().length };
  const values = (count: number) => Float32Array.from({ length: count }, () => random.next() * 2 - 1);
  return {
    shape,
    embedding: values(shape.buckets * shape.dimension),
    hiddenKernel: values(shape.dimension * hidden),
    hiddenBias: values(hidden),
    intentKernel: values((hidden || shape.dimension) * shape.intents),
    intentBias: values(shape.intents),
    languageKernel: values(shape.dimension * shape.languages),
    languageBias: values(shape.languages),
  };
}

describe('plain TypeScript forward pass vs TensorFlow.js', () => {
  it('gives the same logits (max abs difference < 1e-5), with and without a hidden layer, for the shipped dimension and another', async () => {
    await initTrainingBackend();
    for (const [dimension, hidden] of [[16, 0], [16, 16], [5, 0]]) {
      const weights = randomWeights(dimension, hidden, 7 + dimension + hidden);
      const shape = weights.shape;
      const texts = [...tinyDataset().slice(0, 40).map((row) => row.text), 'zcela neznámá věta', 'x'];
      const idLists = texts.map((text) => featurize(text, HAND_MADE_FEATURIZER));

      // TensorFlow.js: gather the rows, average each question's rows with a weight matrix, dense heads.
      const embedding = tf.tensor2d(weights.embedding, [shape.buckets, shape.dimension]);
      const allIds = idLists.flatMap((ids) => Array.from(ids));
      const averaging = new Float32Array(texts.length * allIds.length);
      let column = 0;
      idLists.forEach((ids, row) => {
        for (let index = 0; index < ids.length; index++) averaging[row * allIds.length + column++] = 1 / ids.length;
      });
      const bag = tf.matMul(tf.tensor2d(averaging, [texts.length, allIds.length]), tf.gather(embedding, tf.tensor1d(allIds, 'int32'))) as tf.Tensor2D;
      const logits = denseLogits(bag, {
        hiddenKernel: hidden ? tf.tensor2d(weights.hiddenKernel, [shape.dimension, hidden]) : undefined,
        hiddenBias: hidden ? tf.tensor1d(weights.hiddenBias) : undefined,
        intentKernel: tf.tensor2d(weights.intentKernel, [hidden || shape.dimension, shape.intents]),
        intentBias: tf.tensor1d(weights.intentBias),
        languageKernel: tf.tensor2d(weights.languageKernel, [shape.dimension, shape.languages]),
        languageBias: tf.tensor1d(weights.languageBias),
      });
      const tfjsIntent = logits.intent.arraySync();
      const tfjsLanguage = logits.language.arraySync();

      let maximumDifference = 0;
      idLists.forEach((ids, row) => {
        const plain = forward(weights, ids);
        plain.intentLogits.forEach((value, index) => (maximumDifference = Math.max(maximumDifference, Math.abs(value - tfjsIntent[row][index]))));
        plain.languageLogits.forEach((value, index) => (maximumDifference = Math.max(maximumDifference, Math.abs(value - tfjsLanguage[row][index]))));
      });
      expect(maximumDifference).toBeLessThan(1e-5);
      tf.dispose([embedding, bag, logits.intent, logits.language]);
    }
  });

  it('stores weights that TensorFlow.js\'s own weight decoder reads back exactly', async () => {
    const { directory } = writeHandMadeModel();
    const { weights } = loadArtifact(directory);
    const model = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
    const bytes = readFileSync(join(directory, 'weights.bin'));
    const decoded = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), model.weightsManifest[0].weights);
    expect(Array.from(decoded.intentKernel.dataSync())).toEqual(Array.from(weights.intentKernel));
    expect(Array.from(decoded.embedding.dataSync()).slice(0, 5000)).toEqual(Array.from(weights.embedding.slice(0, 5000)));
  });
});
