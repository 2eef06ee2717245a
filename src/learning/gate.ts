import type { LabelledExample } from '../data/csv.js';
import type { EvaluationReport } from '../eval/metrics.js';
import { evaluateModel } from '../eval/evaluate-model.js';
import type { AllinaModel, Decision } from '../runtime/model.js';
import { actionableIntent, languageClass } from '../data/taxonomy.js';
import { shareOfDrawsCandidateLower, type PairedScores } from './paired-bootstrap.js';

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
  /**
   * A macro-F1 drop past its limit rejects the candidate only when it is also significant at
   * this level: the candidate scores lower in at least (1 − significance) of the paired bootstrap
   * draws of the test questions (`paired-bootstrap.ts`). Without it, retraining the same data
   * with another seed was rejected for a language's drop of a few questions. 0 = any drop past
   * the limit rejects.
   */
  significance: number;
  /** Bootstrap draws behind `significance`. */
  bootstrapResamples: number;
}

export const GATE_DEFAULTS: GateLimits = { maxMacroF1Drop: 0.005, maxLanguageMacroF1Drop: 0.02, maxOtherAnswerRateRise: 0.005, maxOtherAnswerRate: 0.01, significance: 0.05, bootstrapResamples: 1000 };

export interface GateCheck {
  name: string;
  current: number;
  candidate: number;
  /** The rule in words, e.g. "drop ≤ 0.005". */
  rule: string;
  passed: boolean;
  /** Macro-F1 checks: share of paired bootstrap draws in which the candidate scored lower. */
  shareOfDrawsLower?: number;
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

/** A model with its decisions on the test questions. */
interface Decided {
  model: AllinaModel;
  decisions: Decision[];
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
 * Both models' predictions on the test questions as intent indices, for the paired bootstrap;
 * the returned function picks one language's questions (all when none is given), as
 * `evaluateModel` groups them.
 */
function pairedPredictions(candidate: Decided, current: Decided, examples: LabelledExample[]): (language?: string) => PairedScores {
  const intents = [...new Set([...current.model.manifest.intents, ...candidate.model.manifest.intents])];
  const index = new Map(intents.map((intent, position) => [intent, position]));
  const predicted = ({ model, decisions }: Decided) => decisions.map((decision) => index.get(decision.intent ?? model.manifest.otherIntent)!);
  const currentPredictions = predicted(current);
  const candidatePredictions = predicted(candidate);
  const actual = examples.map((example) => index.get(actionableIntent(example)) ?? index.get(current.model.manifest.otherIntent)!);
  const languages = examples.map((example) => languageClass(example.lang));
  return (language) => {
    const rows = examples.map((_, row) => row).filter((row) => language === undefined || languages[row] === language);
    return {
      actual: Int32Array.from(rows, (row) => actual[row]),
      current: Int32Array.from(rows, (row) => currentPredictions[row]),
      candidate: Int32Array.from(rows, (row) => candidatePredictions[row]),
      intentCount: intents.length,
    };
  };
}

/**
 * Compares a candidate with the current model on the same fixed test split (and on reviewed log
 * questions held out from training) and says whether the candidate may replace it:
 *
 * - test macro-F1 drops by at most `maxMacroF1Drop`, and no language's by more than
 *   `maxLanguageMacroF1Drop` — unless the paired bootstrap cannot tell the drop from the luck of
 *   the test questions (`significance`);
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
  // Each model decides the test questions once: the summaries and the paired bootstrap share them.
  const texts = testExamples.map((example) => example.text);
  const currentDecided: Decided = { model: current, decisions: current.classifyBatch(texts) };
  const candidateDecided: Decided = { model: candidate, decisions: candidate.classifyBatch(texts) };
  const currentTest = summarize(evaluateModel(current, testExamples, undefined, currentDecided.decisions));
  const candidateTest = summarize(evaluateModel(candidate, testExamples, undefined, candidateDecided.decisions));
  const minimumPrecision = limits.minAnsweredPrecision ?? candidate.manifest.decision.targetPrecision;
  const paired = pairedPredictions(candidateDecided, currentDecided, testExamples);
  const macroF1Check = (name: string, before: number, after: number, maxDrop: number, language?: string): GateCheck => {
    const rule = limits.significance > 0 ? `drop ≤ ${maxDrop}, or not significant (p ≥ ${limits.significance})` : `drop ≤ ${maxDrop}`;
    if (after >= before - maxDrop) return { name, current: before, candidate: after, rule, passed: true };
    const shareOfDrawsLower = shareOfDrawsCandidateLower(paired(language), limits.bootstrapResamples);
    return { name, current: before, candidate: after, rule, passed: limits.significance > 0 && shareOfDrawsLower < 1 - limits.significance, shareOfDrawsLower };
  };
  const checks: GateCheck[] = [
    macroF1Check('test macro-F1', currentTest.macroF1, candidateTest.macroF1, limits.maxMacroF1Drop),
    ...Object.keys(currentTest.perLanguageMacroF1).map((language) =>
      macroF1Check(`test macro-F1 ${language}`, currentTest.perLanguageMacroF1[language], candidateTest.perLanguageMacroF1[language] ?? 0, limits.maxLanguageMacroF1Drop, language),
    ),
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
