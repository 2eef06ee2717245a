import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReviewQueue, readReviewedFiles, REVIEW_COLUMNS, writeReviewCsv } from '../../src/learning/review.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import type { EscalationEvent } from '../../src/learning/events.js';
import { duplicateKey } from '../../src/data/near-duplicates.js';
import { scriptedModel, type ScriptedAnswer } from '../helpers/scripted-model.js';

let step = 0;
function event(text: string, outcome: EscalationEvent['outcome'], extra: Partial<EscalationEvent> = {}): EscalationEvent {
  step++;
  return {
    id: `e${step}`,
    timestamp: new Date(Date.UTC(2026, 10, 1, 0, step)).toISOString(),
    text,
    language: 'hu',
    modelVersion: 'm1',
    decision: { intent: 'delivery_status', confidence: 0.5, answer: outcome !== 'not_shown', reason: outcome === 'not_shown' ? 'low_confidence' : 'answerable' },
    outcome,
    ...extra,
  };
}

// What the current model makes of each question: its top two intents (the margin is their gap).
const rankings: Record<string, [string, number][]> = {
  'Hol van a csomagom?': [['delivery_status', 0.6], ['other', 0.3]],
  'dzień dobry': [['other', 0.5], ['delivery_status', 0.45]],
  'Kdy to přijde?': [['delivery_status', 0.7], ['delivery_options', 0.2]],
  'Nem sikerült a fizetés': [['payment_retry', 0.9], ['payment_status', 0.05]],
  'what is this': [['other', 0.6], ['product_question', 0.1]],
  'where is it': [['other', 0.6], ['product_question', 0.1]],
  'csak egy': [['other', 0.4]], // one intent ranked: the margin is its confidence
};
const model = scriptedModel('m1', new Map(Object.entries(rankings).map(([text, ranking]): [string, ScriptedAnswer] => [text, { ranking }])));

const events: EscalationEvent[] = [
  // A: asked four times, in two spellings and two languages; the commoner ones win.
  event('Hol van a csomagom?', 'not_shown'),
  event('hol van a csomagom', 'not_shown', { language: 'sk' }),
  event('Hol van a csomagom?', 'not_shown'),
  event('Hol van a csomagom?', 'not_shown'),
  // B: answered, then escalated by the buyer (a likely mistake); the accepted answer does not count.
  event('Nem sikerült a fizetés', 'escalated'),
  event('Nem sikerült a fizetés', 'accepted'),
  // C: a reviewer already labelled it in the logs: never asked again, in any spelling.
  event('számla kellene', 'not_shown'),
  event('Számla kellene!', 'not_shown', { label: 'invoice_request' }),
  // D: already in the labelled corpus (passed as labelledKeys).
  event('kdy dorazí balík', 'not_shown', { language: 'cs' }),
  // E: nothing to label (no words at all).
  event('???', 'not_shown'),
  // F: twice, and the model can hardly tell `other` from delivery_status.
  event('dzień dobry', 'not_shown', { language: 'pl' }),
  event('dzień dobry', 'not_shown', { language: 'pl' }),
  // I: twice in two spellings, one each: the tie goes to the first in code-point order.
  event('kdy to prijde', 'not_shown', { language: 'cs' }),
  event('Kdy to přijde?', 'not_shown', { language: 'cs' }),
  // G and H: same priority; the order is by their normalised text.
  event('where is it', 'not_shown', { language: 'en' }),
  event('what is this', 'not_shown', { language: 'en' }),
  // J: the model ranks a single intent.
  event('csak egy', 'not_shown'),
  // Accepted only: the bot answered and the buyer was satisfied.
  event('hol tart a rendelés', 'accepted'),
];

describe('the review queue', () => {
  const queue = buildReviewQueue(model, events, { labelledKeys: new Set([duplicateKey('Kdy dorazí balík?')]) });

  it('ranks by (1 − margin, + 0.5 if escalated) × (1 + ln count), ties by normalised text', () => {
    // A: (1 − 0.3) × (1 + ln 4) = 1.6704   F: (1 − 0.05) × (1 + ln 2) = 1.6085
    // I: (1 − 0.5) × (1 + ln 2) = 0.8466   B: (1 − 0.85 + 0.5) × 1 = 0.65   J: (1 − 0.4) × 1 = 0.6
    // G, H: (1 − 0.5) × 1 = 0.5 each: 'what is this' < 'where is it'
    expect(queue.map((item) => item.text)).toEqual(['Hol van a csomagom?', 'dzień dobry', 'Kdy to přijde?', 'Nem sikerült a fizetés', 'csak egy', 'what is this', 'where is it']);
    const expected = [0.7 * (1 + Math.log(4)), 0.95 * (1 + Math.log(2)), 0.5 * (1 + Math.log(2)), 0.65, 0.6, 0.5, 0.5];
    queue.forEach((item, index) => expect(item.priority, item.text).toBeCloseTo(expected[index], 12));
    expect(queue[5].priority).toBe(queue[6].priority);
    expect(queue[4]).toMatchObject({ margin: 0.4, guesses: [{ intent: 'other', confidence: 0.4 }] });
  });

  it('groups spellings of one question, counts its events and outcomes, and prefills the model\'s guesses', () => {
    expect(queue[0]).toEqual({
      text: 'Hol van a csomagom?',
      language: 'hu',
      count: 4,
      escalated: 0,
      notShown: 4,
      confidence: 0.6,
      margin: 0.3,
      guesses: [{ intent: 'delivery_status', confidence: 0.6 }, { intent: 'other', confidence: 0.3 }],
      priority: queue[0].priority,
    });
    expect(queue[2]).toMatchObject({ text: 'Kdy to přijde?', language: 'cs', count: 2 });
    expect(queue[3]).toMatchObject({ text: 'Nem sikerült a fizetés', count: 1, escalated: 1, notShown: 0 });
    expect(queue[3].margin).toBeCloseTo(0.85, 15);
  });

  it('leaves out accepted answers, labelled questions, questions in labelledKeys and text without words', () => {
    const keys = queue.map((item) => duplicateKey(item.text));
    for (const text of ['számla kellene', 'kdy dorazí balík', 'hol tart a rendelés']) expect(keys).not.toContain(duplicateKey(text));
    expect(keys).not.toContain('');
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps the first `limit` of the ranking, and is the same for any order of the events', () => {
    expect(buildReviewQueue(model, events, { limit: 2, labelledKeys: new Set([duplicateKey('kdy dorazí balík')]) })).toEqual(queue.slice(0, 2));
    expect(buildReviewQueue(model, [...events].reverse(), { labelledKeys: new Set([duplicateKey('kdy dorazí balík')]) })).toEqual(queue);
  });

  it('is empty when nothing is left to ask', () => {
    expect(buildReviewQueue(model, events.filter((item) => item.outcome === 'accepted'))).toEqual([]);
  });
});

describe('the review CSV', () => {
  it('writes the queue with counts, the margin and the three guesses to 3 decimals, and an empty label column', () => {
    const file = join(temporaryDirectory(), 'review.csv');
    const queue = buildReviewQueue(model, events, { limit: 2, labelledKeys: new Set([duplicateKey('kdy dorazí balík')]) });
    writeReviewCsv(file, [...queue, { ...queue[1], text: '=1+1', guesses: [{ intent: 'other', confidence: 1 }] }]);
    expect(readFileSync(file, 'utf8')).toBe([
      REVIEW_COLUMNS.join(','),
      'Hol van a csomagom?,hu,4,0,4,0.600,0.300,delivery_status,0.600,other,0.300,,,',
      'dzień dobry,pl,2,0,2,0.500,0.050,other,0.500,delivery_status,0.450,,,',
      // A formula-like text is written with a leading apostrophe; missing guesses stay empty.
      "'=1+1,pl,2,0,2,0.500,0.050,other,1.000,,,,,",
      '',
    ].join('\n'));
  });

  it('reads back labelled rows only, restoring the text, and reports each bad row with its line', () => {
    const file = join(temporaryDirectory(), 'reviewed.csv');
    writeFileSync(file, [
      'text,lang,count,label',
      "'=1+1,pl,1,other", // line 2: neutralised text comes back as written
      'Hol van a csomagom?,hu,4,delivery_status',
      'dzień dobry,pl,2,', // line 4: not reviewed yet
      'számla,hu,1,invoice', // line 5: unknown intent
      'hello,de,1,other', // line 6: unknown language
      '  ,en,1,other', // line 7: empty text
      'kdy to přijde, cs ,2, delivery_status ', // line 8: spaces around values
    ].join('\n'));
    const { reviewed, skipped } = readReviewedFiles([file], new Set(['delivery_status', 'other', 'invoice_request']), new Set(['pl', 'hu', 'cs', 'en']));
    expect(reviewed).toEqual([
      { text: '=1+1', lang: 'pl', intent: 'other', file, row: 2 },
      { text: 'Hol van a csomagom?', lang: 'hu', intent: 'delivery_status', file, row: 3 },
      { text: 'kdy to přijde', lang: 'cs', intent: 'delivery_status', file, row: 8 },
    ]);
    expect(skipped).toEqual([
      { file, line: 5, problem: "unknown intent in label 'invoice'" },
      { file, line: 6, problem: "unknown language 'de'" },
      { file, line: 7, problem: 'empty text' },
    ]);
  });
});
