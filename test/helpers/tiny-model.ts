import { join } from 'node:path';
import { trainModel, type TrainModelResult } from '../../src/train/train-model.js';
import { temporaryDirectory, writeTinyDataset } from './fixtures.js';

/** Trains a small model on the generated tiny dataset into a temporary directory. */
export async function trainTinyModel(options: { seed?: number; hidden?: number } = {}): Promise<TrainModelResult & { directory: string; dataFile: string }> {
  const workspace = temporaryDirectory();
  const dataFile = writeTinyDataset(workspace);
  const directory = join(workspace, 'model');
  const result = await trainModel({
    dataPaths: [dataFile],
    outDir: directory,
    seed: options.seed ?? 1,
    hidden: options.hidden ?? 0,
    devFraction: 0.2,
    maxEpochs: 30,
    featurizer: { buckets: 1 << 12, charNgramMin: 2, charNgramMax: 5, wordBigrams: true, unfoldedWords: true },
  });
  return { ...result, directory, dataFile };
}
