import type { DecisionPolicy, MessageEvidence } from '../../src/runtime/decision.js';

/** A hand-made decision policy for tests: the shipped shape rules, overridable field by field. */
export function testPolicy(overrides: Partial<DecisionPolicy> = {}): DecisionPolicy {
  return {
    threshold: 0,
    margin: 0.1,
    answerableIntents: new Set(['delivery_status']),
    enabled: true,
    otherIntent: 'other',
    unsupportedLanguage: 'other',
    minimumLetters: 3,
    minimumWords: 2,
    minimumFamiliarity: 0,
    minimumIntentFamiliarity: 0,
    minimumWordFamiliarity: 0,
    ...overrides,
  };
}

/** Evidence of a long, fully familiar message in a supported language. */
export const FAMILIAR: MessageEvidence = { letters: 16, words: 3, language: 'en', familiarity: 1, intentFamiliarity: 1, wordFamiliarity: 1 };
