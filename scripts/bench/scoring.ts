/**
 * The same decision rule and metrics for every system. The answer cuts are chosen on the dev
 * split plus the open-world tuning split with Allina's own `chooseDecisionCuts` (the function
 * training uses: confidence threshold for the target answered precision, margin rule, letters,
 * and — for a system that has them — language class and familiarity), then the test and
 * open-world rankings are turned into decisions and scored by `evaluateDecisions`, the function
 * behind `allina eval`.
 */
import { chooseDecisionCuts, uncutPolicy, withCuts, type DecisionCuts } from '../../src/calibrate/decision-cuts.js';
import { chooseThreshold, type ScoredPrediction, type ThresholdChoice } from '../../src/calibrate/threshold.js';
import { decide, textShape, type DecisionPolicy, type MessageEvidence } from '../../src/runtime/decision.js';
import { evaluateDecisions, groupViews, type EvaluationReport, type GroupView } from '../../src/eval/metrics.js';
import { TRAINING_DEFAULTS } from '../../src/train/recipe.js';
import { isSupportedLanguage, loadTaxonomy } from '../../src/data/taxonomy.js';
import type { Decision } from '../../src/runtime/model.js';
import type { BenchDataset } from './dataset-file.js';
import type { Answer } from './phases.js';
import type { BenchQuestion } from './system.js';

export interface DecisionRule {
  targetPrecision: number;
  margin: number;
}

export interface OpenWorldScores {
  report: EvaluationReport;
  byKind: GroupView[];
  /** Per `lang` code as written. */
  byLanguageCode: GroupView[];
  /** Unsupported-language questions: share answered, share refused as unsupported_language. */
  unsupported: { questions: number; answered: number; refusedAsUnsupported: number };
  /** The best coverage on the split itself at ≥ 95% answered precision (an oracle threshold). */
  coverageAt95: { threshold: ThresholdChoice; coverage: number };
}

export interface SystemScores {
  cuts: DecisionCuts;
  test: EvaluationReport;
  openWorld: OpenWorldScores;
}

function checkLabels(answers: Answer[], intents: Set<string>, split: string): void {
  for (const { ranking } of answers) {
    for (const { intent } of ranking) if (!intents.has(intent)) throw new Error(`${split}: a system predicted '${intent}', which is not an intent of data/intents.json`);
  }
}

/** What a system without language or familiarity signals tells `decide`: letters only. */
function evidenceOf(answer: Answer, question: BenchQuestion): MessageEvidence {
  return answer.evidence ?? { ...textShape(question.text), language: '', familiarity: 1, intentFamiliarity: 1, wordFamiliarity: 1 };
}

function toScoredPrediction(answer: Answer, question: BenchQuestion, otherIntent: string): ScoredPrediction {
  const [top, second] = answer.ranking;
  if (!top) return { predicted: otherIntent, actual: question.intent, confidence: 0, secondConfidence: 0, evidence: { letters: 0, words: 0, language: '', familiarity: 0, intentFamiliarity: 0, wordFamiliarity: 0 } };
  return { predicted: top.intent, actual: question.intent, confidence: top.score, secondConfidence: second?.score ?? 0, evidence: evidenceOf(answer, question) };
}

/** A ranking as the Decision the Allina runtime would return under `policy`. */
function toDecision(answer: Answer, question: BenchQuestion, policy: DecisionPolicy, system: string): Decision {
  const [top, second] = answer.ranking;
  const alternatives = answer.ranking.slice(0, 3).map(({ intent, score }) => ({ intent, confidence: score }));
  const evidence = evidenceOf(answer, question);
  const { answer: answered, reason } = decide(policy, top ? { intent: top.intent, confidence: top.score } : undefined, second?.score ?? 0, evidence);
  return { intent: top?.intent ?? null, confidence: top?.score ?? 0, language: evidence.language || null, languageConfidence: 0, familiarity: evidence.familiarity, intentFamiliarity: evidence.intentFamiliarity, wordFamiliarity: evidence.wordFamiliarity, answer: answered, reason, alternatives, modelVersion: system };
}

export function scoreSystem(system: string, dataset: BenchDataset, answers: { dev: Answer[]; tune: Answer[]; test: Answer[]; openWorld: Answer[] }, rule: DecisionRule): SystemScores {
  for (const split of ['dev', 'tune', 'test', 'openWorld'] as const) {
    if (answers[split].length !== dataset[split].length) throw new Error(`${system}: got ${answers[split].length} ${split} answers for ${dataset[split].length} questions`);
    checkLabels(answers[split], new Set(dataset.intents), split);
  }
  const basePolicy = uncutPolicy({ margin: rule.margin, answerableIntents: dataset.answerableIntents, minimumLetters: TRAINING_DEFAULTS.minimumLetters, minimumWords: TRAINING_DEFAULTS.minimumWords });
  const scored = (split: 'dev' | 'tune' | 'openWorld') => answers[split].map((answer, index) => toScoredPrediction(answer, dataset[split][index], dataset.otherIntent));
  const cuts = chooseDecisionCuts(scored('dev'), scored('tune'), basePolicy, rule.targetPrecision, TRAINING_DEFAULTS.maximumTuningOtherAnswerRate);
  const policy = withCuts(basePolicy, cuts);
  const decisions = (split: 'test' | 'openWorld') => answers[split].map((answer, index) => ({ actual: dataset[split][index].intent, lang: dataset[split][index].lang, decision: toDecision(answer, dataset[split][index], policy, system) }));

  const test = evaluateDecisions(decisions('test'), dataset.intents, dataset.languages, policy);
  const openItems = decisions('openWorld');
  const taxonomy = loadTaxonomy();
  const unsupportedItems = openItems.filter((item) => !isSupportedLanguage(item.lang, taxonomy));
  // The oracle: the threshold that maximises coverage at 95% on the split itself, with the
  // system's own familiarity cut and refusals kept.
  const oracleThreshold = chooseThreshold(scored('openWorld'), { ...policy, threshold: 0 }, 0.95);
  const oracleItems = answers.openWorld.map((answer, index) => ({ actual: dataset.openWorld[index].intent, lang: dataset.openWorld[index].lang, decision: toDecision(answer, dataset.openWorld[index], { ...policy, threshold: oracleThreshold.threshold }, system) }));
  const oracle = evaluateDecisions(oracleItems, dataset.intents, dataset.languages, policy);
  return {
    cuts,
    test,
    openWorld: {
      report: evaluateDecisions(openItems, dataset.intents, dataset.languages, policy),
      byKind: groupViews(openItems.map((item, index) => ({ ...item, group: dataset.openWorld[index].kind ?? '(none)' })), dataset.otherIntent),
      byLanguageCode: groupViews(openItems.map((item) => ({ ...item, group: item.lang })), dataset.otherIntent),
      unsupported: {
        questions: unsupportedItems.length,
        answered: unsupportedItems.filter((item) => item.decision.answer).length,
        refusedAsUnsupported: unsupportedItems.filter((item) => item.decision.reason === 'unsupported_language').length,
      },
      coverageAt95: { threshold: oracleThreshold, coverage: oracle.abstention.coverage },
    },
  };
}
