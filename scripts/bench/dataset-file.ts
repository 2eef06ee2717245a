/**
 * `dataset.json` in the bench work directory: the rows every system trains and is evaluated on.
 * Kept apart from dataset.ts (which builds it) so that worker processes read it without
 * importing the training pipeline, whose TensorFlow.js would inflate their measured RSS.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchQuestion } from './system.js';

export interface BenchDataset {
  smoke: boolean;
  /** Where the train + dev rows come from (the corpus, or the smoke subset's CSV files). */
  trainPaths: string[];
  testPaths: string[];
  tunePaths: string[];
  openWorldPaths: string[];
  train: BenchQuestion[];
  dev: BenchQuestion[];
  /** Open-world tuning questions: thresholds are chosen on dev + tune. */
  tune: BenchQuestion[];
  test: BenchQuestion[];
  /** The open-world evaluation split: never trained or tuned on. */
  openWorld: BenchQuestion[];
  intents: string[];
  languages: string[];
  answerableIntents: string[];
  otherIntent: string;
  seed: number;
  devFraction: number;
}

const DATASET_FILE = 'dataset.json';

export function writeDataset(workDirectory: string, dataset: BenchDataset): void {
  writeFileSync(join(workDirectory, DATASET_FILE), JSON.stringify(dataset));
}

export function readDataset(workDirectory: string): BenchDataset {
  return JSON.parse(readFileSync(join(workDirectory, DATASET_FILE), 'utf8')) as BenchDataset;
}
