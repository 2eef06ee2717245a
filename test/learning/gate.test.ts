import { describe, expect, it } from 'vitest';
import { compareModels, GATE_DEFAULTS, type GateLimits, type GateReport } from '../../src/learning/gate.js';
import type { LabelledExample } from '../../src/data/csv.js';
import { scriptedModel, type ScriptedAnswer } from '../helpers/scripted-model.js';

/**
 * Each promotion rule on hand-made questions and hand-written decisions: the candidate passes
 * with its number exactly at the limit and fails just over it. Within one rule's test the two
 * models differ only in what that rule looks at; every other check passes.
 */

const DS = 'delivery_status';
const INV = 'invoice_request';

interface Row {
  text: string;
  lang: string;
  intent: string;
}
const example = (row: Row, index: number): LabelledExample => ({ ...row, file: 'test.csv', row: index + 2 });

/** A model that predicts `predicted` for each row, answering the rows in `answered`. */
function model(version: string, rows: Row[], predicted: (row: Row, index: number) => string, answered: (row: Row, index: number) => boolean) {
  const answers = new Map<string, ScriptedAnswer>();
  rows.forEach((row, index) => {
    const intent = predicted(row, index);
    answers.set(row.text, { ranking: [[intent, 0.9], [intent === DS ? INV : DS, 0.05]], answer: answered(row, index), language: row.lang });
  });
  return scriptedModel(version, answers);
}

function gate(candidate: ReturnType<typeof model>, current: ReturnType<typeof model>, rows: Row[], limits: Partial<GateLimits> = {}, holdout: Row[] = []): GateReport {
  return compareModels(candidate, current, rows.map(example), holdout.map(example), { ...GATE_DEFAULTS, ...limits });
}

const check = (report: GateReport, name: string) => report.checks.find((entry) => entry.name === name)!;
const truth = (row: Row) => row.intent;
const never = () => false;

/** Just under a limit: the smallest step a test can see. */
const justUnder = (limit: number) => limit - 2 ** -20;

describe('the promotion gate', () => {
  // en: two delivery_status and two invoice_request questions; pl: the same.
  const rows: Row[] = ['en', 'pl'].flatMap((lang) => [
    { text: `${lang} ds 1`, lang, intent: DS },
    { text: `${lang} ds 2`, lang, intent: DS },
    { text: `${lang} inv 1`, lang, intent: INV },
    { text: `${lang} inv 2`, lang, intent: INV },
  ]);
  const perfect = model('current', rows, truth, never);
  // Swaps one en delivery_status and one en invoice_request question: in en each intent has
  // TP 1, FP 1, FN 1 (F1 0.5), so en macro-F1 falls from 1 to 0.5. Overall each intent has
  // TP 3, FP 1, FN 1 (F1 0.75): macro-F1 falls from 1 to 0.75.
  const swapped = model('candidate', rows, (row) => (row.text === 'en ds 1' ? INV : row.text === 'en inv 1' ? DS : row.intent), never);

  it('test macro-F1: a drop of exactly maxMacroF1Drop passes, a drop just over it fails', () => {
    const atLimit = gate(swapped, perfect, rows, { maxMacroF1Drop: 0.25, maxLanguageMacroF1Drop: 1, significance: 0 });
    expect(check(atLimit, 'test macro-F1')).toEqual({ name: 'test macro-F1', current: 1, candidate: 0.75, rule: 'drop ≤ 0.25', passed: true });
    expect(atLimit.passed).toBe(true);
    const over = gate(swapped, perfect, rows, { maxMacroF1Drop: justUnder(0.25), maxLanguageMacroF1Drop: 1, significance: 0 });
    expect(check(over, 'test macro-F1').passed).toBe(false);
    expect(over.passed).toBe(false);
    expect(over.checks.filter((entry) => !entry.passed).map((entry) => entry.name)).toEqual(['test macro-F1']);
  });

  it('macro-F1 per language: a drop of exactly maxLanguageMacroF1Drop passes, just over fails; one check per language', () => {
    const atLimit = gate(swapped, perfect, rows, { maxMacroF1Drop: 1, maxLanguageMacroF1Drop: 0.5, significance: 0 });
    expect(atLimit.checks.map((entry) => entry.name)).toEqual(['test macro-F1', 'test macro-F1 pl', 'test macro-F1 en', 'test answered precision', "test 'other' answered"]);
    expect(check(atLimit, 'test macro-F1 en')).toEqual({ name: 'test macro-F1 en', current: 1, candidate: 0.5, rule: 'drop ≤ 0.5', passed: true });
    expect(check(atLimit, 'test macro-F1 pl')).toMatchObject({ current: 1, candidate: 1, passed: true });
    expect(atLimit.passed).toBe(true);
    const over = gate(swapped, perfect, rows, { maxMacroF1Drop: 1, maxLanguageMacroF1Drop: justUnder(0.5), significance: 0 });
    expect(over.checks.filter((entry) => !entry.passed).map((entry) => entry.name)).toEqual(['test macro-F1 en']);
    expect(over.passed).toBe(false);
  });

  it('the default limits: 0.5 points overall, 2 points per language, each drop past them tested at 5%', () => {
    expect(GATE_DEFAULTS).toEqual({ maxMacroF1Drop: 0.005, maxLanguageMacroF1Drop: 0.02, maxOtherAnswerRateRise: 0.005, maxOtherAnswerRate: 0.01, significance: 0.05, bootstrapResamples: 1000 });
    const report = gate(swapped, perfect, rows, { significance: 0 });
    expect(report.passed).toBe(false);
    expect(report.checks.filter((entry) => !entry.passed).map((entry) => entry.name)).toEqual(['test macro-F1', 'test macro-F1 en']);
    expect(gate(perfect, perfect, rows).passed).toBe(true);
  });

  describe('a macro-F1 drop past its limit that the test questions cannot tell from luck', () => {
    // 100 en questions, half delivery_status, half invoice_request. The current model is wrong on
    // questions 0–4; a candidate that trades is right on those and wrong on 5–12 (3 more wrong in
    // all, macro-F1 0.95 → 0.92), a consistently worse one is wrong on 0–7.
    const questions: Row[] = Array.from({ length: 100 }, (_, index) => ({ text: `q ${index}`, lang: 'en', intent: index % 2 === 0 ? DS : INV }));
    const wrongOn = (wrong: (index: number) => boolean) => (row: Row, index: number) => (wrong(index) ? (row.intent === DS ? INV : DS) : row.intent);
    const current = model('current', questions, wrongOn((index) => index < 5), never);
    const trading = model('candidate', questions, wrongOn((index) => index >= 5 && index < 13), never);
    const worse = model('candidate', questions, wrongOn((index) => index < 8), never);

    it('passes when the candidate is lower in fewer than 95% of the paired bootstrap draws, and says how often', () => {
      const report = gate(trading, current, questions, { maxMacroF1Drop: 1 });
      const language = check(report, 'test macro-F1 en');
      expect(language.current - language.candidate).toBeGreaterThan(0.02);
      expect(language).toMatchObject({ passed: true, rule: 'drop ≤ 0.02, or not significant (p ≥ 0.05)' });
      expect(language.shareOfDrawsLower).toBeGreaterThan(0.5);
      expect(language.shareOfDrawsLower).toBeLessThan(0.95);
      // Repeatable: the draws come from a fixed seed.
      expect(check(gate(trading, current, questions, { maxMacroF1Drop: 1 }), 'test macro-F1 en').shareOfDrawsLower).toBe(language.shareOfDrawsLower);
    });

    it('fails when the drop is as large but the candidate is lower in nearly every draw', () => {
      const language = check(gate(worse, current, questions, { maxMacroF1Drop: 1 }), 'test macro-F1 en');
      expect(language.current - language.candidate).toBeGreaterThan(0.02);
      expect(language.passed).toBe(false);
      expect(language.shareOfDrawsLower).toBeGreaterThanOrEqual(0.95);
    });

    it('does not draw at all for a drop within the limit', () => {
      expect(check(gate(current, current, questions), 'test macro-F1 en')).not.toHaveProperty('shareOfDrawsLower');
    });
  });

  describe('answered precision on test', () => {
    // 21 delivery_status questions; the model answers the first 20 (or 21).
    const questions: Row[] = Array.from({ length: 21 }, (_, index) => ({ text: `where ${index}`, lang: 'en', intent: DS }));
    const rightExcept = (wrong: number[]) => (row: Row, index: number) => (wrong.includes(index) ? INV : DS);
    const first = (count: number) => (_: Row, index: number) => index < count;

    it('with the current model at the target, the candidate must reach the target: 19/20 = 0.95 passes, 19/21 fails', () => {
      const current = model('current', questions, truth, first(20));
      const atTarget = gate(model('candidate', questions, rightExcept([0]), first(20)), current, questions, { maxMacroF1Drop: 1, maxLanguageMacroF1Drop: 1 });
      expect(check(atTarget, 'test answered precision')).toEqual({ name: 'test answered precision', current: 1, candidate: 0.95, rule: '≥ 0.95', passed: true });
      // One more answer, and it is wrong.
      const under = gate(model('candidate', questions, rightExcept([0, 20]), first(21)), current, questions, { maxMacroF1Drop: 1, maxLanguageMacroF1Drop: 1 });
      expect(check(under, 'test answered precision')).toMatchObject({ candidate: 19 / 21, passed: false });
      expect(under.passed).toBe(false);
    });

    it('takes minAnsweredPrecision over the candidate\'s own target', () => {
      const current = model('current', questions, truth, first(20));
      const candidate = model('candidate', questions, rightExcept([0, 1, 2, 3, 4]), first(20)); // 15/20 = 0.75
      expect(check(gate(candidate, current, questions, { minAnsweredPrecision: 0.75, maxMacroF1Drop: 1, maxLanguageMacroF1Drop: 1 }), 'test answered precision')).toMatchObject({ candidate: 0.75, rule: '≥ 0.75', passed: true });
      expect(check(gate(candidate, current, questions, { minAnsweredPrecision: 0.75 + 2 ** -20, maxMacroF1Drop: 1, maxLanguageMacroF1Drop: 1 }), 'test answered precision').passed).toBe(false);
    });

    it('with the current model below the target, the candidate must match it: equal passes, one more wrong answer fails', () => {
      const current = model('current', questions, rightExcept([0, 1, 2, 3, 4]), first(20)); // 15/20 = 0.75 < 0.95
      const equal = gate(model('candidate', questions, rightExcept([5, 6, 7, 8, 9]), first(20)), current, questions);
      expect(check(equal, 'test answered precision')).toEqual({ name: 'test answered precision', current: 0.75, candidate: 0.75, rule: '≥ current (below target 0.95)', passed: true });
      expect(equal.passed).toBe(true);
      const worse = gate(model('candidate', questions, rightExcept([5, 6, 7, 8, 9, 10]), first(20)), current, questions, { maxMacroF1Drop: 1, maxLanguageMacroF1Drop: 1 });
      expect(check(worse, 'test answered precision')).toMatchObject({ candidate: 0.7, passed: false });
    });
  });

  describe("the share of test 'other' questions answered", () => {
    // 40 delivery_status questions, all answered rightly; 200 `other` questions, which both
    // models predict as delivery_status (so macro-F1 is the same) and answer only sometimes.
    const questions: Row[] = [
      ...Array.from({ length: 40 }, (_, index) => ({ text: `parcel ${index}`, lang: 'en', intent: DS })),
      ...Array.from({ length: 200 }, (_, index) => ({ text: `chat ${index}`, lang: 'en', intent: 'other' })),
    ];
    const answering = (others: number) => (row: Row, index: number) => row.intent === DS || index - 40 < others;
    const both = (version: string, others: number) => model(version, questions, () => DS, answering(others));

    it('may rise by maxOtherAnswerRateRise: 0 → 1/200 = 0.005 passes, 0 → 2/200 fails', () => {
      const atLimit = gate(both('candidate', 1), both('current', 0), questions);
      expect(check(atLimit, "test 'other' answered")).toEqual({ name: "test 'other' answered", current: 0, candidate: 0.005, rule: 'rise ≤ 0.005, ≤ 0.01', passed: true });
      expect(atLimit.passed).toBe(true);
      const over = gate(both('candidate', 2), both('current', 0), questions);
      expect(check(over, "test 'other' answered")).toMatchObject({ candidate: 0.01, passed: false });
      expect(over.checks.filter((entry) => !entry.passed).map((entry) => entry.name)).toEqual(["test 'other' answered"]);
    });

    it('never exceeds maxOtherAnswerRate, whatever the current model does: 2/200 = 0.01 passes, 3/200 fails', () => {
      const atCap = gate(both('candidate', 2), both('current', 2), questions);
      expect(check(atCap, "test 'other' answered")).toMatchObject({ current: 0.01, candidate: 0.01, passed: true });
      // A rise of 0.005 is allowed, but 0.015 is over the cap.
      const over = gate(both('candidate', 3), both('current', 2), questions);
      expect(check(over, "test 'other' answered")).toMatchObject({ candidate: 0.015, passed: false });
      expect(over.passed).toBe(false);
    });
  });

  describe('held-out reviewed log questions', () => {
    const holdout: Row[] = Array.from({ length: 4 }, (_, index) => ({ text: `fizetés ${index}`, lang: 'hu', intent: 'payment_retry' }));
    const all = [...rows, ...holdout];
    // Both models are perfect on the test rows; on the hold-out, right on the first `right`.
    const onHoldout = (version: string, right: number) => model(version, all, (row, index) => (row.lang === 'hu' && index - rows.length >= right ? 'other' : row.intent), never);

    it('accuracy may not drop: equal passes, one fewer right fails', () => {
      const equal = gate(onHoldout('candidate', 2), onHoldout('current', 2), rows, {}, holdout);
      expect(check(equal, 'held-out log accuracy')).toEqual({ name: 'held-out log accuracy', current: 0.5, candidate: 0.5, rule: 'no drop', passed: true });
      expect(equal).toMatchObject({ passed: true, testQuestions: 8, holdoutQuestions: 4 });
      expect(equal.holdout!.candidate.accuracy).toBe(0.5);
      const worse = gate(onHoldout('candidate', 1), onHoldout('current', 2), rows, {}, holdout);
      expect(check(worse, 'held-out log accuracy')).toMatchObject({ candidate: 0.25, passed: false });
      expect(worse.passed).toBe(false);
    });

    it('is not checked when there is no hold-out', () => {
      const report = gate(onHoldout('candidate', 0), onHoldout('current', 4), rows);
      expect(report.checks.some((entry) => entry.name === 'held-out log accuracy')).toBe(false);
      expect(report).toMatchObject({ passed: true, holdoutQuestions: 0 });
      expect(report.holdout).toBeUndefined();
    });
  });

  it('reports both versions and a side-by-side summary', () => {
    const report = gate(swapped, perfect, rows, { maxMacroF1Drop: 1, maxLanguageMacroF1Drop: 1 });
    expect(report).toMatchObject({ current: 'current', candidate: 'candidate', testQuestions: 8 });
    expect(report.test.current).toEqual({ accuracy: 1, macroF1: 1, perLanguageMacroF1: { en: 1, pl: 1 }, answeredPrecision: 1, coverage: 0, otherAnswerRate: 0 });
    expect(report.test.candidate).toEqual({ accuracy: 0.75, macroF1: 0.75, perLanguageMacroF1: { en: 0.5, pl: 1 }, answeredPrecision: 1, coverage: 0, otherAnswerRate: 0 });
  });
});
