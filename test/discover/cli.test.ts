import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvTable } from '../../src/data/csv.js';
import { formatCsv } from '../../src/data/csv-write.js';
import { appendEvents } from '../../src/learning/logger.js';
import type { EscalationEvent } from '../../src/learning/events.js';
import { readReviewedFiles } from '../../src/learning/review.js';
import { loadModel } from '../../src/runtime/model.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';

/** Questions a bot would abstain on, in three obvious topics, as production would log them. */
const QUESTIONS: Record<string, string[]> = {
  invoice_request: ['faktura', 'faktura vat', 'proszę o fakturę', 'fakturę vat poproszę', 'faktura na firmę', 'fakturu prosím', 'faktura na firmu', 'faktúru prosím pekne', 'faktúra za objednávku', 'faktúru mi pošlite'],
  complaint: ['reklamacja', 'reklamacja towaru', 'reklamację składam', 'reklamace', 'reklamace zboží', 'reklamaci chci', 'reklamácia', 'reklamáciu prosím', 'reklamáció', 'reklamációt kérek'],
  other: ['dziękuję', 'dziękuję bardzo', 'dzięki', 'děkuji', 'děkuji moc', 'děkuju', 'ďakujem', 'ďakujem pekne', 'dakujem vam', 'dzięki wielkie'],
};
const OPENINGS = ['', 'hej ', 'hello ', 'ahoj '];

function writeLogs(directory: string): { file: string; texts: Map<string, string> } {
  const events: EscalationEvent[] = [];
  const texts = new Map<string, string>();
  let id = 0;
  for (const [intent, phrases] of Object.entries(QUESTIONS)) {
    for (const phrase of phrases) {
      for (const opening of OPENINGS) {
        const text = `${opening}${phrase}`;
        texts.set(text, intent);
        // Asked twice: once not answered, once answered and escalated.
        for (const outcome of ['not_shown', 'escalated'] as const) {
          events.push({ id: `e${id++}`, timestamp: '2026-11-20T10:00:00.000Z', text, language: 'pl', modelVersion: 'test', decision: { intent: 'other', confidence: 0.4, answer: outcome === 'escalated', reason: outcome === 'escalated' ? 'answerable' : 'low_confidence' }, outcome });
        }
      }
    }
  }
  // Answered and accepted: not something the bot could not answer.
  events.push({ id: `e${id++}`, timestamp: '2026-11-20T10:00:00.000Z', text: 'gdzie jest paczka', language: 'pl', modelVersion: 'test', decision: { intent: 'delivery_status', confidence: 0.99, answer: true, reason: 'answerable' }, outcome: 'accepted' });
  const file = join(directory, 'logs', 'escalations-web1.jsonl');
  appendEvents(file, events);
  return { file, texts };
}

describe('allina discover and review --topics', () => {
  const directory = temporaryDirectory('allina-discover-');
  const { texts } = writeLogs(directory);
  const topicsFile = join(directory, 'out', 'topics.csv');
  const htmlFile = join(directory, 'out', 'topics.html');

  it('groups the logged questions into topics, with assignments and an HTML page', () => {
    const result = runCli(['discover', '--logs', join(directory, 'logs'), '--k', '3', '--out', topicsFile, '--html', htmlFile, '--json']);
    expect(result.stderr).not.toMatch(/allina:/);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ questions: texts.size, asked: 2 * texts.size, k: 3, automatic: false, assignments: join(directory, 'out', 'topics.assignments.csv') });
    const topics = readCsvTable(topicsFile, ['topic', 'size', 'escalated_share', 'abstained_share', 'top_terms', 'example_1', 'nearest_intent', 'closeness', 'label']).rows;
    expect(topics).toHaveLength(3);
    const nearest = topics.map((row) => row.values.nearest_intent).sort();
    expect(nearest).toEqual(['complaint', 'invoice_request', 'other']);
    for (const row of topics) {
      expect(row.values.escalated_share).toBe('0.500');
      expect(row.values.abstained_share).toBe('0.500');
      expect(row.values.label).toBe('');
      expect(Number(row.values.size)).toBe(2 * OPENINGS.length * 10);
    }
    // Every question is assigned once, to the topic of its own intent.
    const assignments = readCsvTable(summary.assignments, ['topic', 'text', 'count']).rows;
    expect(assignments).toHaveLength(texts.size);
    const intentOfTopic = new Map(topics.map((row) => [row.values.topic, row.values.nearest_intent]));
    for (const row of assignments) expect(intentOfTopic.get(row.values.topic), row.values.text).toBe(texts.get(row.values.text));
    expect(assignments.every((row) => row.values.count === '2')).toBe(true);
  });

  it('writes an HTML page that needs nothing from the network and lists topics by size with examples', () => {
    const html = readFileSync(htmlFile, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/|@import|url\(/i);
    const sizes = [...html.matchAll(/<span class="muted">(\d+) questions/g)].map((match) => Number(match[1]));
    expect(sizes).toHaveLength(3);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect((html.match(/<li>/g) ?? []).length).toBe(15);
    expect(html).toContain('faktura');
    expect(html).toContain('reklamáció');
  });

  it('labels a whole topic at once: review --topics writes the label for each of its questions', () => {
    const table = readCsvTable(topicsFile, ['topic', 'nearest_intent', 'label']);
    const invoiceTopic = table.rows.find((row) => row.values.nearest_intent === 'invoice_request')!.values.topic;
    // The reviewer fills the label of one topic (and leaves the others empty).
    writeFileSync(topicsFile, formatCsv(table.header, table.rows.map((row) => table.header.map((column) => (column === 'label' && row.values.topic === invoiceTopic ? 'invoice_request' : row.values[column])))));
    const reviewFile = join(directory, 'review-topics.csv');
    const result = runCli(['review', '--topics', topicsFile, '--out', reviewFile, '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    // Questions already in the labelled corpus (data/train, data/test) are not asked again.
    expect(summary.topics).toBe(1);
    expect(summary.questions + summary.skippedLabelled).toBe(OPENINGS.length * 10);
    expect(summary.skippedLabelled).toBeGreaterThan(0);
    const model = loadModel();
    const { reviewed, skipped } = readReviewedFiles([reviewFile], new Set(model.manifest.intents), new Set(model.manifest.languages));
    expect(skipped).toEqual([]);
    expect(reviewed).toHaveLength(summary.questions);
    for (const question of reviewed) {
      expect(question.intent).toBe('invoice_request');
      expect(texts.get(question.text)).toBe('invoice_request');
    }
    const rows = readCsvTable(reviewFile, ['text', 'count', 'escalated', 'not_shown', 'guess_1', 'label']).rows;
    expect(rows.every((row) => row.values.count === '2' && row.values.escalated === '1' && row.values.not_shown === '1' && row.values.guess_1 !== '')).toBe(true);
  });

  it('reads a CSV of questions too, detecting languages with the model and filtering by one', () => {
    const csv = join(directory, 'questions.csv');
    writeFileSync(csv, formatCsv(['text'], [...texts.keys()].map((text) => [text])));
    const out = join(directory, 'cs', 'topics.csv');
    const result = runCli(['discover', '--data', csv, '--language', 'cs', '--k', '2', '--lexicon', 'none', '--out', out, '--json']);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.questions).toBeGreaterThan(0);
    expect(summary.questions).toBeLessThan(texts.size);
    for (const topic of summary.topics) expect(topic.languages.map((entry: { language: string }) => entry.language)).toEqual(['cs']);
    expect(existsSync(join(directory, 'cs', 'topics.assignments.csv'))).toBe(true);
  });

  it('teaches with its help: how it groups, what to do next, examples', () => {
    const help = runCli(['discover', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: allina discover');
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('allina review --topics');
    expect(help.stdout).toContain('--lexicon <dir|none>');
    expect(runCli(['review', '--help']).stdout).toContain('--topics <file>');
  });

  it('refuses bad input with a one-line error and the documented exit code', () => {
    const out = join(directory, 'bad', 'topics.csv');
    expect(runCli(['discover', '--out', out]).status).toBe(2);
    expect(runCli(['discover', '--logs', join(directory, 'logs'), '--k', '0', '--out', out]).status).toBe(2);
    const language = runCli(['discover', '--logs', join(directory, 'logs'), '--language', 'de', '--out', out]);
    expect(language.status).toBe(2);
    expect(language.stderr).toMatch(/--language must be one of/);
    const missing = runCli(['discover', '--data', join(directory, 'nope.csv'), '--out', out]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv: no such file/);
    expect(existsSync(out)).toBe(false);
    const noLexicon = runCli(['discover', '--logs', join(directory, 'logs'), '--lexicon', join(directory, 'no-lexicon'), '--out', out]);
    expect(noLexicon.status).toBe(1);
    expect(noLexicon.stderr.trim().split('\n').at(-1)).toBe(`allina: ${join(directory, 'no-lexicon')}: cannot read the lexicon directory (ENOENT)`);
    expect(existsSync(out)).toBe(false);

    const badCount = join(directory, 'bad-count.csv');
    writeFileSync(badCount, 'text,count\nfaktura,2\nreklamacja,many\n');
    const count = runCli(['discover', '--data', badCount, '--out', out]);
    expect(count.status).toBe(1);
    expect(count.stderr.trim().split('\n').at(-1)).toBe(`allina: ${badCount}:3: 'count' must be a whole number ≥ 0, got 'many'`);

    // A typo in a topic label names the row and writes nothing.
    const typo = join(directory, 'typo.csv');
    const table = readCsvTable(topicsFile, ['topic', 'label']);
    writeFileSync(typo, formatCsv(table.header, table.rows.map((row, index) => table.header.map((column) => (column === 'label' && index === 1 ? 'invoices' : row.values[column])))));
    writeFileSync(join(directory, 'typo.assignments.csv'), readFileSync(join(directory, 'out', 'topics.assignments.csv')));
    const review = runCli(['review', '--topics', typo, '--out', join(directory, 'never.csv')]);
    expect(review.status).toBe(1);
    expect(review.stderr).toMatch(/typo\.csv:3: unknown intent in label 'invoices'/);
    expect(existsSync(join(directory, 'never.csv'))).toBe(false);
    expect(runCli(['review', '--out', join(directory, 'never.csv')]).status).toBe(2);
  });
});
