import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLogs, writeAggregate } from '../../src/logs/aggregate.js';
import { withEngine } from '../../src/logs/engine.js';
import { readLogEvidence } from '../../src/logs/evidence.js';
import { readLogEvents } from '../../src/logs/read-logs.js';
import { readEscalationLogs, type EscalationEvent } from '../../src/learning/events.js';
import { buildReviewQueue } from '../../src/learning/review.js';
import { buildRetrainSet, RETRAIN_DEFAULTS } from '../../src/learning/retrain-set.js';
import type { LabelledExample } from '../../src/data/csv.js';
import { loadModel } from '../../src/runtime/model.js';
import { generateLogs } from '../../scripts/logs/generator.js';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory, writeCsv } from '../helpers/fixtures.js';

const model = loadModel();
const vocabulary = { intents: new Set(model.manifest.intents), languages: new Set(model.manifest.languages) };

async function aggregateTo(files: string[], out: string): Promise<void> {
  await withEngine({}, async (connection) => {
    const summary = await loadLogs(connection, files, vocabulary);
    await writeAggregate(connection, out, summary);
  });
}

/** The reference: every event in memory, answered-without-feedback treated as accepted, in first-seen order. */
async function referenceEvents(files: string[]): Promise<EscalationEvent[]> {
  const { events } = await readLogEvents(files, vocabulary);
  return events
    .map((event) => ({ ...event, outcome: event.outcome === 'no_feedback' ? 'accepted' : event.outcome }) as EscalationEvent)
    .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

describe('review and retrain from raw logs or from an aggregate', () => {
  it('give the same review queue and the same retraining set (hence the same candidate)', async () => {
    const directory = temporaryDirectory();
    const logs = await generateLogs({ outDir: join(directory, 'logs'), events: 6000, files: 2, distinct: 500, seed: 3, model });
    const aggregate = join(directory, 'week.parquet');
    await aggregateTo(logs.files, aggregate);

    const raw = await readLogEvidence({ logPaths: logs.files }, vocabulary, { review: true, weakConfidenceFloor: RETRAIN_DEFAULTS.weakConfidenceFloor });
    const fromAggregate = await readLogEvidence({ aggregateFiles: [aggregate] }, vocabulary, { review: true, weakConfidenceFloor: RETRAIN_DEFAULTS.weakConfidenceFloor });
    const reference = await referenceEvents(logs.files);
    expect(raw.events.length).toBeLessThan(reference.length / 3); // distinct rows, not events
    expect(fromAggregate.summary).toMatchObject({ events: raw.summary.events, duplicateIds: raw.summary.duplicateIds, outcomesWithoutDecision: raw.summary.outcomesWithoutDecision });

    const queue = buildReviewQueue(model, raw.events, { limit: 200 });
    expect(queue.length).toBe(200);
    // With a limit, only questions that can still make the queue are classified: the same queue.
    expect(buildReviewQueue(model, raw.events).slice(0, 200)).toEqual(queue);
    expect(buildReviewQueue(model, fromAggregate.events, { limit: 200 })).toEqual(queue);
    expect(buildReviewQueue(model, reference, { limit: 200 })).toEqual(queue);

    const reviewed = queue.slice(-40).map((item, index) => ({ text: item.text, lang: item.language, intent: item.guesses[0].intent, file: 'review.csv', row: index + 2 }));
    const example = (text: string): LabelledExample => ({ text, lang: 'pl', intent: 'other', file: 'x.csv', row: 2 });
    const base = [example(queue[20].text)];
    const test = [example(queue[30].text)];
    const set = buildRetrainSet({ events: raw.events, reviewed, baseExamples: base, testExamples: test });
    expect(set.counts.weakQuestions).toBeGreaterThan(20);
    expect(set.counts.escalatedNotUsedAsPositive).toBeGreaterThan(0);
    expect(buildRetrainSet({ events: fromAggregate.events, reviewed, baseExamples: base, testExamples: test })).toEqual(set);
    expect(buildRetrainSet({ events: reference, reviewed, baseExamples: base, testExamples: test })).toEqual(set);
  });

  it('add up: an aggregate of one file plus the raw other file gives the queue of both files', async () => {
    const directory = temporaryDirectory();
    const logs = await generateLogs({ outDir: join(directory, 'logs'), events: 3000, files: 2, distinct: 300, seed: 9, model });
    const first = join(directory, 'first.parquet');
    await aggregateTo([logs.files[0]], first);
    const both = await readLogEvidence({ logPaths: logs.files }, vocabulary, { review: true });
    const mixed = await readLogEvidence({ logPaths: [logs.files[1]], aggregateFiles: [first] }, vocabulary, { review: true });
    expect(mixed.summary.events).toBe(both.summary.events);
    expect(buildReviewQueue(model, mixed.events, { limit: 100 })).toEqual(buildReviewQueue(model, both.events, { limit: 100 }));
  });

  it('match the existing reader on version 1 logs', async () => {
    const directory = temporaryDirectory();
    const logs = await generateLogs({ outDir: join(directory, 'logs'), events: 3000, files: 1, distinct: 300, v2Share: 0, seed: 5, model });
    const legacy = readEscalationLogs(logs.files, vocabulary.intents, vocabulary.languages);
    const raw = await readLogEvidence({ logPaths: logs.files }, vocabulary, { review: true });
    expect(raw.summary.events).toBe(legacy.events.length);
    expect(raw.summary.duplicateIds).toBe(legacy.duplicateIds);
    expect(raw.summary.skipped).toEqual(legacy.skipped);
    expect(buildReviewQueue(model, raw.events)).toEqual(buildReviewQueue(model, legacy.events));
  });

  it('through the CLI: logs aggregate, then review --aggregates writes the same CSV as review --logs', () => {
    const directory = temporaryDirectory();
    const log = join(directory, 'logs', 'web1.jsonl');
    const decide = (text: string) => model.classify(text);
    const lines: string[] = [];
    const questions = ['gdzie jest moja paczka', 'Reklamacja, but się rozkleił', 'kdy dorazí balík?', 'számlát kérek a rendelésről', 'czy mogę zapłacić jeszcze raz?', 'hello???'];
    questions.forEach((text, index) => {
      const decision = decide(text);
      for (let repeat = 0; repeat <= index; repeat++) {
        const id = `q${index}-${repeat}`;
        const timestamp = new Date(Date.UTC(2026, 10, 23, index, repeat)).toISOString();
        const body = { text, language: decision.language ?? 'en', modelVersion: decision.modelVersion, decision: { intent: decision.intent, confidence: decision.confidence, answer: decision.answer, reason: decision.reason } };
        if (repeat % 2 === 0) lines.push(JSON.stringify({ id, timestamp, ...body, outcome: decision.answer ? 'escalated' : 'not_shown' }));
        else {
          lines.push(JSON.stringify({ v: 2, type: 'decision', id, timestamp, ...body }));
          if (decision.answer) lines.push(JSON.stringify({ v: 2, type: 'outcome', id, timestamp, outcome: 'escalated' }));
        }
      }
    });
    writeCsv(join(directory, 'corpus.csv'), ['text', 'lang', 'intent'], [['hello', 'en', 'other']]);
    mkdirSync(join(directory, 'logs'));
    writeFileSync(log, `${lines.join('\n')}\n{"truncated`);
    // A folder that does not exist yet is created, as for every other file Allina writes.
    const aggregate = join(directory, 'aggregates', '2026-w48', 'agg.parquet');
    const aggregated = runCli(['logs', 'aggregate', '--logs', join(directory, 'logs'), '--out', aggregate, '--json']);
    expect(aggregated.status, aggregated.stderr).toBe(0);
    expect(JSON.parse(aggregated.stdout)).toMatchObject({ questions: questions.length, events: 21, skipped: 1 });
    expect(aggregated.stderr).toContain(`allina: skipped ${log}:${lines.length + 1}: not valid JSON (truncated line?)`);

    const fromLogs = runCli(['review', '--logs', log, '--data', join(directory, 'corpus.csv'), '--out', join(directory, 'a.csv')]);
    const fromAggregate = runCli(['review', '--aggregates', aggregate, '--data', join(directory, 'corpus.csv'), '--out', join(directory, 'b.csv')]);
    expect(fromLogs.status, fromLogs.stderr).toBe(0);
    expect(fromAggregate.status, fromAggregate.stderr).toBe(0);
    const queue = readFileSync(join(directory, 'a.csv'), 'utf8');
    expect(queue.split('\n').length).toBeGreaterThan(4);
    expect(readFileSync(join(directory, 'b.csv'), 'utf8')).toBe(queue);
  });

  it('refuse a file that is not an aggregate, and a command line with neither logs nor aggregates', async () => {
    const directory = temporaryDirectory();
    const notParquet = join(directory, 'x.parquet');
    writeFileSync(notParquet, 'hello');
    const bad = runCli(['review', '--aggregates', notParquet, '--out', join(directory, 'r.csv')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/x\.parquet: not a Parquet file/);
    const otherParquet = join(directory, 'other.parquet');
    await withEngine({}, async (connection) => connection.run(`COPY (SELECT 1 AS text) TO '${otherParquet}' (FORMAT parquet)`));
    const other = runCli(['review', '--aggregates', otherParquet, '--out', join(directory, 'r.csv')]);
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/other\.parquet: not an Allina log aggregate: no 'events' column/);
    const neither = runCli(['review', '--out', join(directory, 'r.csv')]);
    expect(neither.status).toBe(2);
    expect(neither.stderr).toMatch(/give --logs/);
    const limit = runCli(['report', '--logs', notParquet, '--memory-limit', 'lots']);
    expect(limit.status).toBe(2);
  });
});
