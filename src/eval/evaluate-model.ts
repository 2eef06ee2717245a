import type { LabelledExample } from '../data/csv.js';
import { actionableIntent, languageClass } from '../data/taxonomy.js';
import type { DecisionOptions } from '../runtime/decision.js';
import type { AllinaModel, Decision } from '../runtime/model.js';
import { evaluateDecisions, groupViews, type EvaluationReport } from '../eval/metrics.js';

/**
 * Classifies labelled examples with the same `classifyBatch` a service calls and scores the
 * decisions. Used by `allina eval`, by training (dev/test metrics), the promotion gate and the
 * benchmark. `decisions`, when given, are the model's decisions on `examples` already made (with
 * the same options), so that a caller that needs them too does not classify twice.
 */
export function evaluateModel(model: AllinaModel, examples: LabelledExample[], options?: DecisionOptions, decisions: Decision[] = model.classifyBatch(examples.map((example) => example.text), options)): EvaluationReport {
  // A question in an unsupported language is scored as `other` (never to be answered) and
  // counted under the language class `other`.
  const items = examples.map((example, index) => ({ actual: actionableIntent(example), lang: languageClass(example.lang), decision: decisions[index] }));
  const supportedLanguages = model.manifest.languages.filter((language) => language !== model.manifest.unsupportedLanguage);
  const report = evaluateDecisions(items, model.manifest.intents, supportedLanguages, model.policy(options));
  const otherIntent = model.manifest.otherIntent;
  report.byLanguageCode = groupViews(examples.map((example, index) => ({ group: example.lang, actual: items[index].actual, decision: decisions[index] })), otherIntent);
  if (examples.some((example) => example.kind)) {
    report.byKind = groupViews(examples.map((example, index) => ({ group: example.kind ?? '(none)', actual: items[index].actual, decision: decisions[index] })), otherIntent);
  }
  return report;
}
