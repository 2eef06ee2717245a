/**
 * The benchmark's data: the corpus train split (divided into train and dev exactly as
 * `trainModel` divides it) and the test split, or with --smoke a small subset of both. Written
 * once to `dataset.json` (dataset-file.ts) in the work directory, so that every worker process
 * sees the same rows.
 */
import { join } from 'node:path';
import { readLabelledData, type LabelledExample } from '../../src/data/csv.js';
import { writeCsvFile } from '../../src/data/csv-write.js';
import { stratifiedSplit } from '../../src/data/split.js';
import { actionableIntent, defaultAnswerableIntents, intentLabels, loadTaxonomy, OTHER_INTENT } from '../../src/data/taxonomy.js';
import { TRAINING_DEFAULTS } from '../../src/train/recipe.js';
import { defaultPaths } from '../../src/cli/options.js';
import type { BenchQuestion } from './system.js';
import { writeDataset, type BenchDataset } from './dataset-file.js';

/** Rows per language × intent in a --smoke run. */
export const SMOKE_ROWS_PER_CELL = { train: 20, test: 6 };

function toQuestion(example: LabelledExample): BenchQuestion {
  return { text: example.text, lang: example.lang, intent: actionableIntent(example), ...(example.kind ? { kind: example.kind } : {}) };
}

/** The first `perCell` rows of each language × intent, written as one CSV per language. */
function writeSubset(examples: LabelledExample[], perCell: number, directory: string): string {
  const taken = new Map<string, number>();
  const byLanguage = new Map<string, string[][]>();
  for (const example of examples) {
    const cell = `${example.lang}|${example.intent}`;
    if ((taken.get(cell) ?? 0) >= perCell) continue;
    taken.set(cell, (taken.get(cell) ?? 0) + 1);
    if (!byLanguage.has(example.lang)) byLanguage.set(example.lang, []);
    byLanguage.get(example.lang)!.push([example.text, example.lang, example.intent, example.kind ?? '']);
  }
  for (const [language, rows] of byLanguage) writeCsvFile(join(directory, `${language}.csv`), ['text', 'lang', 'intent', 'kind'], rows);
  return directory;
}

export function prepareDataset(workDirectory: string, smoke: boolean): BenchDataset {
  let trainPaths = [defaultPaths.trainData];
  let testPaths = [defaultPaths.testData];
  let tunePaths = [defaultPaths.tuneData];
  let openWorldPaths = [defaultPaths.openWorldData];
  if (smoke) {
    const subset = (paths: string[], perCell: number, name: string) => [writeSubset(readLabelledData(paths), perCell, join(workDirectory, 'smoke-data', name))];
    trainPaths = subset(trainPaths, SMOKE_ROWS_PER_CELL.train, 'train');
    testPaths = subset(testPaths, SMOKE_ROWS_PER_CELL.test, 'test');
    tunePaths = subset(tunePaths, SMOKE_ROWS_PER_CELL.test, 'tune');
    openWorldPaths = subset(openWorldPaths, SMOKE_ROWS_PER_CELL.test, 'openworld');
  }
  // Read back from the files so the row order is the one trainModel sees: same order, same
  // seed and fraction → the same dev split as Allina's own.
  const examples = readLabelledData(trainPaths);
  const split = stratifiedSplit(examples, (example) => `${example.lang}|${example.intent}`, TRAINING_DEFAULTS.devFraction, TRAINING_DEFAULTS.seed);
  const taxonomy = loadTaxonomy();
  const dataset: BenchDataset = {
    smoke,
    trainPaths,
    testPaths,
    tunePaths,
    openWorldPaths,
    train: split.train.map(toQuestion),
    dev: split.dev.map(toQuestion),
    tune: readLabelledData(tunePaths).map(toQuestion),
    test: readLabelledData(testPaths).map(toQuestion),
    openWorld: readLabelledData(openWorldPaths).map(toQuestion),
    intents: intentLabels(taxonomy),
    languages: taxonomy.languages,
    answerableIntents: defaultAnswerableIntents(taxonomy),
    otherIntent: OTHER_INTENT,
    seed: TRAINING_DEFAULTS.seed,
    devFraction: TRAINING_DEFAULTS.devFraction,
  };
  writeDataset(workDirectory, dataset);
  return dataset;
}
