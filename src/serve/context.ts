import type { LogVocabulary } from '../learning/logger.js';
import type { AllinaModel } from '../runtime/model.js';
import type { DecisionIndex } from './decision-index.js';
import type { ServeMetrics } from './metrics.js';
import type { ModelHolder } from './model-holder.js';
import type { OutcomeLog } from './outcome-log.js';
import type { Shard } from './shard.js';

/** What the routes share: the model, the log, the index of recent decisions, the metrics. */
export interface ServiceContext {
  holder: ModelHolder;
  log: OutcomeLog;
  index: DecisionIndex;
  metrics: ServeMetrics;
  /** Settles when decisions of earlier runs are in the index (feedback waits for it). */
  indexLoaded: Promise<void>;
  state: { indexLoaded: boolean; closing: boolean };
  limits: { maxBatch: number; bodyLimit: number; feedbackWindow: number };
  /** Set when the service is one of several worker processes (`--workers`). */
  shard?: Shard;
}

const vocabularies = new WeakMap<AllinaModel, LogVocabulary>();

/** The intents and languages a model's log lines may name (cached per model). */
export function vocabularyOf(model: AllinaModel): LogVocabulary {
  let vocabulary = vocabularies.get(model);
  if (!vocabulary) {
    vocabulary = { intents: new Set(model.manifest.intents), languages: new Set(model.manifest.languages) };
    vocabularies.set(model, vocabulary);
  }
  return vocabulary;
}
