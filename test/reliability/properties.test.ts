import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadModel } from '../../src/runtime/model.js';
import { DECISION_REASONS } from '../../src/runtime/decision.js';
import { PolicyError } from '../../src/util/errors.js';

/** Issue "Nothing lost, nothing answered by accident", acceptance: properties of the runtime. */
describe('the runtime, for any input', () => {
  const model = loadModel();
  const intents = model.manifest.intents;
  const validPolicy = fc.record(
    {
      threshold: fc.double({ min: 0, max: 1, noNaN: true }),
      margin: fc.double({ min: 0, max: 1, noNaN: true }),
      enabled: fc.boolean(),
      answerableIntents: fc.subarray(intents),
    },
    { requiredKeys: [] },
  );

  it('gives a well-formed decision with a finite confidence, and answers only at or above the threshold', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), validPolicy, (text, options) => {
        const decision = model.classify(text, options);
        const policy = model.policy(options);
        expect(DECISION_REASONS).toContain(decision.reason);
        for (const value of [decision.confidence, decision.languageConfidence, decision.familiarity, decision.intentFamiliarity, decision.wordFamiliarity]) {
          expect(Number.isFinite(value)).toBe(true);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
        expect(decision.answer).toBe(decision.reason === 'answerable');
        if (decision.answer) {
          expect(decision.confidence).toBeGreaterThanOrEqual(policy.threshold);
          expect(policy.enabled).toBe(true);
          expect(policy.answerableIntents.has(decision.intent!)).toBe(true);
          expect(decision.language).not.toBe('other');
        }
        if (decision.intent === null) expect(decision.reason).toBe('empty_input');
      }),
      { numRuns: 2000, seed: 20261202 },
    );
  });

  it('throws a PolicyError for any invalid threshold or margin, and answers nothing', () => {
    const invalidNumber = fc.oneof(fc.constant(Number.NaN), fc.double({ min: 1.000001, max: 1e9 }), fc.double({ min: -1e9, max: -0.000001 }), fc.constant(Number.POSITIVE_INFINITY), fc.string().map((text) => text as unknown as number));
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.constantFrom('threshold', 'margin'), invalidNumber, (text, field, value) => {
        expect(() => model.classify(text, { [field]: value })).toThrow(PolicyError);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
