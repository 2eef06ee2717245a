import { expectedCalibrationError } from '../calibrate/ece.js';
import type { RecordedMetrics } from '../artifact/manifest.js';
import type { Decision } from '../runtime/model.js';
import { decide, SHAPE_COUNTED, THRESHOLD_INDEPENDENT_REASONS, type DecisionPolicy } from '../runtime/decision.js';

/** One labelled question and the model's decision on it. */
export interface EvaluatedQuestion {
  actual: string;
  lang: string;
  decision: Decision;
}

export interface IntentScores {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface AbstentionView {
  /** Share of answered questions whose intent was right. */
  answeredPrecision: number;
  answered: number;
  /** Correct answers / questions whose true intent is answerable. */
  coverage: number;
  /** Share of questions with a non-answerable true intent that the bot answered anyway. */
  nonAnswerableAnswerRate: number;
  /** Share of `other` questions that the bot answered. */
  otherAnswerRate: number;
  reasons: Record<string, number>;
}

export interface RiskCoveragePoint {
  threshold: number;
  answered: number;
  answeredPrecision: number;
  coverage: number;
  otherAnswerRate: number;
}

/** What the bot did with one group of questions (a `kind` of an open-world split, a `lang` code). */
export interface GroupView {
  group: string;
  examples: number;
  answered: number;
  /** Answered with an intent other than the question's. */
  answeredWrong: number;
  answeredPrecision: number;
  /** Share of the group's `other` questions that were answered (0 when it has none). */
  otherAnswerRate: number;
  reasons: Record<string, number>;
}

/**
 * The abstention view per group, in order of first appearance.
 *
 * @example
 * groupViews([{ group: 'fragment', actual: 'other', decision }], 'other')[0].answered // → 0 or 1
 */
export function groupViews(items: { group: string; actual: string; decision: Pick<Decision, 'answer' | 'intent' | 'reason'> }[], otherIntent: string): GroupView[] {
  const groups = new Map<string, GroupView & { others: number; otherAnswered: number }>();
  for (const item of items) {
    let view = groups.get(item.group);
    if (!view) groups.set(item.group, (view = { group: item.group, examples: 0, answered: 0, answeredWrong: 0, answeredPrecision: 1, otherAnswerRate: 0, reasons: {}, others: 0, otherAnswered: 0 }));
    view.examples++;
    view.reasons[item.decision.reason] = (view.reasons[item.decision.reason] ?? 0) + 1;
    if (item.actual === otherIntent) view.others++;
    if (!item.decision.answer) continue;
    view.answered++;
    if (item.decision.intent !== item.actual) view.answeredWrong++;
    if (item.actual === otherIntent) view.otherAnswered++;
  }
  return [...groups.values()].map(({ others, otherAnswered, ...view }) => ({
    ...view,
    answeredPrecision: view.answered ? (view.answered - view.answeredWrong) / view.answered : 1,
    otherAnswerRate: others ? otherAnswered / others : 0,
  }));
}

export interface EvaluationReport {
  examples: number;
  accuracy: number;
  macroF1: number;
  perIntent: IntentScores[];
  perLanguage: Record<string, { examples: number; accuracy: number; macroF1: number }>;
  confusion: { labels: string[]; matrix: number[][] };
  ece: number;
  abstention: AbstentionView;
  riskCoverage: RiskCoveragePoint[];
  /** Per `lang` code as written (unsupported languages one by one); set by evaluateModel. */
  byLanguageCode?: GroupView[];
  /** Per `kind` column value, for data that has one (the open-world splits). */
  byKind?: GroupView[];
}

/** Per-intent precision/recall/F1 over the intents seen in either the truth or the predictions. */
export function intentScores(pairs: { actual: string; predicted: string }[], labelOrder: string[]): IntentScores[] {
  const present = new Set(pairs.flatMap((pair) => [pair.actual, pair.predicted]));
  return labelOrder.filter((intent) => present.has(intent)).map((intent) => {
    let truePositive = 0;
    let predictedCount = 0;
    let support = 0;
    for (const pair of pairs) {
      if (pair.predicted === intent) predictedCount++;
      if (pair.actual === intent) support++;
      if (pair.predicted === intent && pair.actual === intent) truePositive++;
    }
    const precision = predictedCount ? truePositive / predictedCount : 0;
    const recall = support ? truePositive / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { intent, precision, recall, f1, support };
  });
}

/** Unweighted mean of per-intent F1 (each intent counts the same, however rare). */
export function macroF1(pairs: { actual: string; predicted: string }[], labelOrder: string[]): number {
  const scores = intentScores(pairs, labelOrder);
  return scores.length ? scores.reduce((sum, score) => sum + score.f1, 0) / scores.length : 0;
}

/** The abstention view of a set of decisions (what the bot would have answered). */
export function abstentionView(items: { actual: string; answer: boolean; predicted: string | null; reason: string }[], answerableIntents: Set<string>, otherIntent: string): AbstentionView {
  let answered = 0;
  let answeredCorrect = 0;
  let answerableTotal = 0;
  let nonAnswerableTotal = 0;
  let nonAnswerableAnswered = 0;
  let otherTotal = 0;
  let otherAnswered = 0;
  const reasons: Record<string, number> = {};
  for (const item of items) {
    reasons[item.reason] = (reasons[item.reason] ?? 0) + 1;
    const answerable = answerableIntents.has(item.actual);
    if (answerable) answerableTotal++;
    else nonAnswerableTotal++;
    if (item.actual === otherIntent) otherTotal++;
    if (!item.answer) continue;
    answered++;
    if (item.predicted === item.actual) answeredCorrect++;
    if (!answerable) nonAnswerableAnswered++;
    if (item.actual === otherIntent) otherAnswered++;
  }
  return {
    answeredPrecision: answered ? answeredCorrect / answered : 1,
    answered,
    coverage: answerableTotal ? answeredCorrect / answerableTotal : 0,
    nonAnswerableAnswerRate: nonAnswerableTotal ? nonAnswerableAnswered / nonAnswerableTotal : 0,
    otherAnswerRate: otherTotal ? otherAnswered / otherTotal : 0,
    reasons,
  };
}

// What a question that passed every threshold-independent check looks like to `decide`.
const PASSED_EVIDENCE = { letters: SHAPE_COUNTED, words: SHAPE_COUNTED, language: '', familiarity: 1, intentFamiliarity: 1, wordFamiliarity: 1 };

/** Thresholds of the risk–coverage table in every report (the policy's own threshold is added). */
export const RISK_COVERAGE_THRESHOLDS: readonly number[] = [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98];

/**
 * What the bot would have answered at each confidence threshold (and at the policy's own, always
 * included), everything else in `policy` unchanged: the points of a risk–coverage curve, in
 * ascending threshold order.
 *
 * @example
 * riskCoverageCurve(items, model.policy(), [0.5, 0.9]).map((point) => point.coverage)
 */
export function riskCoverageCurve(items: EvaluatedQuestion[], policy: DecisionPolicy, thresholds: readonly number[]): RiskCoveragePoint[] {
  return [...thresholds, policy.threshold]
    .filter((threshold, position, all) => all.indexOf(threshold) === position)
    .sort((a, b) => a - b)
    .map((threshold) => {
      const thresholdPolicy = { ...policy, threshold };
      const view = abstentionView(items.map((item) => {
        // Refused before the threshold is looked at: refused at every threshold.
        let answer = false;
        if (!THRESHOLD_INDEPENDENT_REASONS.has(item.decision.reason)) {
          const [top, second] = item.decision.alternatives;
          answer = decide(thresholdPolicy, top, second?.confidence ?? 0, PASSED_EVIDENCE).answer;
        }
        return { actual: item.actual, predicted: item.decision.intent, answer, reason: item.decision.reason };
      }), policy.answerableIntents, policy.otherIntent);
      return { threshold, answered: view.answered, answeredPrecision: view.answeredPrecision, coverage: view.coverage, otherAnswerRate: view.otherAnswerRate };
    });
}

/** Full report for `allina eval`, the promotion gate and the benchmark. */
export function evaluateDecisions(items: EvaluatedQuestion[], intents: string[], languages: string[], policy: DecisionPolicy): EvaluationReport {
  const pairs = items.map((item) => ({ actual: item.actual, predicted: item.decision.intent ?? policy.otherIntent, lang: item.lang }));
  const correct = pairs.filter((pair) => pair.actual === pair.predicted).length;
  const perLanguage: EvaluationReport['perLanguage'] = {};
  for (const language of languages) {
    const subset = pairs.filter((pair) => pair.lang === language);
    if (subset.length === 0) continue;
    perLanguage[language] = {
      examples: subset.length,
      accuracy: subset.filter((pair) => pair.actual === pair.predicted).length / subset.length,
      macroF1: macroF1(subset, intents),
    };
  }
  const index = new Map(intents.map((intent, position) => [intent, position]));
  const matrix = intents.map(() => intents.map(() => 0));
  for (const pair of pairs) matrix[index.get(pair.actual)!][index.get(pair.predicted)!]++;

  const asAnswered = (answer: (item: EvaluatedQuestion) => boolean) =>
    items.map((item) => ({ actual: item.actual, predicted: item.decision.intent, answer: answer(item), reason: item.decision.reason }));
  const abstention = abstentionView(asAnswered((item) => item.decision.answer), policy.answerableIntents, policy.otherIntent);

  const riskCoverage = riskCoverageCurve(items, policy, RISK_COVERAGE_THRESHOLDS);

  return {
    examples: items.length,
    accuracy: items.length ? correct / items.length : 0,
    macroF1: macroF1(pairs, intents),
    perIntent: intentScores(pairs, intents),
    perLanguage,
    confusion: { labels: intents, matrix },
    ece: expectedCalibrationError(items.map((item) => item.decision.confidence), pairs.map((pair) => pair.actual === pair.predicted)),
    abstention,
    riskCoverage,
  };
}

/** The compact subset of a report stored in the artifact. */
export function recordedMetrics(report: EvaluationReport): RecordedMetrics {
  return {
    examples: report.examples,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    perLanguageMacroF1: Object.fromEntries(Object.entries(report.perLanguage).map(([language, scores]) => [language, scores.macroF1])),
    ece: report.ece,
    answeredPrecision: report.abstention.answeredPrecision,
    coverage: report.abstention.coverage,
    otherAnswerRate: report.abstention.otherAnswerRate,
    nonAnswerableAnswerRate: report.abstention.nonAnswerableAnswerRate,
  };
}
