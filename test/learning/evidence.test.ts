import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEscalationLogs, type EscalationEvent } from '../../src/learning/events.js';
import { appendEvents } from '../../src/learning/logger.js';
import { buildRetrainSet } from '../../src/learning/retrain-set.js';
import { readReviewedFiles } from '../../src/learning/review.js';
import { promoteModel, rollbackModel, currentVersion } from '../../src/learning/registry.js';
import type { LabelledExample } from '../../src/data/csv.js';
import { temporaryDirectory, writeCsv } from '../helpers/fixtures.js';
import { writeHandMadeModel } from '../helpers/hand-made-model.js';

const INTENTS = new Set(['delivery_status', 'payment_retry', 'invoice_request', 'other']);
const LANGUAGES = new Set(['pl', 'hu', 'en']);

function event(id: string, text: string, overrides: Partial<EscalationEvent> = {}, decision: Partial<EscalationEvent['decision']> = {}): EscalationEvent {
  return {
    id,
    timestamp: '2026-11-20T10:00:00.000Z',
    text,
    language: 'hu',
    modelVersion: 'm1',
    decision: { intent: 'delivery_status', confidence: 0.95, answer: true, reason: 'answerable', ...decision },
    outcome: 'accepted',
    ...overrides,
  };
}

const example = (text: string, intent: string, lang = 'hu'): LabelledExample => ({ text, lang, intent, file: 'x.csv', row: 2 });

describe('escalation logs', () => {
  it('skips and reports malformed lines with file and line number, and keeps every good event', () => {
    const directory = temporaryDirectory();
    const log = join(directory, 'a.jsonl');
    const good = [event('1', 'hol van a csomagom'), event('2', 'nem sikerült a fizetés', { outcome: 'not_shown' }, { answer: false, reason: 'low_confidence', confidence: 0.4 })];
    appendEvents(log, good);
    const badLines = [
      '{"id":"3","timestamp":"2026-11-20T10:00:00Z","text":"tru', // truncated by a crash
      JSON.stringify({ ...event('4', 'x'), decision: { intent: 'delivery_status', confidence: '0.9', answer: true, reason: 'answerable' } }), // wrong type
      JSON.stringify(event('5', 'számla kellene', { label: 'invoice_wanted' })), // unknown intent in label
      JSON.stringify(event('6', 'y', { outcome: 'maybe' as never })),
      '[]',
    ];
    writeFileSync(log, `${readFileSync(log, 'utf8')}${badLines.join('\n')}\n`);
    appendEvents(log, [event('7', 'köszönöm', {}, { intent: 'other', answer: false, reason: 'out_of_scope' }), event('1', 'hol van a csomagom')]);
    const empty = join(directory, 'empty.jsonl');
    writeFileSync(empty, '');

    const result = readEscalationLogs([log, empty], INTENTS, LANGUAGES);
    expect(result.events.map((item) => item.id)).toEqual(['1', '2', '7']);
    expect(result.duplicateIds).toBe(1);
    expect(result.skipped).toEqual([
      { file: log, line: 3, problem: 'not valid JSON (truncated line?)' },
      { file: log, line: 4, problem: "'decision.confidence' must be a number in [0, 1]" },
      { file: log, line: 5, problem: 'unknown intent in label "invoice_wanted"' },
      { file: log, line: 6, problem: 'unknown outcome "maybe" (expected accepted, escalated, not_shown)' },
      { file: log, line: 7, problem: 'not a JSON object' },
      { file: empty, line: 0, problem: 'empty log file' },
    ]);
  });

  it('reads reviewed CSVs, ignoring unlabelled rows and reporting unknown labels', () => {
    const directory = temporaryDirectory();
    const file = writeCsv(join(directory, 'review.csv'), ['text', 'lang', 'count', 'label'], [
      ['nem ment át a kártyás fizetés', 'hu', '3', 'payment_retry'],
      ['mikor jön a csomag', 'hu', '1', ''],
      ['számla?', 'hu', '1', 'invoice'],
    ]);
    const { reviewed, skipped } = readReviewedFiles([file], INTENTS, LANGUAGES);
    expect(reviewed.map((item) => item.intent)).toEqual(['payment_retry']);
    expect(skipped).toEqual([{ file, line: 4, problem: "unknown intent in label 'invoice'" }]);
  });
});

describe('the retraining set', () => {
  const reviewed = [
    { text: 'Nem sikerült a fizetés, hogyan fizethetek újra?', lang: 'hu', intent: 'payment_retry', file: 'r.csv', row: 2 },
    { text: 'nem sikerult a fizetes, hogyan fizethetek ujra', lang: 'hu', intent: 'payment_retry', file: 'r.csv', row: 3 },
    { text: 'Elutasították a kártyámat', lang: 'hu', intent: 'payment_retry', file: 'r.csv', row: 4 },
    { text: 'mikor érkezik a csomag', lang: 'hu', intent: 'delivery_status', file: 'r.csv', row: 5 },
  ];
  const events = [
    event('a', 'Hol tart a rendelésem?'),
    event('b', 'Hol tart a rendelésem?'),
    event('c', 'hol tart a csomag', {}, { confidence: 0.5 }), // below the floor
    event('d', 'Elküldtétek már?'),
    event('e', 'Elküldtétek már?', { outcome: 'escalated' }), // once escalated: never a positive
    event('f', 'Új fizetési link kell', { outcome: 'escalated' }, { intent: 'delivery_status' }),
  ];

  it('adds gold labels and confident accepted answers once each, never an escalated answer, and never a test question', () => {
    const set = buildRetrainSet({ events, reviewed, baseExamples: [example('Elutasították a kártyámat!', 'payment_retry')], testExamples: [example('Mikor érkezik a csomag?', 'delivery_status')] });
    const gold = set.extraExamples.filter((item) => item.weight === 1);
    const weak = set.extraExamples.filter((item) => item.weight === 0.5);
    expect([...gold, ...set.holdout].map((item) => item.text)).toEqual(['Nem sikerült a fizetés, hogyan fizethetek újra?']);
    expect(weak.map((item) => [item.text, item.intent])).toEqual([['Hol tart a rendelésem?', 'delivery_status']]);
    expect(set.counts).toMatchObject({ droppedTestDuplicates: 1, droppedCorpusDuplicates: 1, escalatedNotUsedAsPositive: 1 });
    expect(set.extraExamples.some((item) => item.text.startsWith('Új fizetési'))).toBe(false);
  });

  it('is deterministic and independent of log order, and holds out a stable share of reviews', () => {
    const many = Array.from({ length: 200 }, (_, index) => ({ text: `kérdés ${'abcdefghij'[index % 10]}${'klmnopqrst'[Math.floor(index / 10) % 10]} ${'uvwxyz'[Math.floor(index / 100)]}`, lang: 'hu', intent: 'other', file: 'r.csv', row: index + 2 }));
    const first = buildRetrainSet({ events, reviewed: many, baseExamples: [], testExamples: [] });
    const second = buildRetrainSet({ events: [...events].reverse(), reviewed: [...many].reverse(), baseExamples: [], testExamples: [] });
    expect(second).toEqual(first);
    expect(first.holdout.length).toBeGreaterThan(20);
    expect(first.holdout.length).toBeLessThan(60);
    const withMore = buildRetrainSet({ events, reviewed: [...many, ...reviewed], baseExamples: [], testExamples: [] });
    for (const item of first.holdout) expect(withMore.holdout).toContainEqual(item);
  });

  it('skips questions whose reviewers disagree', () => {
    const set = buildRetrainSet({ events: [], reviewed: [reviewed[3], { ...reviewed[3], intent: 'other' }], baseExamples: [], testExamples: [] });
    expect(set.extraExamples).toEqual([]);
    expect(set.counts.conflictingLabels).toBe(1);
  });
});

describe('the model store', () => {
  it('promotes by switching one pointer, keeps every version and rolls back', () => {
    const first = writeHandMadeModel({ variant: 1 });
    const second = writeHandMadeModel({ variant: 2 });
    const store = temporaryDirectory();
    const current = join(store, 'current');
    expect(currentVersion(current)).toBeNull();
    expect(promoteModel(first.directory, current)).toEqual({ version: first.manifest.modelVersion, previous: null });
    expect(promoteModel(second.directory, current)).toEqual({ version: second.manifest.modelVersion, previous: first.manifest.modelVersion });
    expect(readlinkSync(current)).toBe(`versions/${second.manifest.modelVersion}`);
    expect(() => promoteModel(second.directory, current)).toThrow(/already current/);
    expect(rollbackModel(current)).toEqual({ version: first.manifest.modelVersion, previous: second.manifest.modelVersion });
    expect(currentVersion(current)).toBe(first.manifest.modelVersion);
    const history = JSON.parse(readFileSync(join(store, 'history.json'), 'utf8'));
    expect(history.map((entry: { action: string }) => entry.action)).toEqual(['promote', 'promote', 'rollback']);
  });

  it('refuses to treat a plain model directory as a pointer', () => {
    const directory = temporaryDirectory();
    mkdirSync(join(directory, 'current'));
    expect(() => currentVersion(join(directory, 'current'))).toThrow(/not a version pointer/);
  });
});
