import type { LabelledExample } from '../data/csv.js';
import type { EvaluationReport } from '../eval/metrics.js';
import { evaluateModel } from '../eval/evaluate-model.js';
import type { AllinaModel } from '../runtime/model.js';

/** The promotion rules (issue #3); macro-F1 values are fractions, 0.005 = 0.5 points. */
export interface GateLimits {
  maxMacroF1Drop: number;
  maxLanguageMacroF1Drop: number;
  /** Answered precision the candidate must keep on the test split (defaults to its own target). */
  minAnsweredPrecision?: number;
  /**
   * How far the share of test `other` questions answered may rise. One question of the ~400
   * test `other` rows is 0.25 points: a strict "no rise" rejected good candidates on noise.
   */
  maxOtherAnswerRateRise: number;
  /** The share of test `other` questions answered never exceeds this, whatever the current model does. */
  maxOtherAnswerRate: number;
}

export const GATE_DEFAULTS: GateLimits = { maxMacroF1Drop: 0.005, maxLanguageMacroF1Drop: 0.02, maxOtherAnswerRateRise: 0.005, maxOtherAnswerRate: 0.01 };

export interface GateCheck {
  name: string;
  current: number;
  candidate: number;
  /** The rule in words, e.g. "drop ≤ 0.005". */
  rule: string;
  passed: boolean;
}

export interface GateReport {
  passed: boolean;
  current: string;
  candidate: string;
  testQuestions: number;
  holdoutQuestions: number;
  checks: GateCheck[];
  /** Side-by-side summary of both models on the test split and the held-out log questions. */
  test: { current: GateSummary; candidate: GateSummary };
  holdout?: { current: GateSummary; candidate: GateSummary };
}

export interface GateSummary {
  accuracy: number;
  macroF1: number;
  perLanguageMacroF1: Record<string, number>;
  answeredPrecision: number;
  coverage: number;
  otherAnswerRate: number;
}

function summarize(report: EvaluationReport): GateSummary {
  return {
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    perLanguageMacroF1: Object.fromEntries(Object.entries(report.perLanguage).map(([language, scores]) => [language, scores.macroF1])),
    answeredPrecision: report.abstention.answeredPrecision,
    coverage: report.abstention.coverage,
    otherAnswerRate: report.abstention.otherAnswerRate,
  };
}

/**
 * Compares a candidate with the current model on the same fixed test split (and on reviewed log
 * questions held out from training) and says whether the candidate may replace it:
 *
 * - test macro-F1 drops by at most `maxMacroF1Drop`;
 * - no language's macro-F1 drops by more than `maxLanguageMacroF1Drop`;
 * - answered precision on test stays at or above the target (or, when the current model is
 *   already below it, does not fall);
 * - the share of `other` questions answered rises by at most `maxOtherAnswerRateRise` and stays
 *   at or under `maxOtherAnswerRate`;
 * - on the held-out log questions, accuracy does not fall.
 *
 * Both models are judged with their own calibrated thresholds, as a service would run them.
 *
 * @example
 * const report = compareModels(loadModel('candidate'), loadModel('models/live/current'), testExamples, holdout);
 * if (report.passed) promote(...);
 */
export function compareModels(candidate: AllinaModel, current: AllinaModel, testExamples: LabelledExample[], holdout: LabelledExample[] = [], limits: GateLimits = GATE_DEFAULTS): GateReport {
  const currentTest = summarize(evaluateModel(current, testExamples));
  const candidateTest = summarize(evaluateModel(candidate, testExamples));
  const minimumPrecision = limits.minAnsweredPrecision ?? candidate.manifest.decision.targetPrecision;
  const checks: GateCheck[] = [
    {
      name: 'test macro-F1',
      current: currentTest.macroF1,
      candidate: candidateTest.macroF1,
      rule: `drop ≤ ${limits.maxMacroF1Drop}`,
      passed: candidateTest.macroF1 >= currentTest.macroF1 - limits.maxMacroF1Drop,
    },
    ...Object.keys(currentTest.perLanguageMacroF1).map((language) => {
      const before = currentTest.perLanguageMacroF1[language];
      const after = candidateTest.perLanguageMacroF1[language] ?? 0;
      return { name: `test macro-F1 ${language}`, current: before, candidate: after, rule: `drop ≤ ${limits.maxLanguageMacroF1Drop}`, passed: after >= before - limits.maxLanguageMacroF1Drop };
    }),
    {
      // A current model already below the target (e.g. trained on little data) must not block
      // a candidate that improves on it; it then has to match the current one instead.
      name: 'test answered precision',
      current: currentTest.answeredPrecision,
      candidate: candidateTest.answeredPrecision,
      rule: currentTest.answeredPrecision >= minimumPrecision ? `≥ ${minimumPrecision}` : `≥ current (below target ${minimumPrecision})`,
      passed: candidateTest.answeredPrecision >= Math.min(minimumPrecision, currentTest.answeredPrecision),
    },
    {
      name: "test 'other' answered",
      current: currentTest.otherAnswerRate,
      candidate: candidateTest.otherAnswerRate,
      rule: `rise ≤ ${limits.maxOtherAnswerRateRise}, ≤ ${limits.maxOtherAnswerRate}`,
      passed: candidateTest.otherAnswerRate <= currentTest.otherAnswerRate + limits.maxOtherAnswerRateRise && candidateTest.otherAnswerRate <= limits.maxOtherAnswerRate,
    },
  ];
  let holdoutSummaries: GateReport['holdout'];
  if (holdout.length > 0) {
    holdoutSummaries = { current: summarize(evaluateModel(current, holdout)), candidate: summarize(evaluateModel(candidate, holdout)) };
    checks.push({
      name: 'held-out log accuracy',
      current: holdoutSummaries.current.accuracy,
      candidate: holdoutSummaries.candidate.accuracy,
      rule: 'no drop',
      passed: holdoutSummaries.candidate.accuracy >= holdoutSummaries.current.accuracy,
    });
  }
  return {
    passed: checks.every((check) => check.passed),
    current: current.manifest.modelVersion,
    candidate: candidate.manifest.modelVersion,
    testQuestions: testExamples.length,
    holdoutQuestions: holdout.length,
    checks,
    test: { current: currentTest, candidate: candidateTest },
    ...(holdoutSummaries ? { holdout: holdoutSummaries } : {}),
  };
}
