import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { trainTinyModel } from '../helpers/tiny-model.js';
import { initTrainingBackend } from '../../src/train/tf-backend.js';
import { denseLogits } from '../../src/train/fit-network.js';
import { loadArtifact } from '../../src/artifact/load.js';
import { forward } from '../../src/runtime/forward.js';
import { featurize } from '../../src/features/featurize.js';
import { tinyDataset } from '../helpers/fixtures.js';

describe('plain TypeScript forward pass vs TensorFlow.js', () => {
  it('gives the same logits (max abs difference < 1e-5), with and without a hidden layer', async () => {
    await initTrainingBackend();
    for (const hidden of [0, 16]) {
      const { directory } = await trainTinyModel({ hidden });
      const { manifest, weights } = loadArtifact(directory);
      const shape = weights.shape;
      const texts = [...tinyDataset().slice(0, 40).map((row) => row.text), 'zcela neznámá věta', 'x'];
      const idLists = texts.map((text) => featurize(text, manifest.featurizer));

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
    const { directory } = await trainTinyModel();
    const { weights } = loadArtifact(directory);
    const model = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
    const bytes = readFileSync(join(directory, 'weights.bin'));
    const decoded = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), model.weightsManifest[0].weights);
    expect(Array.from(decoded.intentKernel.dataSync())).toEqual(Array.from(weights.intentKernel));
    expect(Array.from(decoded.embedding.dataSync()).slice(0, 5000)).toEqual(Array.from(weights.embedding.slice(0, 5000)));
  });
});
