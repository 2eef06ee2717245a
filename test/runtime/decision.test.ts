import { describe, expect, it } from 'vitest';
import { decide, hasLetters, resolvePolicy, type DecisionPolicy } from '../../src/runtime/decision.js';

const defaults: DecisionPolicy = {
  threshold: 0.6,
  margin: 0.1,
  answerableIntents: new Set(['delivery_status', 'delivery_options', 'payment_retry']),
  enabled: true,
  otherIntent: 'other',
};

describe('decide', () => {
  it('answers a confident, unambiguous, answerable intent', () => {
    expect(decide(defaults, { intent: 'delivery_status', confidence: 0.9 }, 0.05)).toEqual({ answer: true, reason: 'answerable' });
  });

  it('abstains below the threshold', () => {
    expect(decide(defaults, { intent: 'delivery_status', confidence: 0.55 }, 0.1)).toEqual({ answer: false, reason: 'low_confidence' });
  });

  it('abstains when the top two are within the margin', () => {
    expect(decide(defaults, { intent: 'delivery_status', confidence: 0.65 }, 0.6)).toEqual({ answer: false, reason: 'ambiguous' });
  });

  it('never answers a message without letters (emoji, numbers, punctuation only)', () => {
    for (const text of ['🙄🙄', '12345678', '👍 !!!', '📦?']) {
      expect(hasLetters(text)).toBe(false);
      expect(decide(defaults, { intent: 'payment_retry', confidence: 1 }, 0, hasLetters(text))).toEqual({ answer: false, reason: 'out_of_scope' });
    }
    for (const text of ['#A-88123', 'ok 👍', 'číslo?', 'csomag']) expect(hasLetters(text)).toBe(true);
  });

  it('routes intents outside the answerable set to the seller', () => {
    expect(decide(defaults, { intent: 'complaint', confidence: 0.99 }, 0)).toEqual({ answer: false, reason: 'unsupported_intent' });
  });

  it('never answers `other`, even when confident', () => {
    expect(decide(defaults, { intent: 'other', confidence: 0.99 }, 0)).toEqual({ answer: false, reason: 'out_of_scope' });
    const everything = resolvePolicy(defaults, { answerableIntents: ['other', 'delivery_status'] });
    expect(decide(everything, { intent: 'other', confidence: 0.99 }, 0).answer).toBe(false);
  });

  it('never answers when the seller disabled the bot', () => {
    expect(decide(resolvePolicy(defaults, { enabled: false }), { intent: 'delivery_status', confidence: 0.99 }, 0)).toEqual({ answer: false, reason: 'disabled' });
  });

  it('reports empty input', () => {
    expect(decide(defaults, undefined, 0)).toEqual({ answer: false, reason: 'empty_input' });
  });

  it('lets run-time options override the stored policy', () => {
    const strict = resolvePolicy(defaults, { threshold: 0.95, margin: 0.5, answerableIntents: ['complaint'] });
    expect(decide(strict, { intent: 'delivery_status', confidence: 0.9 }, 0)).toEqual({ answer: false, reason: 'low_confidence' });
    expect(decide(strict, { intent: 'complaint', confidence: 0.97 }, 0.6)).toEqual({ answer: false, reason: 'ambiguous' });
    expect(decide(strict, { intent: 'complaint', confidence: 0.97 }, 0.01)).toEqual({ answer: true, reason: 'answerable' });
  });
});

describe('AllinaModel.classify', () => {
  it('lists the three most probable intents, in order, with the probabilities the model computes', async () => {
    const { trainTinyModel } = await import('../helpers/tiny-model.js');
    const { model } = await trainTinyModel();
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
    const { trainTinyModel } = await import('../helpers/tiny-model.js');
    const { model } = await trainTinyModel();
    const decision = model.classify('📦📦', { threshold: 0, margin: 0, answerableIntents: model.manifest.intents });
    expect(decision.intent).not.toBeNull();
    expect(decision).toMatchObject({ answer: false, reason: 'out_of_scope' });
  });
});
