import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/runtime/model.js';
import { discoverTopics } from '../../src/discover/discover.js';
import { groupQuestions, questionsFromEvents } from '../../src/discover/questions.js';
import { crossLanguageAgreement, majorityLabels, normalizedMutualInformation, purity } from '../../src/discover/metrics.js';
import { kmeans } from '../../src/discover/kmeans.js';
import { silhouetteScore } from '../../src/discover/silhouette.js';
import type { EscalationEvent } from '../../src/learning/events.js';

/**
 * Hand-made corpora whose topics are obvious. Each topic's questions share its key word in
 * the spellings of several languages (folded character n-grams join them).
 */
const TOPICS: Record<string, string[]> = {
  invoice: ['faktura', 'faktura vat', 'proszę o fakturę', 'fakturę vat', 'faktura na firmę', 'fakturu prosím', 'faktura na firmu', 'faktúra', 'faktúru prosím', 'faktúra na firmu'],
  complaint: ['reklamacja', 'reklamacja towaru', 'reklamację', 'reklamace', 'reklamace zboží', 'reklamaci', 'reklamácia', 'reklamáciu', 'reklamáció', 'reklamációt kérek'],
  thanks: ['dziękuję', 'dziękuję bardzo', 'dzięki', 'děkuji', 'děkuji moc', 'děkuju', 'ďakujem', 'ďakujem pekne', 'dakujem', 'dzięki wielkie'],
  cancel: ['anulować zamówienie', 'anulujcie zamówienie', 'anulowanie zamówienia', 'anulować', 'chcę anulować zamówienie', 'anulacja zamówienia', 'anuluj zamówienie', 'proszę anulować', 'anulowanie', 'anulujcie'],
};
const OPENINGS = ['', 'hej ', 'hello ', 'ahoj ', 'szia '];
const ENDINGS = ['', '?', ' !!', ' 🙂'];
/** The language of a phrase, for the language statistics (by its spelling). */
const languageOf = (phrase: string) => (/[áéóő]|kérek/.test(phrase) && /ció/.test(phrase) ? 'hu' : /[ěůř]|prosím|firmu|zboží|reklamac[ei]$|děkuj/.test(phrase) ? 'cs' : /[ďúá]|pekne|dakujem/.test(phrase) ? 'sk' : 'pl');

function corpus(): { text: string; lang: string; topic: string }[] {
  const rows: { text: string; lang: string; topic: string }[] = [];
  for (const [topic, phrases] of Object.entries(TOPICS)) {
    phrases.forEach((phrase, phraseIndex) => {
      OPENINGS.forEach((opening, openingIndex) => rows.push({ text: `${opening}${phrase}${ENDINGS[(phraseIndex + openingIndex) % ENDINGS.length]}`, lang: languageOf(phrase), topic }));
    });
  }
  return rows;
}

/**
 * Planted topics with no structure inside them: every question is three words of one topic's
 * six, so the only clusters there are are the topics.
 */
const VOCABULARIES: string[][] = [
  ['faktura', 'vat', 'nip', 'firma', 'paragon', 'rachunek'],
  ['reklamacja', 'uszkodzony', 'zepsuty', 'gwarancja', 'wadliwy', 'pęknięty'],
  ['dziękuję', 'dzięki', 'bardzo', 'serdecznie', 'pozdrawiam', 'miłego'],
  ['anulować', 'zamówienie', 'rezygnuję', 'anulacja', 'wycofać', 'pomyłka'],
  ['hasło', 'logowanie', 'konto', 'zalogować', 'login', 'resetować'],
];

function planted(topics: number): { text: string; lang: string; topic: string }[] {
  return VOCABULARIES.slice(0, topics).flatMap((words, topic) => {
    const rows: { text: string; lang: string; topic: string }[] = [];
    for (let a = 0; a < words.length; a++) for (let b = a + 1; b < words.length; b++) for (let c = b + 1; c < words.length; c++) rows.push({ text: `${words[a]} ${words[c]} ${words[b]}`, lang: 'pl', topic: String(topic) });
    return rows;
  });
}

function asQuestions(rows: { text: string; lang: string }[]) {
  return groupQuestions(rows.map((row) => ({ text: row.text, language: row.lang, count: 1, escalated: 0, abstained: 1 })));
}

function truthOf(rows: { text: string; topic: string }[], questions: { text: string }[]): string[] {
  const topicOfText = new Map(rows.map((row) => [row.text, row.topic]));
  return questions.map((question) => topicOfText.get(question.text)!);
}

describe('discoverTopics on hand-made corpora', () => {
  const rows = corpus();
  const questions = asQuestions(rows);
  const truth = truthOf(rows, questions);

  it('puts each topic in a topic of its own, across Polish, Czech, Slovak and Hungarian spellings', () => {
    const result = discoverTopics(questions, { k: 4, seed: 1 });
    expect(result.topics).toHaveLength(4);
    // Every planted topic maps to exactly one discovered topic, and no two share one.
    const topicOf = new Map<string, Set<number>>();
    truth.forEach((label, index) => topicOf.set(label, (topicOf.get(label) ?? new Set()).add(result.assignments[index])));
    for (const [label, ids] of topicOf) expect([...ids], label).toHaveLength(1);
    expect(new Set([...topicOf.values()].map((ids) => [...ids][0])).size).toBe(4);
    expect(purity(result.assignments, truth)).toBe(1);
    expect(normalizedMutualInformation(result.assignments, truth)).toBeCloseTo(1, 10);
    // The same thing asked in different languages, one topic.
    const languages = questions.map((question) => question.language);
    expect(new Set(languages).size).toBe(4);
    expect(crossLanguageAgreement(result.assignments, truth, languages).overall).toBe(1);
  });

  it('chooses the planted number of topics when k is auto', () => {
    for (const topics of [2, 3, 4, 5]) {
      const plantedRows = planted(topics);
      const plantedQuestions = asQuestions(plantedRows);
      const result = discoverTopics(plantedQuestions, { seed: 3, maxK: 10 });
      expect(result.automatic).toBe(true);
      expect(result.k, `${topics} planted`).toBe(topics);
      expect(purity(result.assignments, truthOf(plantedRows, plantedQuestions))).toBe(1);
    }
  });

  it('gives the same topics for the same seed', () => {
    const first = discoverTopics(questions, { seed: 9 });
    const second = discoverTopics(questions, { seed: 9 });
    expect([...second.assignments]).toEqual([...first.assignments]);
    expect(second.topics).toEqual(first.topics);
  });

  it('describes each topic: size, languages, terms, examples, nearest intent of the model', () => {
    const result = discoverTopics(questions, { k: 4, seed: 1, model: loadModel() });
    const majority = majorityLabels(result.assignments, truth);
    const sizes = result.topics.map((topic) => topic.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(rows.length);
    expect(result.topics.reduce((sum, topic) => sum + topic.distinct, 0)).toBe(questions.length);
    const expectedIntent: Record<string, string> = { invoice: 'invoice_request', complaint: 'complaint', cancel: 'cancel_order', thanks: 'other' };
    const languagesOfTopic: Record<string, string[]> = { invoice: ['cs', 'pl', 'sk'], complaint: ['cs', 'hu', 'pl', 'sk'], thanks: ['cs', 'pl', 'sk'], cancel: ['pl'] };
    for (const topic of result.topics) {
      const planted = majority.get(topic.id)!.label;
      expect(topic.examples).toHaveLength(5);
      for (const example of topic.examples) expect(rows.find((row) => row.text === example)!.topic).toBe(planted);
      expect(topic.languages.map((entry) => entry.language).sort()).toEqual(languagesOfTopic[planted]);
      expect(topic.languages.reduce((sum, entry) => sum + entry.share, 0)).toBeCloseTo(1, 10);
      expect(topic.abstained).toBe(topic.size);
      expect(topic.hint!.intent, planted).toBe(expectedIntent[planted]);
      expect(topic.hint!.closeness).toBeGreaterThan(0.3);
      expect(topic.terms.length).toBeGreaterThan(0);
    }
    const invoice = result.topics.find((topic) => majority.get(topic.id)!.label === 'invoice')!;
    expect(invoice.terms.some((term) => term.startsWith('faktur'))).toBe(true);
  });

  it('counts a repeated question once, with its outcomes', () => {
    const event = (id: string, text: string, outcome: EscalationEvent['outcome']): EscalationEvent => ({ id, timestamp: '2026-11-01T00:00:00Z', text, language: 'pl', modelVersion: 'v', decision: { intent: 'other', confidence: 0.4, answer: outcome === 'escalated', reason: 'low_confidence' }, outcome });
    const grouped = questionsFromEvents([event('1', 'Proszę o fakturę!', 'not_shown'), event('2', 'proszę o FAKTURĘ', 'escalated'), event('3', 'proszę o fakturę', 'accepted'), event('4', 'dziękuję', 'not_shown')]);
    expect(grouped).toHaveLength(2);
    expect(grouped[0]).toMatchObject({ text: 'Proszę o fakturę!', count: 2, escalated: 1, abstained: 1 });
  });

  it('puts questions with no known term in a topic of their own, last', () => {
    const withNoise = [...questions, ...asQuestions([{ text: 'qqqqqqqqqqzzz', lang: 'pl' }])];
    const result = discoverTopics(withNoise, { k: 4, seed: 1 });
    expect(result.unrepresented).toBe(1);
    expect(result.topics).toHaveLength(5);
    expect(result.assignments[withNoise.length - 1]).toBe(5);
  });

  it('refuses an empty input and an invalid k', () => {
    expect(() => discoverTopics([])).toThrow(/no questions/);
    expect(() => discoverTopics(questions, { k: 0 })).toThrow(/k must be/);
  });
});

describe('the scores', () => {
  it('NMI and purity of known partitions', () => {
    expect(normalizedMutualInformation([0, 0, 1, 1], ['a', 'a', 'b', 'b'])).toBeCloseTo(1, 12);
    expect(normalizedMutualInformation([0, 1, 0, 1], ['a', 'a', 'b', 'b'])).toBeCloseTo(0, 12);
    // scikit-learn: normalized_mutual_info_score([a,a,a,b,b,b], [0,0,1,1,2,2]) = 0.5158…
    expect(normalizedMutualInformation([0, 0, 1, 1, 2, 2], ['a', 'a', 'a', 'b', 'b', 'b'])).toBeCloseTo(0.515803, 5);
    expect(purity([0, 0, 0, 1], ['a', 'a', 'b', 'b'])).toBe(0.75);
  });

  it('k-means and silhouette on separated points', () => {
    const points = { count: 6, dimension: 2, data: Float32Array.of(0, 0, 0.1, 0, 0, 0.1, 5, 5, 5.1, 5, 5, 5.1) };
    const result = kmeans(points, 2, { seed: 1 });
    expect(new Set(result.assignments.slice(0, 3)).size).toBe(1);
    expect(result.assignments[0]).not.toBe(result.assignments[3]);
    expect(silhouetteScore(points, result.assignments, 2)).toBeGreaterThan(0.95);
  });
});
