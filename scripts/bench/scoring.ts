/**
 * The same decision rule and metrics for every system: the answer threshold is chosen on the dev
 * split for the target answered precision with Allina's own `chooseThreshold` (and its margin
 * rule), then the test rankings are turned into decisions and scored by `evaluateDecisions`,
 * the function behind `allina eval`.
 */
import { chooseThreshold, type ScoredPrediction, type ThresholdChoice } from '../../src/calibrate/threshold.js';
import { decide, hasLetters, type DecisionPolicy } from '../../src/runtime/decision.js';
import { evaluateDecisions, type EvaluationReport } from '../../src/eval/metrics.js';
import type { Decision } from '../../src/runtime/model.js';
import type { BenchDataset } from './dataset-file.js';
import type { BenchQuestion, Ranking } from './system.js';

export interface DecisionRule {
  targetPrecision: number;
  margin: number;
}

export interface SystemScores {
  threshold: ThresholdChoice;
  test: EvaluationReport;
}

function checkLabels(rankings: Ranking[], intents: Set<string>, split: string): void {
  for (const ranking of rankings) {
    for (const { intent } of ranking) if (!intents.has(intent)) throw new Error(`${split}: a system predicted '${intent}', which is not an intent of data/intents.json`);
  }
}

function toScoredPrediction(ranking: Ranking, question: BenchQuestion, otherIntent: string): ScoredPrediction {
  const [top, second] = ranking;
  if (!top) return { predicted: otherIntent, actual: question.intent, confidence: 0, margin: 0 };
  return { predicted: top.intent, actual: question.intent, confidence: top.score, margin: top.score - (second?.score ?? 0), withLetters: hasLetters(question.text) };
}

/** A ranking as the Decision the Allina runtime would return under `policy`. */
function toDecision(ranking: Ranking, question: BenchQuestion, policy: DecisionPolicy, system: string): Decision {
  const [top, second] = ranking;
  const alternatives = ranking.slice(0, 3).map(({ intent, score }) => ({ intent, confidence: score }));
  const { answer, reason } = decide(policy, top ? { intent: top.intent, confidence: top.score } : undefined, second?.score ?? 0, hasLetters(question.text));
  return { intent: top?.intent ?? null, confidence: top?.score ?? 0, language: null, languageConfidence: 0, answer, reason, alternatives, modelVersion: system };
}

export function scoreSystem(system: string, dataset: BenchDataset, devRankings: Ranking[], testRankings: Ranking[], rule: DecisionRule): SystemScores {
  if (devRankings.length !== dataset.dev.length || testRankings.length !== dataset.test.length) throw new Error(`${system}: got ${devRankings.length} dev / ${testRankings.length} test answers for ${dataset.dev.length} / ${dataset.test.length} questions`);
  const intents = new Set(dataset.intents);
  checkLabels(devRankings, intents, 'dev');
  checkLabels(testRankings, intents, 'test');
  const answerable = new Set(dataset.answerableIntents);
  const threshold = chooseThreshold(devRankings.map((ranking, index) => toScoredPrediction(ranking, dataset.dev[index], dataset.otherIntent)), answerable, rule.targetPrecision, rule.margin);
  const policy: DecisionPolicy = { threshold: threshold.threshold, margin: rule.margin, answerableIntents: answerable, enabled: true, otherIntent: dataset.otherIntent };
  const items = testRankings.map((ranking, index) => ({ actual: dataset.test[index].intent, lang: dataset.test[index].lang, decision: toDecision(ranking, dataset.test[index], policy, system) }));
  return { threshold, test: evaluateDecisions(items, dataset.intents, dataset.languages, policy) };
}
