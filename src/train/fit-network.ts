import { tf, initTrainingBackend } from './tf-backend.js';
import { embeddingBagMean, type NetworkShape, type NetworkWeights } from '../runtime/weights.js';
import { forward, createScratch } from '../runtime/forward.js';
import { SeededRandom } from '../util/random.js';
import { NETWORK_TRAINING_DEFAULTS, type NetworkTrainingSettings } from './recipe.js';

/** One training row after featurisation. */
export interface EncodedExample {
  ids: Int32Array;
  intent: number;
  language: number;
  /** Loss weight: 1 for gold rows, lower for weak labels from the feedback loop. */
  weight: number;
}

export interface TrainingOptions extends NetworkTrainingSettings {
  /** Called after every epoch, e.g. to drive a progress spinner. */
  onEpoch?: (progress: EpochProgress) => void;
}

export interface EpochProgress {
  epoch: number;
  maxEpochs: number;
  loss: number;
  devLoss: number;
  devAccuracy: number;
  improved: boolean;
  secondsPerEpoch: number;
}

export interface TrainingResult {
  weights: NetworkWeights;
  bestEpoch: number;
  epochsRun: number;
  history: EpochProgress[];
  backend: string;
}

function glorotUniform(random: SeededRandom, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const values = new Float32Array(fanIn * fanOut);
  for (let index = 0; index < values.length; index++) values[index] = random.uniform(-limit, limit);
  return values;
}

/**
 * Sparse ("lazy") Adam for the embedding table. TensorFlow.js has no sparse gradients: a dense
 * update would touch all buckets × dimension values every step. Only the rows of the ids in a
 * batch get a gradient, so only they are updated, with the global step for bias correction.
 */
class SparseAdam {
  private readonly firstMoment: Float32Array;
  private readonly secondMoment: Float32Array;
  private step = 0;
  constructor(
    private readonly table: Float32Array,
    private readonly dimension: number,
    private readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.firstMoment = new Float32Array(table.length);
    this.secondMoment = new Float32Array(table.length);
  }

  /** rows[i] is a bucket id; gradients holds their gradient rows back to back. */
  apply(rows: number[], gradients: Float32Array): void {
    this.step++;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    const stepSize = (this.learningRate * Math.sqrt(correction2)) / correction1;
    for (let rowIndex = 0; rowIndex < rows.length; rowIndex++) {
      const tableOffset = rows[rowIndex] * this.dimension;
      const gradientOffset = rowIndex * this.dimension;
      for (let column = 0; column < this.dimension; column++) {
        const gradient = gradients[gradientOffset + column];
        const position = tableOffset + column;
        this.firstMoment[position] = this.beta1 * this.firstMoment[position] + (1 - this.beta1) * gradient;
        this.secondMoment[position] = this.beta2 * this.secondMoment[position] + (1 - this.beta2) * gradient * gradient;
        this.table[position] -= (stepSize * this.firstMoment[position]) / (Math.sqrt(this.secondMoment[position]) + this.epsilon);
      }
    }
  }
}

interface DenseVariables {
  hiddenKernel?: tf.Variable;
  hiddenBias?: tf.Variable;
  intentKernel: tf.Variable;
  intentBias: tf.Variable;
  languageKernel: tf.Variable;
  languageBias: tf.Variable;
}

/**
 * The dense part of the network in TensorFlow.js: from the bag of embeddings to intent and
 * language logits. Used for training, and by the parity test against the plain forward pass.
 */
export function denseLogits(bag: tf.Tensor2D, variables: { [K in keyof DenseVariables]: DenseVariables[K] | tf.Tensor }): { intent: tf.Tensor2D; language: tf.Tensor2D } {
  const intentInput = variables.hiddenKernel && variables.hiddenBias
    ? tf.relu(tf.add(tf.matMul(bag, variables.hiddenKernel as tf.Tensor2D), variables.hiddenBias))
    : bag;
  return {
    intent: tf.add(tf.matMul(intentInput as tf.Tensor2D, variables.intentKernel as tf.Tensor2D), variables.intentBias) as tf.Tensor2D,
    language: tf.add(tf.matMul(bag, variables.languageKernel as tf.Tensor2D), variables.languageBias) as tf.Tensor2D,
  };
}

function readDense(variables: DenseVariables, embedding: Float32Array, shape: NetworkShape): NetworkWeights {
  return {
    shape,
    embedding,
    hiddenKernel: variables.hiddenKernel ? (variables.hiddenKernel.dataSync() as Float32Array).slice() : new Float32Array(0),
    hiddenBias: variables.hiddenBias ? (variables.hiddenBias.dataSync() as Float32Array).slice() : new Float32Array(0),
    intentKernel: (variables.intentKernel.dataSync() as Float32Array).slice(),
    intentBias: (variables.intentBias.dataSync() as Float32Array).slice(),
    languageKernel: (variables.languageKernel.dataSync() as Float32Array).slice(),
    languageBias: (variables.languageBias.dataSync() as Float32Array).slice(),
  };
}

/** Mean intent cross-entropy and accuracy of `weights` on `examples` (plain forward pass). */
export function evaluateLoss(weights: NetworkWeights, examples: EncodedExample[]): { loss: number; accuracy: number } {
  const scratch = createScratch(weights);
  let loss = 0;
  let correct = 0;
  for (const example of examples) {
    const { intentLogits } = forward(weights, example.ids, scratch);
    let maximum = -Infinity;
    let best = 0;
    for (let index = 0; index < intentLogits.length; index++) {
      if (intentLogits[index] > maximum) {
        maximum = intentLogits[index];
        best = index;
      }
    }
    let sum = 0;
    for (const logit of intentLogits) sum += Math.exp(logit - maximum);
    loss += maximum + Math.log(sum) - intentLogits[example.intent];
    if (best === example.intent) correct++;
  }
  return { loss: loss / Math.max(1, examples.length), accuracy: correct / Math.max(1, examples.length) };
}

/**
 * Trains the embedding-bag network with TensorFlow.js computing the loss, the gradients of the
 * dense layers and of the bag, and Adam for the dense layers; the bag's gradient is spread onto
 * the embedding rows of the batch by {@link SparseAdam}. Early stopping keeps the epoch with the
 * best dev accuracy (ties: lower dev loss).
 */
export async function trainNetwork(
  train: EncodedExample[],
  dev: EncodedExample[],
  shape: NetworkShape,
  options: TrainingOptions = NETWORK_TRAINING_DEFAULTS,
): Promise<TrainingResult> {
  const backend = await initTrainingBackend();
  const random = new SeededRandom(options.seed);
  const { dimension, hidden, intents, languages } = shape;

  // Only rows that training can reach get random values; the rest stay zero, so a feature never
  // seen in training adds nothing to a question's bag (and the artifact says so plainly).
  const embedding = new Float32Array(shape.buckets * dimension);
  const embeddingRandom = random.fork();
  const seen = new Uint8Array(shape.buckets);
  for (const example of train) for (const id of example.ids) seen[id] = 1;
  for (let bucket = 0; bucket < shape.buckets; bucket++) {
    if (!seen[bucket]) continue;
    for (let column = 0; column < dimension; column++) embedding[bucket * dimension + column] = embeddingRandom.uniform(-1, 1) / dimension;
  }

  const denseRandom = random.fork();
  const intentInput = hidden > 0 ? hidden : dimension;
  const variables: DenseVariables = {
    intentKernel: tf.variable(tf.tensor2d(glorotUniform(denseRandom, intentInput, intents), [intentInput, intents]), true, 'intentKernel'),
    intentBias: tf.variable(tf.zeros([intents]), true, 'intentBias'),
    languageKernel: tf.variable(tf.tensor2d(glorotUniform(denseRandom, dimension, languages), [dimension, languages]), true, 'languageKernel'),
    languageBias: tf.variable(tf.zeros([languages]), true, 'languageBias'),
  };
  if (hidden > 0) {
    variables.hiddenKernel = tf.variable(tf.tensor2d(glorotUniform(denseRandom, dimension, hidden), [dimension, hidden]), true, 'hiddenKernel');
    variables.hiddenBias = tf.variable(tf.zeros([hidden]), true, 'hiddenBias');
  }
  const denseNames = Object.keys(variables) as (keyof DenseVariables)[];
  const optimizer = tf.train.adam(options.learningRate);
  const embeddingOptimizer = new SparseAdam(embedding, dimension, options.learningRate);

  const order = train.map((_, index) => index);
  const shuffleRandom = random.fork();
  const dropoutRandom = random.fork();
  const history: EpochProgress[] = [];
  let best: { accuracy: number; loss: number; epoch: number; weights: NetworkWeights } | undefined;
  let epochsWithoutImprovement = 0;

  try {
    for (let epoch = 1; epoch <= options.maxEpochs; epoch++) {
      const started = performance.now();
      shuffleRandom.shuffle(order);
      let epochLoss = 0;
      for (let start = 0; start < order.length; start += options.batchSize) {
        const batch = order.slice(start, start + options.batchSize).map((index) => withDropout(train[index]));
        epochLoss += trainStep(batch) * batch.length;
      }
      const current = readDense(variables, embedding, shape);
      const devResult = evaluateLoss(current, dev);
      const improved = !best || devResult.accuracy > best.accuracy || (devResult.accuracy === best.accuracy && devResult.loss < best.loss);
      if (improved) {
        best = { accuracy: devResult.accuracy, loss: devResult.loss, epoch, weights: { ...current, embedding: embedding.slice() } };
        epochsWithoutImprovement = 0;
      } else {
        epochsWithoutImprovement++;
      }
      const progress: EpochProgress = {
        epoch,
        maxEpochs: options.maxEpochs,
        loss: epochLoss / order.length,
        devLoss: devResult.loss,
        devAccuracy: devResult.accuracy,
        improved,
        secondsPerEpoch: (performance.now() - started) / 1000,
      };
      history.push(progress);
      options.onEpoch?.(progress);
      if (epochsWithoutImprovement >= options.patience) break;
    }
  } finally {
    optimizer.dispose();
    for (const name of denseNames) variables[name]?.dispose();
  }
  return { weights: best!.weights, bestEpoch: best!.epoch, epochsRun: history.length, history, backend };

  function withDropout(example: EncodedExample): EncodedExample {
    if (options.featureDropout <= 0 || example.ids.length < 2) return example;
    const kept = example.ids.filter(() => dropoutRandom.next() >= options.featureDropout);
    return { ...example, ids: kept.length > 0 ? kept : example.ids.subarray(0, 1) };
  }

  function trainStep(batch: EncodedExample[]): number {
    const batchSize = batch.length;
    const bagValues = new Float32Array(batchSize * dimension);
    batch.forEach((example, row) => embeddingBagMean(embedding, dimension, example.ids, bagValues, row * dimension));
    const intentTargets = tf.oneHot(tf.tensor1d(batch.map((example) => example.intent), 'int32'), intents);
    const languageTargets = tf.oneHot(tf.tensor1d(batch.map((example) => example.language), 'int32'), languages);
    const exampleWeights = tf.tensor1d(batch.map((example) => example.weight));
    const bag = tf.tensor2d(bagValues, [batchSize, dimension]);

    const lossOf = (bagInput: tf.Tensor, ...dense: tf.Tensor[]): tf.Scalar => {
      const named = Object.fromEntries(denseNames.map((name, index) => [name, dense[index]])) as unknown as DenseVariables;
      const logits = denseLogits(bagInput as tf.Tensor2D, named);
      const intentLoss = tf.losses.softmaxCrossEntropy(intentTargets, logits.intent, exampleWeights, undefined, tf.Reduction.SUM);
      const languageLoss = tf.losses.softmaxCrossEntropy(languageTargets, logits.language, undefined, undefined, tf.Reduction.SUM);
      return tf.div(tf.add(intentLoss, tf.mul(languageLoss, options.languageLossWeight)), batchSize) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(lossOf)([bag, ...denseNames.map((name) => variables[name]!)]);
    const lossValue = value.dataSync()[0];
    optimizer.applyGradients(Object.fromEntries(denseNames.map((name, index) => [name, grads[index + 1]])) as unknown as Parameters<typeof optimizer.applyGradients>[0]);

    // Spread each example's bag gradient evenly over its ids (the bag is their mean).
    const bagGradient = grads[0].dataSync() as Float32Array;
    const rowOf = new Map<number, number>();
    const rows: number[] = [];
    for (const example of batch) for (const id of example.ids) if (!rowOf.has(id)) { rowOf.set(id, rows.length); rows.push(id); }
    const rowGradients = new Float32Array(rows.length * dimension);
    batch.forEach((example, row) => {
      if (example.ids.length === 0) return;
      const scale = 1 / example.ids.length;
      for (const id of example.ids) {
        const target = rowOf.get(id)! * dimension;
        for (let column = 0; column < dimension; column++) rowGradients[target + column] += bagGradient[row * dimension + column] * scale;
      }
    });
    embeddingOptimizer.apply(rows, rowGradients);

    tf.dispose([intentTargets, languageTargets, exampleWeights, bag, value, ...grads]);
    return lossValue;
  }
}
