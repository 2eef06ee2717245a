import { describe, expect, it } from 'vitest';
import { abstentionView, evaluateDecisions, groupViews, intentScores, macroF1, recordedMetrics, type EvaluatedQuestion } from '../../src/eval/metrics.js';
import type { DecisionReason } from '../../src/runtime/decision.js';
import type { Decision } from '../../src/runtime/model.js';
import { testPolicy } from '../helpers/policy.js';

const DS = 'delivery_status';
const INV = 'invoice_request';
const OTHER = 'other';

function decision(intent: string | null, confidence: number, second: number, reason: DecisionReason): Decision {
  const runnerUp = intent === DS ? INV : DS;
  return {
    intent,
    confidence,
    language: 'en',
    languageConfidence: 1,
    familiarity: 1,
    intentFamiliarity: 1,
    wordFamiliarity: 1,
    answer: reason === 'answerable',
    reason,
    alternatives: intent === null ? [] : [{ intent, confidence }, { intent: runnerUp, confidence: second }],
    modelVersion: 'hand',
  };
}

/**
 * Ten questions, worked through on paper below. Policy: threshold 0.7, margin 0.1, answerable
 * delivery_status and invoice_request. Rows 1–7 are answerable intents, 8–10 are `other`.
 */
const ROWS: EvaluatedQuestion[] = [
  /* 1 */ { actual: DS, lang: 'pl', decision: decision(DS, 0.97, 0.02, 'answerable') },
  /* 2 */ { actual: DS, lang: 'pl', decision: decision(DS, 0.91, 0.05, 'answerable') },
  /* 3 */ { actual: DS, lang: 'en', decision: decision(DS, 0.62, 0.2, 'low_confidence') },
  /* 4 */ { actual: DS, lang: 'en', decision: decision(INV, 0.82, 0.1, 'answerable') }, // answered wrongly
  /* 5 */ { actual: INV, lang: 'pl', decision: decision(INV, 0.85, 0.1, 'answerable') },
  /* 6 */ { actual: INV, lang: 'en', decision: decision(INV, 0.75, 0.7, 'ambiguous') },
  /* 7 */ { actual: INV, lang: 'en', decision: decision(DS, 0.55, 0.4, 'low_confidence') },
  /* 8 */ { actual: OTHER, lang: 'pl', decision: decision(OTHER, 0.9, 0.05, 'out_of_scope') },
  /* 9 */ { actual: OTHER, lang: 'en', decision: decision(DS, 0.92, 0.04, 'answerable') }, // `other` answered
  /* 10 */ { actual: OTHER, lang: 'en', decision: decision(DS, 0.78, 0.1, 'unfamiliar') },
];
// `complaint` is a label of the model that no row has: it must not count towards macro-F1.
const INTENTS = [DS, INV, OTHER, 'complaint'];
const POLICY = testPolicy({ threshold: 0.7, margin: 0.1, answerableIntents: new Set([DS, INV]) });
const report = evaluateDecisions(ROWS, INTENTS, ['pl', 'cs', 'en'], POLICY);

describe('evaluateDecisions on ten hand-checked questions', () => {
  it('accuracy: 6 of 10 predicted intents are right (rows 1, 2, 3, 5, 6, 8)', () => {
    expect(report.examples).toBe(10);
    expect(report.accuracy).toBe(0.6);
  });

  it('per-intent precision, recall and F1, only for intents that occur', () => {
    // delivery_status: predicted in rows 1 2 3 7 9 10, right in 1 2 3, true in 1–4 → P 3/6, R 3/4, F1 0.6
    // invoice_request: predicted in 4 5 6, right in 5 6, true in 5 6 7       → P 2/3, R 2/3, F1 2/3
    // other: predicted in 8, right in 8, true in 8 9 10                      → P 1, R 1/3, F1 0.5
    expect(report.perIntent.map((score) => score.intent)).toEqual([DS, INV, OTHER]);
    expect(report.perIntent[0]).toEqual({ intent: DS, precision: 0.5, recall: 0.75, f1: 0.6, support: 4 });
    expect(report.perIntent[1]).toMatchObject({ intent: INV, support: 3 });
    expect(report.perIntent[1].precision).toBeCloseTo(2 / 3, 15);
    expect(report.perIntent[1].recall).toBeCloseTo(2 / 3, 15);
    expect(report.perIntent[1].f1).toBeCloseTo(2 / 3, 15);
    expect(report.perIntent[2]).toMatchObject({ intent: OTHER, precision: 1, f1: 0.5, support: 3 });
    expect(report.perIntent[2].recall).toBeCloseTo(1 / 3, 15);
  });

  it('macro-F1 is the plain mean of the three F1s: (0.6 + 2/3 + 0.5) / 3 = 53/90', () => {
    expect(report.macroF1).toBeCloseTo(53 / 90, 15);
    expect(macroF1(ROWS.map((row) => ({ actual: row.actual, predicted: row.decision.intent! })), INTENTS)).toBe(report.macroF1);
  });

  it('per language: pl (rows 1 2 5 8) all right; en (3 4 6 7 9 10) 2 of 6, macro-F1 (1/3 + 1/2 + 0) / 3', () => {
    expect(Object.keys(report.perLanguage)).toEqual(['pl', 'en']); // no rows in cs: no entry
    expect(report.perLanguage.pl).toEqual({ examples: 4, accuracy: 1, macroF1: 1 });
    expect(report.perLanguage.en.examples).toBe(6);
    expect(report.perLanguage.en.accuracy).toBeCloseTo(1 / 3, 15);
    // en: delivery_status P 1/4 R 1/2 F1 1/3; invoice_request P 1/2 R 1/2 F1 1/2; other never predicted: F1 0.
    expect(report.perLanguage.en.macroF1).toBeCloseTo(5 / 18, 15);
  });

  it('confusion matrix, rows = true intent, columns = predicted, in label order', () => {
    expect(report.confusion).toEqual({
      labels: INTENTS,
      matrix: [
        [3, 1, 0, 0],
        [1, 2, 0, 0],
        [2, 0, 1, 0],
        [0, 0, 0, 0],
      ],
    });
  });

  it('answered precision, coverage and the answer rates of what the bot answered (rows 1 2 4 5 9)', () => {
    expect(report.abstention).toEqual({
      answered: 5,
      answeredPrecision: 0.6, // rows 1 2 5 right; 4 and 9 wrong
      coverage: 3 / 7, // right answers / the 7 questions with an answerable true intent
      nonAnswerableAnswerRate: 1 / 3, // row 9 of the 3 non-answerable questions
      otherAnswerRate: 1 / 3, // row 9 of the 3 `other` questions
      reasons: { answerable: 5, low_confidence: 2, ambiguous: 1, out_of_scope: 1, unfamiliar: 1 },
    });
  });

  it('calibration error over 15 bins: (0.55 + 0.38 + 2·0.265 + 2·0.335 + 3·(0.91 − 2/3) + 0.03) / 10', () => {
    // Bins: 8 {0.55 ✗}, 9 {0.62 ✓}, 11 {0.75 ✓, 0.78 ✗}, 12 {0.82 ✗, 0.85 ✓}, 13 {0.9 ✓, 0.91 ✓, 0.92 ✗}, 14 {0.97 ✓}.
    expect(report.ece).toBeCloseTo(0.289, 12);
  });

  it('risk–coverage: what each threshold would answer, with refusals that do not depend on it kept', () => {
    // Rows 8 (other) and 10 (unfamiliar) are refused at every threshold, row 6 is always
    // ambiguous; rows 7 (0.55) and 3 (0.62) join as the threshold falls below them.
    const expected = [
      [0, 7, 4 / 7, 4 / 7, 1 / 3],
      [0.3, 7, 4 / 7, 4 / 7, 1 / 3],
      [0.4, 7, 4 / 7, 4 / 7, 1 / 3],
      [0.5, 7, 4 / 7, 4 / 7, 1 / 3],
      [0.6, 6, 4 / 6, 4 / 7, 1 / 3],
      [0.7, 5, 3 / 5, 3 / 7, 1 / 3],
      [0.8, 5, 3 / 5, 3 / 7, 1 / 3],
      [0.85, 4, 3 / 4, 3 / 7, 1 / 3],
      [0.9, 3, 2 / 3, 2 / 7, 1 / 3],
      [0.95, 1, 1, 1 / 7, 0],
      [0.98, 0, 1, 0, 0], // answering nothing: precision 1 by convention, coverage 0
    ];
    expect(report.riskCoverage).toEqual(expected.map(([threshold, answered, answeredPrecision, coverage, otherAnswerRate]) => ({ threshold, answered, answeredPrecision, coverage, otherAnswerRate })));
    // The policy's own threshold is a row of the table, and it agrees with the abstention view.
    const own = report.riskCoverage.find((point) => point.threshold === POLICY.threshold)!;
    expect(own).toMatchObject({ answered: report.abstention.answered, answeredPrecision: report.abstention.answeredPrecision, coverage: report.abstention.coverage });
  });

  it('adds the policy threshold to the table when it is not one of the fixed points', () => {
    const thresholds = evaluateDecisions(ROWS, INTENTS, ['pl', 'en'], { ...POLICY, threshold: 0.63 }).riskCoverage.map((point) => point.threshold);
    expect(thresholds).toEqual([0, 0.3, 0.4, 0.5, 0.6, 0.63, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98]);
  });

  it('the recorded metrics are the report\'s numbers', () => {
    expect(recordedMetrics(report)).toEqual({
      examples: 10,
      accuracy: 0.6,
      macroF1: report.macroF1,
      perLanguageMacroF1: { pl: 1, en: report.perLanguage.en.macroF1 },
      ece: report.ece,
      answeredPrecision: 0.6,
      coverage: 3 / 7,
      otherAnswerRate: 1 / 3,
      nonAnswerableAnswerRate: 1 / 3,
    });
  });

  it('risk–coverage of a model with one intent ranked: the runner-up counts as 0', () => {
    const single = { ...decision(DS, 0.8, 0, 'answerable'), alternatives: [{ intent: DS, confidence: 0.8 }] };
    const points = evaluateDecisions([{ actual: DS, lang: 'en', decision: single }], INTENTS, ['en'], POLICY).riskCoverage;
    expect(points.filter((point) => point.answered === 1).map((point) => point.threshold)).toEqual([0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
  });

  it('scores an empty message as the `other` intent', () => {
    const empty = evaluateDecisions([{ actual: OTHER, lang: 'en', decision: decision(null, 0, 0, 'empty_input') }], INTENTS, ['en'], POLICY);
    expect(empty).toMatchObject({ accuracy: 1, macroF1: 1, abstention: { answered: 0, answeredPrecision: 1, coverage: 0, otherAnswerRate: 0 } });
    expect(empty.confusion.matrix[2][2]).toBe(1);
  });
});

describe('groupViews (by language code, by kind)', () => {
  it('counts per group what was answered, answered wrongly, and `other` answered', () => {
    const views = groupViews(ROWS.map((row) => ({ group: row.lang, actual: row.actual, decision: row.decision })), OTHER);
    expect(views).toEqual([
      // pl: rows 1 2 5 answered, all right; row 8 (other) refused.
      { group: 'pl', examples: 4, answered: 3, answeredWrong: 0, answeredPrecision: 1, otherAnswerRate: 0, reasons: { answerable: 3, out_of_scope: 1 } },
      // en: rows 4 and 9 answered, both wrong; row 9 is one of en's two `other` questions.
      { group: 'en', examples: 6, answered: 2, answeredWrong: 2, answeredPrecision: 0, otherAnswerRate: 0.5, reasons: { low_confidence: 2, answerable: 2, ambiguous: 1, unfamiliar: 1 } },
    ]);
  });

  it('gives precision 1 and `other` rate 0 to a group with nothing answered and no `other`', () => {
    expect(groupViews([{ group: 'de', actual: DS, decision: decision(DS, 0.99, 0, 'unsupported_language') }], OTHER)).toEqual([
      { group: 'de', examples: 1, answered: 0, answeredWrong: 0, answeredPrecision: 1, otherAnswerRate: 0, reasons: { unsupported_language: 1 } },
    ]);
  });
});

describe('the building blocks', () => {
  it('intentScores: an intent only ever predicted has precision 0 and recall 0', () => {
    expect(intentScores([{ actual: DS, predicted: INV }], [DS, INV])).toEqual([
      { intent: DS, precision: 0, recall: 0, f1: 0, support: 1 },
      { intent: INV, precision: 0, recall: 0, f1: 0, support: 0 },
    ]);
    expect(macroF1([], [DS])).toBe(0);
  });

  it('abstentionView: nothing answerable and nothing `other` gives coverage 0 and rates 0', () => {
    expect(abstentionView([{ actual: 'complaint', answer: false, predicted: 'complaint', reason: 'unsupported_intent' }], new Set([DS]), OTHER)).toEqual({
      answered: 0,
      answeredPrecision: 1,
      coverage: 0,
      nonAnswerableAnswerRate: 0,
      otherAnswerRate: 0,
      reasons: { unsupported_intent: 1 },
    });
  });

  it('evaluateDecisions of no questions is all zeros, not NaN', () => {
    const nothing = evaluateDecisions([], INTENTS, ['en'], POLICY);
    expect(nothing).toMatchObject({ examples: 0, accuracy: 0, macroF1: 0, ece: 0, perIntent: [], perLanguage: {} });
  });
});
