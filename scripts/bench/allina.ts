/**
 * Allina as the bench runs it: the shipped recipe (`trainModel` with its defaults) on the train
 * split, and the runtime's `classify` / `classifyBatch`. Its rankings are the calibrated
 * probabilities of the decision's top three intents.
 *
 * Imports are dynamic so that a serving worker loads only the runtime, never TensorFlow.js.
 */
import type { Decision } from '../../src/runtime/model.js';
import type { BenchSystem, Ranking } from './system.js';

/** Epochs in a --smoke run (the full recipe stops early on dev, at most 40). */
const SMOKE_MAX_EPOCHS = 2;

function toRanking(decision: Decision): Ranking {
  return decision.alternatives.map((alternative) => ({ intent: alternative.intent, score: alternative.confidence }));
}

export const allina: BenchSystem = {
  async train(context) {
    const { trainModel } = await import('../../src/train/train-model.js');
    const { manifest } = await trainModel({
      dataPaths: context.trainPaths,
      tuningPaths: context.tunePaths,
      outDir: context.modelDirectory,
      ...(context.smoke ? { maxEpochs: SMOKE_MAX_EPOCHS } : {}),
    });
    // trainModel splits the same files with the same seed and fraction as the bench did;
    // if the sizes differ, the two would not be tuned on the same dev questions.
    if (manifest.training.devExamples !== context.dev.length || manifest.training.trainExamples !== context.train.length) {
      throw new Error(`Allina's own split (${manifest.training.trainExamples} train / ${manifest.training.devExamples} dev) differs from the bench's (${context.train.length} / ${context.dev.length})`);
    }
    return {
      notes: [
        `${manifest.training.epochsRun} epochs (best ${manifest.training.bestEpoch}), backend ${manifest.training.backend}, dimension ${manifest.network.dimension}, ${manifest.featurizer.buckets} buckets`,
        `its own threshold ${manifest.decision.threshold.toFixed(3)} and familiarity cuts ${(manifest.decision.minimumFamiliarity ?? 0).toFixed(3)} / ${(manifest.decision.minimumIntentFamiliarity ?? 0).toFixed(3)} / ${(manifest.decision.minimumWordFamiliarity ?? 0).toFixed(3)} (temperature ${manifest.calibration.temperature.toFixed(3)})`,
      ],
    };
  },

  async load(modelDirectory) {
    const { loadModel } = await import('../../src/runtime/model.js');
    const { textShape } = await import('../../src/runtime/decision.js');
    const model = loadModel(modelDirectory);
    return {
      classify: (question) => toRanking(model.classify(question.text)),
      classifyBatch: (questions) => model.classifyBatch(questions.map((question) => question.text)).map(toRanking),
      evidence: (question) => {
        const decision = model.classify(question.text);
        return { ...textShape(question.text), language: decision.language ?? '', familiarity: decision.familiarity, intentFamiliarity: decision.intentFamiliarity, wordFamiliarity: decision.wordFamiliarity };
      },
      close: () => undefined,
    };
  },
};
