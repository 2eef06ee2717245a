import type { LabelledExample } from '../data/csv.js';
import type { DecisionOptions } from '../runtime/decision.js';
import type { AllinaModel } from '../runtime/model.js';
import { evaluateDecisions, type EvaluationReport } from '../eval/metrics.js';

/**
 * Classifies labelled examples with the same `classifyBatch` a service calls and scores the
 * decisions. Used by `allina eval`, by training (dev/test metrics), the promotion gate and the
 * benchmark.
 */
export function evaluateModel(model: AllinaModel, examples: LabelledExample[], options?: DecisionOptions): EvaluationReport {
  const decisions = model.classifyBatch(examples.map((example) => example.text), options);
  const items = examples.map((example, index) => ({ actual: example.intent, lang: example.lang, decision: decisions[index] }));
  return evaluateDecisions(items, model.manifest.intents, model.manifest.languages, model.policy(options));
}
