import { describe, expect, it } from 'vitest';
import { closeSync, mkdirSync, openSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decisionLine, outcomeLine } from '../../src/learning/logger.js';
import { readEscalationLogs } from '../../src/learning/events.js';
import { loadModel } from '../../src/runtime/model.js';
import { DecisionIndex, loadEarlierDecisions, newDecisionId } from '../../src/serve/decision-index.js';
import { OutcomeLog } from '../../src/serve/outcome-log.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

const model = loadModel();
const vocabulary = { intents: new Set(model.manifest.intents), languages: new Set(model.manifest.languages) };
const decided = model.classify('Gdzie jest moja paczka?');
const decisionFor = (id: string) => decisionLine({ id, text: 'Gdzie jest moja paczka?', decision: decided }, vocabulary);

describe('OutcomeLog', () => {
  it('writes lines in the order they were queued, outcomes synced before they resolve, many outcomes sharing a sync', async () => {
    const directory = join(temporaryDirectory(), 'logs');
    let writes = 0;
    const log = OutcomeLog.create(directory, { onWritten: () => writes++ });
    expect(log.file).toMatch(/serve-.+-\d{8}T\d{6}Z-\d+\.jsonl$/);
    const ids = Array.from({ length: 100 }, () => newDecisionId());
    ids.forEach((id) => log.appendDecision(decisionFor(id)));
    await Promise.all(ids.map((id) => log.appendOutcome(outcomeLine({ id, outcome: 'accepted' }, vocabulary))));
    const lines = readFileSync(log.file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => `${line.type}:${line.id}`)).toEqual([...ids.map((id) => `decision:${id}`), ...ids.map((id) => `outcome:${id}`)]);
    expect(writes).toBeLessThan(10);
    await log.close();
    expect(() => log.appendDecision(decisionFor('late'))).toThrow(/is closed/);
    await expect(log.appendOutcome(outcomeLine({ id: 'late', outcome: 'accepted' }, vocabulary))).rejects.toThrow(/is closed/);
  });

  it('reports a failed write and starts the next one on a new line, so only the failed batch is lost', async () => {
    const directory = join(temporaryDirectory(), 'logs');
    const failures: number[] = [];
    const log = OutcomeLog.create(directory, { onWriteError: (_error, lost) => failures.push(lost) });
    log.appendDecision(decisionFor('before'));
    await log.flush();
    const internals = log as unknown as { descriptor: number };
    const working = internals.descriptor;
    internals.descriptor = openSync(log.file, 'r');
    log.appendDecision(decisionFor('lost'));
    await expect(log.appendOutcome(outcomeLine({ id: 'lost', outcome: 'accepted' }, vocabulary))).rejects.toThrow(/EBADF/);
    expect(failures).toEqual([2]);
    closeSync(internals.descriptor);
    internals.descriptor = working;
    log.appendDecision(decisionFor('after'));
    await log.appendOutcome(outcomeLine({ id: 'after', outcome: 'escalated' }, vocabulary));
    await log.close();
    expect(readFileSync(log.file, 'utf8').split('\n')[1]).toBe('');
    const { events, skipped } = readEscalationLogs([log.file], vocabulary.intents, vocabulary.languages);
    expect(skipped).toEqual([]);
    expect(events.map((event) => [event.id, event.outcome])).toEqual([
      ['before', 'no_feedback'],
      ['after', 'escalated'],
    ]);
  });
});

describe('DecisionIndex', () => {
  it('remembers decisions compactly, forgets the oldest beyond its limit, and keeps outcomes and labels', () => {
    const index = new DecisionIndex(3);
    index.remember('a', true, 'delivery_status');
    index.remember('b', false, null);
    index.remember('c', true, 'payment_retry');
    index.recordOutcome('a', 'escalated', 'complaint');
    expect(index.lookup('a')).toEqual({ answer: true, intent: 'delivery_status', outcome: 'escalated', label: 'complaint' });
    expect(index.lookup('b')).toEqual({ answer: false, intent: null, outcome: null });
    index.remember('d', true, 'delivery_status');
    expect(index.lookup('a')).toBeUndefined();
    expect(index.size).toBe(3);
    index.prepend([
      ['x', { answer: true, intent: 'other', outcome: 'accepted' }],
      ['y', { answer: true, intent: 'complaint', outcome: null }],
    ]);
    // Earlier runs' decisions are older than this run's: they go first.
    expect(index.lookup('x')).toBeUndefined();
    expect(index.lookup('y')).toBeUndefined();
    expect(['b', 'c', 'd'].every((id) => index.lookup(id))).toBe(true);
    expect(() => new DecisionIndex(0)).toThrow(RangeError);
    expect(newDecisionId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('loads earlier decisions newest file first up to its limit, joins their outcomes, skips its own file and unreadable lines', async () => {
    const directory = join(temporaryDirectory(), 'logs');
    mkdirSync(directory);
    const line = (value: object) => `${JSON.stringify(value)}\n`;
    const decisionLineOf = (id: string, answer = true) => line({ ...decisionFor(id), decision: { ...decisionFor(id).decision, answer } });
    const write = (name: string, content: string, minutesAgo: number) => {
      const file = join(directory, name);
      writeFileSync(file, content);
      const time = new Date(Date.now() - minutesAgo * 60_000);
      utimesSync(file, time, time);
      return file;
    };
    write('oldest.jsonl', decisionLineOf('o1') + decisionLineOf('o2'), 30);
    write('older.jsonl', decisionLineOf('m1') + line(outcomeLine({ id: 'o2', outcome: 'escalated', label: 'complaint' }, vocabulary)) + '{"v":2,"type":"dec', 20);
    write('newer.jsonl', decisionLineOf('n1', false) + line(outcomeLine({ id: 'm1', outcome: 'accepted' }, vocabulary)) + line(outcomeLine({ id: 'm1', outcome: 'escalated' }, vocabulary)) + '{"id":"v1-line","outcome":"accepted"}\n', 10);
    const own = write('own.jsonl', decisionLineOf('mine'), 0);

    const everything = new DecisionIndex(100);
    expect(await loadEarlierDecisions(everything, directory, own)).toEqual({ files: 3, decisions: 4, outcomes: 2, unreadableLines: 1 });
    expect(everything.lookup('o2')).toEqual({ answer: true, intent: 'delivery_status', outcome: 'escalated', label: 'complaint' });
    expect(everything.lookup('m1')).toMatchObject({ outcome: 'accepted' });
    expect(everything.lookup('n1')).toMatchObject({ answer: false, outcome: null });
    expect(everything.lookup('mine')).toBeUndefined();

    const recent = new DecisionIndex(2);
    const report = await loadEarlierDecisions(recent, directory, own);
    expect(report.files).toBe(2);
    expect(['n1', 'm1'].every((id) => recent.lookup(id))).toBe(true);
    expect(recent.lookup('o1')).toBeUndefined();
    expect(await loadEarlierDecisions(new DecisionIndex(5), join(directory, 'missing'))).toEqual({ files: 0, decisions: 0, outcomes: 0, unreadableLines: 0 });
  });
});
