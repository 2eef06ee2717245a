import { describe, expect, it } from 'vitest';
import { decide, resolvePolicy, textShape, type MessageEvidence } from '../../src/runtime/decision.js';
import { FAMILIAR, testPolicy } from '../helpers/policy.js';
import { handMadeModel } from '../helpers/hand-made-model.js';

const defaults = testPolicy({ threshold: 0.6, answerableIntents: new Set(['delivery_status', 'delivery_options', 'payment_retry']), minimumFamiliarity: 0.5 });
const familiar: MessageEvidence = { ...FAMILIAR, language: 'pl', familiarity: 0.9 };

describe('decide', () => {
  it('answers a confident, unambiguous, answerable intent', () => {
    expect(decide(defaults, { intent: 'delivery_status', confidence: 0.9 }, 0.05, familiar)).toEqual({ answer: true, reason: 'answerable' });
  });

  it('abstains below the threshold', () => {
    expect(decide(defaults, { intent: 'delivery_status', confidence: 0.55 }, 0.1, familiar)).toEqual({ answer: false, reason: 'low_confidence' });
  });

  it('abstains when the top two are within the margin', () => {
    expect(decide(defaults, { intent: 'delivery_status', confidence: 0.65 }, 0.6, familiar)).toEqual({ answer: false, reason: 'ambiguous' });
  });

  it('never answers a message without letters (emoji, numbers, punctuation only)', () => {
    for (const text of ['🙄🙄', '12345678', '👍 !!!', '📦?']) {
      expect(textShape(text).letters).toBe(0);
      expect(decide(defaults, { intent: 'payment_retry', confidence: 1 }, 0, { ...familiar, ...textShape(text) })).toEqual({ answer: false, reason: 'out_of_scope' });
    }
    for (const text of ['#A-88123', 'ok 👍', 'číslo?', 'csomag']) expect(textShape(text).letters).toBeGreaterThan(0);
  });

  it('counts letters in any script, up to a cap', () => {
    expect(textShape('kdy??')).toEqual({ letters: 3, words: 1 });
    expect(textShape('Где посылка')).toEqual({ letters: 10, words: 2 });
    expect(textShape('ö')).toEqual({ letters: 1, words: 1 });
    expect(textShape('#A-88123 státusz?')).toEqual({ letters: 8, words: 2 });
    expect(textShape('a'.repeat(100))).toEqual({ letters: 16, words: 1 });
    expect(textShape('a '.repeat(100))).toEqual({ letters: 16, words: 16 });
  });

  it('refuses a question in an unsupported language before anything else it asks', () => {
    expect(decide(defaults, { intent: 'delivery_status', confidence: 0.99 }, 0, { ...familiar, language: 'other' })).toEqual({ answer: false, reason: 'unsupported_language' });
    expect(decide(defaults, { intent: 'other', confidence: 0.99 }, 0, { ...familiar, language: 'other' }).reason).toBe('unsupported_language');
  });

  it('refuses unfamiliar text and messages with fewer letters than the minimum, however confident', () => {
    expect(decide(defaults, { intent: 'delivery_status', confidence: 1 }, 0, { ...familiar, familiarity: 0.49 })).toEqual({ answer: false, reason: 'unfamiliar' });
    expect(decide(defaults, { intent: 'delivery_status', confidence: 1 }, 0, { ...familiar, letters: 2 })).toEqual({ answer: false, reason: 'unfamiliar' });
    expect(decide(defaults, { intent: 'delivery_status', confidence: 1 }, 0, { ...familiar, words: 1 })).toEqual({ answer: false, reason: 'unfamiliar' });
    expect(decide({ ...defaults, minimumIntentFamiliarity: 0.6 }, { intent: 'delivery_status', confidence: 1 }, 0, { ...familiar, intentFamiliarity: 0.59 })).toEqual({ answer: false, reason: 'unfamiliar' });
    expect(decide({ ...defaults, minimumWordFamiliarity: 0.9 }, { intent: 'delivery_status', confidence: 1 }, 0, { ...familiar, wordFamiliarity: 0.89 })).toEqual({ answer: false, reason: 'unfamiliar' });
    expect(decide({ ...defaults, minimumWordFamiliarity: 0.9 }, { intent: 'delivery_status', confidence: 1 }, 0, { ...familiar, wordFamiliarity: 0.9 })).toEqual({ answer: true, reason: 'answerable' });
    expect(decide(defaults, { intent: 'delivery_status', confidence: 1 }, 0, { ...familiar, familiarity: Number.NaN }).answer).toBe(false);
    expect(decide(defaults, { intent: 'delivery_status', confidence: 1 }, 0, { ...familiar, letters: 3, words: 2, familiarity: 0.5 })).toEqual({ answer: true, reason: 'answerable' });
  });

  it('routes intents outside the answerable set to the seller', () => {
    expect(decide(defaults, { intent: 'complaint', confidence: 0.99 }, 0, familiar)).toEqual({ answer: false, reason: 'unsupported_intent' });
  });

  it('never answers `other`, even when confident', () => {
    expect(decide(defaults, { intent: 'other', confidence: 0.99 }, 0, familiar)).toEqual({ answer: false, reason: 'out_of_scope' });
    const everything = resolvePolicy(defaults, { answerableIntents: ['other', 'delivery_status'] });
    expect(decide(everything, { intent: 'other', confidence: 0.99 }, 0, familiar).answer).toBe(false);
  });

  it('never answers when the seller disabled the bot', () => {
    expect(decide(resolvePolicy(defaults, { enabled: false }), { intent: 'delivery_status', confidence: 0.99 }, 0, familiar)).toEqual({ answer: false, reason: 'disabled' });
  });

  it('reports empty input', () => {
    expect(decide(defaults, undefined, 0, familiar)).toEqual({ answer: false, reason: 'empty_input' });
  });

  it('lets run-time options override the stored policy', () => {
    const strict = resolvePolicy(defaults, { threshold: 0.95, margin: 0.5, answerableIntents: ['complaint'] });
    expect(decide(strict, { intent: 'delivery_status', confidence: 0.9 }, 0, familiar)).toEqual({ answer: false, reason: 'low_confidence' });
    expect(decide(strict, { intent: 'complaint', confidence: 0.97 }, 0.6, familiar)).toEqual({ answer: false, reason: 'ambiguous' });
    expect(decide(strict, { intent: 'complaint', confidence: 0.97 }, 0.01, familiar)).toEqual({ answer: true, reason: 'answerable' });
  });
});

describe('AllinaModel.classify', () => {
  it('lists the three most probable intents, in order, with the probabilities the model computes', async () => {
    const model = handMadeModel();
    for (const text of ['where is my parcel', 'faktura', 'dzień dobry', 'hmm ok', 'pls invoice 📦']) {
      const probabilities = Array.from(model.probabilities(text)!);
      const expected = probabilities
        .map((confidence, index) => ({ intent: model.manifest.intents[index], confidence }))
        .sort((a, b) => b.confidence - a.confidence)
        .slice(0, 3);
      const decision = model.classify(text);
      expect(decision.alternatives).toEqual(expected);
      expect(decision.intent).toBe(expected[0].intent);
      expect(decision.confidence).toBe(expected[0].confidence);
    }
  });

  it('classifies a message without letters but does not answer it', async () => {
    const model = handMadeModel();
    const decision = model.classify('📦📦', { threshold: 0, margin: 0, answerableIntents: model.manifest.intents });
    expect(decision.intent).not.toBeNull();
    expect(decision).toMatchObject({ answer: false, reason: 'out_of_scope' });
  });
});

describe('the decision reasons', () => {
  it('are the ones the outcome-log schema accepts', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { packageRoot } = await import('../../src/util/package-root.js');
    const { DECISION_REASONS } = await import('../../src/runtime/decision.js');
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'escalation-event.schema.json'), 'utf8'));
    expect([...schema.properties.decision.properties.reason.enum].sort()).toEqual([...DECISION_REASONS].sort());
    expect(schema.properties.language.enum).toContain('other');
  });
});
