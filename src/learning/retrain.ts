import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readLabelledData, type LabelledExample } from '../data/csv.js';
import { writeCsvFile } from '../data/csv-write.js';
import { intentLabels, languageClasses, loadTaxonomy } from '../data/taxonomy.js';
import type { TrainModelResult } from '../train/train-model.js';
import { importTrainer } from '../train/import-trainer.js';
import type { EpochProgress } from '../train/fit-network.js';
import { loadModel } from '../runtime/model.js';
import { expandPaths } from '../util/expand-paths.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { SkippedLine } from './events.js';
import { readLogEvidence } from '../logs/evidence.js';
import type { EngineOptions } from '../logs/engine.js';
import { readReviewedStream } from '../logs/reviewed-stream.js';
import { buildRetrainSet, RETRAIN_DEFAULTS, type RetrainSetCounts, type RetrainSetOptions } from './retrain-set.js';
import { compareModels, type GateReport } from './gate.js';

/** Written next to the candidate artifact: the reviewed questions the gate evaluates on. */
export const HOLDOUT_FILE = 'holdout.csv';
/** Written next to the candidate artifact: what went into it and how it compares. */
export const RETRAIN_REPORT_FILE = 'retrain-report.json';

export interface RetrainOptions {
  /** The model in service now; its recipe (seed, sizes, target precision) is reused. */
  currentModel: string;
  dataPaths: string[];
  testPaths: string[];
  /** Open-world tuning CSVs for the threshold and familiarity cut (see trainModel); none when omitted. */
  tuningPaths?: string[];
  /** JSON Lines escalation logs, or directories of *.jsonl. */
  logPaths: string[];
  /** Log aggregates (Parquet, from `allina logs aggregate`), read instead of or besides the logs. */
  aggregateFiles?: string[];
  /** Limits of the engine that reads the logs. */
  engine?: EngineOptions;
  /** Review CSVs with the `label` column filled in. */
  reviewedFiles: string[];
  outDir: string;
  seed?: number;
  retrainSet?: Partial<Omit<RetrainSetOptions, 'seed'>>;
  onEpoch?: (progress: EpochProgress) => void;
}

export interface RetrainReport {
  candidate: string;
  current: string;
  counts: RetrainSetCounts & { logEvents: number; duplicateEventIds: number; reviewedRows: number; outcomesWithoutDecision: number; skippedLogLines: number };
  skipped: SkippedLine[];
  gate: GateReport;
}

/** The held-out reviewed questions saved with a candidate (none for a model not made by retrain). */
export function readHoldout(candidateDirectory: string): LabelledExample[] {
  const file = join(candidateDirectory, HOLDOUT_FILE);
  return existsSync(file) ? readLabelledData([file]) : [];
}

/**
 * One retraining round: base corpus + reviewed labels + weak positives from the logs → a
 * candidate artifact in `outDir`, compared with the current model by the promotion gate.
 * Nothing is promoted here (see `promoteModel`); the gate report is returned and written to
 * `outDir/retrain-report.json`.
 *
 * @example
 * const { report } = await retrainModel({ currentModel: 'models/live/current', dataPaths: ['data/train'],
 *   testPaths: ['data/test'], logPaths: ['logs/'], reviewedFiles: ['review.csv'], outDir: 'models/candidate' });
 * if (report.gate.passed) promoteModel('models/candidate', 'models/live/current');
 */
export async function retrainModel(options: RetrainOptions): Promise<{ result: TrainModelResult; report: RetrainReport }> {
  const current = loadModel(options.currentModel);
  const taxonomy = loadTaxonomy();
  const intents = new Set(intentLabels(taxonomy));
  const languages = new Set(languageClasses(taxonomy));
  const weakConfidenceFloor = options.retrainSet?.weakConfidenceFloor ?? RETRAIN_DEFAULTS.weakConfidenceFloor;
  const logs = await readLogEvidence({ logPaths: options.logPaths, aggregateFiles: options.aggregateFiles, engine: options.engine }, { intents, languages }, { weakConfidenceFloor });
  const reviewed = await readReviewedStream(expandPaths(options.reviewedFiles, '.csv'), intents, languages);
  const testExamples = readLabelledData(options.testPaths);
  const seed = options.seed ?? current.manifest.training.seed;
  const set = buildRetrainSet({
    events: logs.events,
    reviewed: reviewed.reviewed,
    baseExamples: readLabelledData(options.dataPaths),
    testExamples,
    options: { ...options.retrainSet, seed },
  });

  const { featurizer, network, decision } = current.manifest;
  const { hash: _hash, ...featurizerConfig } = featurizer;
  const { trainModel } = await importTrainer();
  const result = await trainModel({
    dataPaths: options.dataPaths,
    testPaths: options.testPaths,
    tuningPaths: options.tuningPaths,
    extraExamples: set.extraExamples,
    outDir: options.outDir,
    seed,
    dimension: network.dimension,
    hidden: network.hidden,
    featurizer: featurizerConfig,
    targetPrecision: decision.targetPrecision,
    margin: decision.margin,
    onEpoch: options.onEpoch,
  });

  const report: RetrainReport = {
    candidate: result.manifest.modelVersion,
    current: current.manifest.modelVersion,
    counts: { ...set.counts, logEvents: logs.summary.events, duplicateEventIds: logs.summary.duplicateIds, reviewedRows: reviewed.reviewed.length, outcomesWithoutDecision: logs.summary.outcomesWithoutDecision, skippedLogLines: logs.summary.skippedLines },
    skipped: [...logs.summary.skipped, ...reviewed.skipped],
    gate: compareModels(result.model, current, testExamples, set.holdout),
  };
  writeCsvFile(join(options.outDir, HOLDOUT_FILE), ['text', 'lang', 'intent'], set.holdout.map((example) => [example.text, example.lang, example.intent]));
  writeFileAtomic(join(options.outDir, RETRAIN_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
  return { result, report };
}
