import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { LogJoiner, readEscalationLogs, type EscalationEvent } from '../../src/learning/events.js';
import { decisionLine, EscalationLogger, LogEventError, outcomeLine } from '../../src/learning/logger.js';
import { buildReviewQueue } from '../../src/learning/review.js';
import { buildRetrainSet } from '../../src/learning/retrain-set.js';
import { intentLabels, languageClasses } from '../../src/data/taxonomy.js';
import { loadModel } from '../../src/runtime/model.js';
import { packageRoot } from '../../src/util/package-root.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

const intents = new Set(intentLabels());
const languages = new Set(languageClasses());
const vocabulary = { intents, languages };
const model = loadModel();

const decision = (id: string, text: string, answer: boolean, extra: Record<string, unknown> = {}) => ({
  v: 2,
  type: 'decision',
  id,
  timestamp: '2026-12-01T10:00:00.000Z',
  text,
  language: 'pl',
  modelVersion: 'm1',
  decision: { intent: 'delivery_status', confidence: 0.97, answer, reason: answer ? 'answerable' : 'low_confidence' },
  ...extra,
});
const outcome = (id: string, value: string, extra: Record<string, unknown> = {}) => ({ v: 2, type: 'outcome', id, timestamp: '2026-12-01T10:05:00.000Z', outcome: value, ...extra });
const v1 = (id: string, text: string, value: string) => ({ id, timestamp: '2026-11-30T10:00:00.000Z', text, language: 'cs', modelVersion: 'm0', decision: { intent: 'delivery_status', confidence: 0.95, answer: value !== 'not_shown', reason: value !== 'not_shown' ? 'answerable' : 'unfamiliar' }, outcome: value });

function writeLog(file: string, lines: unknown[], tail = ''): string {
  writeFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join('') + tail);
  return file;
}

/** LOG-FORMAT-V2: version-2 lines joined by id, read with version-1 lines, by the same reader. */
describe('the version-2 outcome log', () => {
  it('joins decisions and outcomes by id: outcome and label from the outcome line, not_shown, no_feedback; v1 lines as before', () => {
    const directory = temporaryDirectory();
    const file = writeLog(join(directory, 'serve.jsonl'), [
      v1('old-1', 'kdy dorazí balík?', 'escalated'),
      decision('d-escalated', 'Gdzie jest paczka?', true, { sellerId: 's-1' }),
      decision('d-abstained', 'a co z tym', false),
      decision('d-silent', 'Gdzie jest moja paczka?', true),
      decision('d-accepted', 'kiedy przyjdzie paczka', true),
      outcome('d-escalated', 'escalated', { label: 'complaint' }),
      outcome('d-accepted', 'accepted'),
      outcome('d-accepted', 'escalated'), // a second outcome for an id: the first counts
      v1('old-2', 'faktura prosím', 'not_shown'),
    ]);
    const { events, skipped, duplicateIds, outcomesWithoutDecision } = readEscalationLogs([file], intents, languages);
    expect(skipped).toEqual([]);
    expect(duplicateIds).toBe(1);
    expect(outcomesWithoutDecision).toBe(0);
    expect(events.map((event) => [event.id, event.outcome, event.label])).toEqual([
      ['old-1', 'escalated', undefined],
      ['d-escalated', 'escalated', 'complaint'],
      ['d-abstained', 'not_shown', undefined],
      ['d-silent', 'no_feedback', undefined],
      ['d-accepted', 'accepted', undefined],
      ['old-2', 'not_shown', undefined],
    ]);
    const joined: EscalationEvent = { id: 'd-escalated', timestamp: '2026-12-01T10:00:00.000Z', text: 'Gdzie jest paczka?', language: 'pl', modelVersion: 'm1', decision: { intent: 'delivery_status', confidence: 0.97, answer: true, reason: 'answerable' }, outcome: 'escalated', label: 'complaint', sellerId: 's-1' };
    expect(events[1]).toEqual(joined);
  });

  it('skips and counts an outcome whose decision is in no file read, and joins across files when both are read', () => {
    const directory = temporaryDirectory();
    const older = writeLog(join(directory, 'a.jsonl'), [decision('d-1', 'Gdzie jest moja paczka?', true)]);
    const newer = writeLog(join(directory, 'b.jsonl'), [decision('d-2', 'kdy dorazí balík', true), outcome('d-1', 'escalated'), outcome('d-9', 'accepted')]);
    const alone = readEscalationLogs([newer], intents, languages);
    expect(alone.outcomesWithoutDecision).toBe(2);
    expect(alone.skipped).toEqual([
      { file: newer, line: 2, problem: 'outcome without decision (no decision line with id "d-1" in the logs read)' },
      { file: newer, line: 3, problem: 'outcome without decision (no decision line with id "d-9" in the logs read)' },
    ]);
    expect(alone.events.map((event) => [event.id, event.outcome])).toEqual([['d-2', 'no_feedback']]);
    const both = readEscalationLogs([older, newer], intents, languages);
    expect(both.outcomesWithoutDecision).toBe(1);
    expect(both.events.map((event) => [event.id, event.outcome])).toEqual([
      ['d-1', 'escalated'],
      ['d-2', 'no_feedback'],
    ]);
  });

  it('skips and reports bad version-2 lines with file and line, and a torn last line', () => {
    const directory = temporaryDirectory();
    const file = writeLog(
      join(directory, 'bad.jsonl'),
      [
        decision('ok', 'Gdzie jest moja paczka?', true),
        { ...decision('v3', 'x y', true), v: 3 },
        { v: 2, type: 'click', id: 'c' },
        outcome('ok', 'not_shown'),
        outcome('ok', 'accepted', { label: 'delivery_statuss' }),
        { ...decision('bad-language', 'x y', true), language: 'de' },
        { ...decision('bad-text', '   ', true) },
      ],
      '{"v":2,"type":"outcome","id":"ok","timest',
    );
    const { events, skipped } = readEscalationLogs([file], intents, languages);
    expect(events.map((event) => [event.id, event.outcome])).toEqual([['ok', 'no_feedback']]);
    expect(skipped).toEqual([
      { file, line: 2, problem: 'unknown log format version 3 (this Allina reads 1 and 2)' },
      { file, line: 3, problem: 'unknown line type "click" (expected decision or outcome)' },
      { file, line: 4, problem: 'unknown outcome "not_shown" in an outcome line (expected accepted, escalated)' },
      { file, line: 5, problem: 'unknown intent in label "delivery_statuss"' },
      { file, line: 6, problem: 'unknown language "de"' },
      { file, line: 7, problem: "'text' must be a non-empty string" },
      { file, line: 8, problem: 'not valid JSON (truncated line?)' },
    ]);
  });

  it('the joiner can be fed line by line (what a streaming reader does)', () => {
    const joiner = new LogJoiner();
    joiner.add({ kind: 'decision', line: decision('a', 'Gdzie jest moja paczka?', true) as never }, 'f', 1);
    joiner.add({ kind: 'outcome', line: outcome('a', 'accepted') as never }, 'f', 2);
    expect(joiner.finish().events.map((event) => event.outcome)).toEqual(['accepted']);
  });

  it('every line kind is valid against schemas/escalation-event.schema.json, and wrong mixes are not', () => {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'escalation-event.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const file = join(temporaryDirectory(), 'v1.jsonl');
    const logger = new EscalationLogger(file);
    const decided = model.classify('Gdzie jest moja paczka?');
    logger.log({ text: 'Gdzie jest moja paczka?', decision: decided, outcome: 'accepted' });
    logger.close();
    const written = [JSON.parse(readFileSync(file, 'utf8')), decisionLine({ id: 'x', text: 'Gdzie jest moja paczka?', decision: decided, sellerId: 's' }, vocabulary), outcomeLine({ id: 'x', outcome: 'escalated', label: 'complaint' }, vocabulary)];
    for (const line of written) expect(validate(line), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(outcome('x', 'not_shown'))).toBe(false);
    expect(validate({ ...decision('x', 'text', true), outcome: 'accepted' })).toBe(false);
    expect(validate({ ...v1('x', 'text', 'no_feedback') })).toBe(false);
  });

  it('the line builders refuse what readers would reject', () => {
    const decided = model.classify('Gdzie jest moja paczka?');
    expect(() => decisionLine({ id: 'x', text: '  ', decision: decided }, vocabulary)).toThrow(LogEventError);
    expect(() => decisionLine({ id: 'x', text: 'hello', decision: model.classify('   ') }, vocabulary)).toThrow(/unknown language null/);
    expect(decisionLine({ id: 'x', text: '!!!', decision: model.classify('   '), language: 'pl' }, vocabulary).language).toBe('pl');
    expect(() => outcomeLine({ id: 'x', outcome: 'not_shown' as never }, vocabulary)).toThrow(/unknown outcome "not_shown"/);
    expect(() => outcomeLine({ id: 'x', outcome: 'accepted', label: 'nope' }, vocabulary)).toThrow(/unknown intent in label "nope"/);
  });

  it('review and retrain treat no_feedback like accepted: not queued for review, a weak positive for retraining', () => {
    const directory = temporaryDirectory();
    const file = writeLog(join(directory, 'log.jsonl'), [
      decision('silent', 'Gdzie jest moja przesyłka z zamówienia?', true, { decision: { intent: 'delivery_status', confidence: 0.97, answer: true, reason: 'answerable' } }),
      decision('abstained', 'a co z tym zamowieniem teraz', false),
      decision('escalated', 'przesyłka nie doszła do mnie', true),
      outcome('escalated', 'escalated'),
    ]);
    const { events } = readEscalationLogs([file], intents, languages);
    const queue = buildReviewQueue(model, events);
    expect(queue.map((item) => item.text).sort()).toEqual(['a co z tym zamowieniem teraz', 'przesyłka nie doszła do mnie']);
    const set = buildRetrainSet({ events, reviewed: [], baseExamples: [], testExamples: [] });
    expect(set.extraExamples.map((example) => example.text)).toEqual(['Gdzie jest moja przesyłka z zamówienia?']);
    expect(set.counts.weakQuestions).toBe(1);
  });
});
