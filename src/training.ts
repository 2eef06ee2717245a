/**
 * Training-side API (loads TensorFlow.js on first training call). `allina train`, `eval`,
 * `retrain`, `promote` are thin shells over these.
 *
 * @example
 * import { trainModel } from 'allina/training';
 * const { manifest } = await trainModel({ dataPaths: ['data/train'], testPaths: ['data/test'], outDir: 'models/mine' });
 */
export { trainModel, TRAINING_DEFAULTS, type TrainModelOptions, type WeightedExample } from './train/train-model.js';
export { evaluateModel } from './eval/evaluate-model.js';
export { readLabelledData, readLabelledCsv, type LabelledExample } from './data/csv.js';
export { checkCorpus } from './data/check.js';
export { normalizeText, foldDiacritics, tokenize } from './text/normalize.js';
export { featurize, DEFAULT_FEATURIZER_CONFIG, type FeaturizerConfig } from './features/featurize.js';
export { readEscalationLogs } from './learning/events.js';
export { buildReviewQueue, writeReviewCsv, readReviewedFiles } from './learning/review.js';
export { buildRetrainSet } from './learning/retrain-set.js';
export { retrainModel } from './learning/retrain.js';
export { compareModels } from './learning/gate.js';
export { promoteModel, rollbackModel } from './learning/registry.js';
export { aggregateLogs, readLogEvidence } from './logs/evidence.js';
export { forEachLogLine, readLogEvents } from './logs/read-logs.js';
export { forEachCsvRow } from './logs/csv-stream.js';
export { buildLogReport, type LogReport } from './report/logs-report.js';
export { renderLogReportHtml } from './report/logs-report-html.js';
