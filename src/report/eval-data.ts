import type { LabelledExample } from '../data/csv.js';
import { actionableIntent, languageClass } from '../data/taxonomy.js';
import { reliabilityBins, type ReliabilityBin } from '../calibrate/ece.js';
import { evaluateDecisions, riskCoverageCurve, type EvaluatedQuestion, type EvaluationReport, type RiskCoveragePoint } from '../eval/metrics.js';
import { evaluateModel } from '../eval/evaluate-model.js';
import type { AllinaModel, DecisionOptions, DecisionReason } from '../index.js';

/** One test question as the report shows it. */
export interface QuestionOutcome {
  text: string;
  /** The `lang` column as written. */
  lang: string;
  /** The intent the bot should act on (see `actionableIntent`). */
  actual: string;
  predicted: string;
  confidence: number;
  answer: boolean;
  reason: DecisionReason;
}

/** Questions of one true intent taken for another. */
export interface Confusion {
  actual: string;
  predicted: string;
  count: number;
  /** How many of them the bot answered (wrong answers a buyer saw). */
  answered: number;
  /** Up to three, answered ones first, then the most confident. */
  examples: QuestionOutcome[];
}

/** Everything the evaluation report shows about one model on one data set. */
export interface ModelEvaluation {
  /** Where the model was loaded from. */
  directory: string;
  manifest: AllinaModel['manifest'];
  /** The `allina eval` report: the same numbers the CLI prints. */
  report: EvaluationReport;
  /** The confidence threshold in force. */
  threshold: number;
  /** Confusion matrix per language class, in the model's language order. */
  confusionByLanguage: { language: string; examples: number; labels: string[]; matrix: number[][] }[];
  /** Reliability diagram bins (the same 15 bins as the report's ECE). */
  reliability: ReliabilityBin[];
  /** Risk–coverage at every threshold 0, 0.01, …, 1 and the one in force. */
  riskCoverage: RiskCoveragePoint[];
  confusions: Confusion[];
  /** Wrongly classified questions: answered ones first, then by confidence, highest first. */
  errors: QuestionOutcome[];
  questions: QuestionOutcome[];
}

const FINE_THRESHOLDS = Array.from({ length: 101 }, (_, step) => step / 100);

/**
 * Evaluates `model` on labelled examples for the HTML report: the `allina eval` report
 * (`evaluateModel`) plus the per-question detail behind its charts, scored with the same metric
 * functions (`evaluateDecisions`, `riskCoverageCurve`, `reliabilityBins`).
 *
 * @example
 * const evaluation = evaluateForReport(loadModel(), readLabelledData(['data/test']), 'models/default');
 * evaluation.errors[0] // the most confident wrong answer a buyer saw, if any
 */
export function evaluateForReport(model: AllinaModel, examples: LabelledExample[], directory: string, options: DecisionOptions = {}): ModelEvaluation {
  const report = evaluateModel(model, examples, options);
  const policy = model.policy(options);
  // evaluateModel keeps its decisions to itself; classifying once more (a fraction of a second
  // for the test split) keeps the headline numbers exactly those `allina eval` prints.
  const decisions = model.classifyBatch(examples.map((example) => example.text), options);
  const items: EvaluatedQuestion[] = examples.map((example, index) => ({ actual: actionableIntent(example), lang: languageClass(example.lang), decision: decisions[index] }));
  const questions: QuestionOutcome[] = examples.map((example, index) => ({
    text: example.text,
    lang: example.lang,
    actual: items[index].actual,
    predicted: decisions[index].intent ?? policy.otherIntent,
    confidence: decisions[index].confidence,
    answer: decisions[index].answer,
    reason: decisions[index].reason,
  }));

  const { intents, languages } = model.manifest;
  const confusionByLanguage = languages.flatMap((language) => {
    const subset = items.filter((item) => item.lang === language);
    if (subset.length === 0) return [];
    const { confusion } = evaluateDecisions(subset, intents, [language], policy);
    return [{ language, examples: subset.length, ...confusion }];
  });

  return {
    directory,
    manifest: model.manifest,
    report,
    threshold: policy.threshold,
    confusionByLanguage,
    reliability: reliabilityBins(questions.map((question) => question.confidence), questions.map((question) => question.predicted === question.actual)),
    riskCoverage: riskCoverageCurve(items, policy, FINE_THRESHOLDS),
    confusions: topConfusions(questions),
    errors: questions.filter((question) => question.predicted !== question.actual).sort(mostHarmfulFirst),
    questions,
  };
}

/** Sort order of wrong predictions: answered before abstained, then the more confident first (the mistakes that hurt most lead). */
export function mostHarmfulFirst(a: QuestionOutcome, b: QuestionOutcome): number {
  return Number(b.answer) - Number(a.answer) || b.confidence - a.confidence;
}

/**
 * Pairs (true intent → predicted intent) of wrongly classified questions, most frequent first
 * (ties: more answered first), each with up to three example questions.
 *
 * @example
 * topConfusions(questions, 10)[0] // → { actual: 'payment_status', predicted: 'payment_retry', count: 14, answered: 1, examples: [...] }
 */
export function topConfusions(questions: QuestionOutcome[], limit = 12): Confusion[] {
  const pairs = new Map<string, QuestionOutcome[]>();
  for (const question of questions) {
    if (question.predicted === question.actual) continue;
    const key = `${question.actual}\u0000${question.predicted}`;
    if (!pairs.has(key)) pairs.set(key, []);
    pairs.get(key)!.push(question);
  }
  return [...pairs.values()]
    .map((group) => ({
      actual: group[0].actual,
      predicted: group[0].predicted,
      count: group.length,
      answered: group.filter((question) => question.answer).length,
      examples: [...group].sort(mostHarmfulFirst).slice(0, 3),
    }))
    .sort((a, b) => b.count - a.count || b.answered - a.answered || (a.actual + a.predicted < b.actual + b.predicted ? -1 : 1))
    .slice(0, limit);
}
