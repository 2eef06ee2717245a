import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLogs } from '../../src/logs/aggregate.js';
import { withEngine } from '../../src/logs/engine.js';
import { scanLines } from '../../src/logs/line-reader.js';
import { readLogEvents } from '../../src/logs/read-logs.js';
import { loadModel } from '../../src/runtime/model.js';
import { generateLogs } from '../../scripts/logs/generator.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

const model = loadModel();
const vocabulary = { intents: new Set(model.manifest.intents), languages: new Set(model.manifest.languages) };
const decision = { intent: 'delivery_status', confidence: 0.97, answer: true, reason: 'answerable' };
const abstained = { intent: 'complaint', confidence: 0.91, answer: false, reason: 'unsupported_intent' };

const v1 = (id: string, text: string, outcome: string, extra: Record<string, unknown> = {}) => JSON.stringify({ id, timestamp: '2026-11-23T10:00:00.000Z', text, language: 'pl', modelVersion: 'm1', decision, outcome, ...extra });
const v2decision = (id: string, text: string, at: string, decisionValue: Record<string, unknown> = decision) => JSON.stringify({ v: 2, type: 'decision', id, timestamp: at, text, language: 'pl', modelVersion: 'm2', decision: decisionValue });
const v2outcome = (id: string, outcome: string, at: string, label?: string) => JSON.stringify({ v: 2, type: 'outcome', id, timestamp: at, outcome, ...(label ? { label } : {}) });

/** Both readers over the same files: the engine (large logs) and the in-memory reference. */
async function readBoth(files: string[]) {
  const engine = await withEngine({}, async (connection) => {
    const summary = await loadLogs(connection, files, vocabulary);
    const cells = (await connection.runAndReadAll("SELECT text, outcome, coalesce(label, '') AS label, sum(events)::INTEGER AS n FROM cells GROUP BY ALL ORDER BY ALL")).getRowObjectsJS();
    return { summary, cells: cells.map((row) => `${row.text}|${row.outcome}|${row.label}|${row.n}`).sort() };
  });
  const reference = await readLogEvents(files, vocabulary);
  const counted = new Map<string, number>();
  for (const event of reference.events) {
    const key = `${event.text}|${event.outcome}|${event.label ?? ''}`;
    counted.set(key, (counted.get(key) ?? 0) + 1);
  }
  return { engine, reference, referenceCells: [...counted].map(([key, n]) => `${key}|${n}`).sort() };
}

describe('reading outcome logs (v1 and v2 lines)', () => {
  it('joins v2 decisions with their first outcome, keeps v1 events, counts repeats and orphans once', async () => {
    const directory = temporaryDirectory();
    const first = join(directory, 'web1.jsonl');
    const second = join(directory, 'web2.jsonl');
    writeFileSync(first, [
      v1('a', 'gdzie jest paczka', 'accepted'),
      v2decision('b', 'kiedy dotrze paczka', '2026-11-23T10:01:00Z'),
      v2decision('c', 'paczka nie doszła', '2026-11-23T10:02:00Z'),
      v2decision('d', 'reklamacja butów', '2026-11-23T10:03:00Z', abstained),
      v2outcome('b', 'escalated', '2026-11-23T10:05:00Z', 'delivery_status'),
      v2outcome('b', 'accepted', '2026-11-23T10:09:00Z'),
      v1('a', 'gdzie jest paczka', 'accepted'),
      '',
    ].join('\n'));
    // The second instance logged an outcome whose decision is in a file not passed.
    writeFileSync(second, `${v2outcome('zz', 'accepted', '2026-11-23T11:00:00Z')}\n${v1('e', 'reklamacja', 'not_shown', { decision: abstained })}`);

    const { engine, reference, referenceCells } = await readBoth([first, second]);
    expect(engine.cells).toEqual([
      'gdzie jest paczka|accepted||1',
      'kiedy dotrze paczka|escalated|delivery_status|1',
      'paczka nie doszła|no_feedback||1',
      'reklamacja butów|not_shown||1',
      'reklamacja|not_shown||1',
    ].sort());
    expect(referenceCells).toEqual(engine.cells);
    expect(engine.summary).toMatchObject({ events: 5, duplicateIds: 1, outcomesWithoutDecision: 1, noFeedback: 1, skippedLines: 0, skipped: [] });
    expect(reference).toMatchObject({ duplicateIds: 1, outcomesWithoutDecision: 1, skipped: [] });
  });

  it('skips and reports every kind of bad line with file and line, in both readers, in the same words', async () => {
    const directory = temporaryDirectory();
    const file = join(directory, 'bad.jsonl');
    const lines: (string | Buffer)[] = [
      v1('ok-1', 'gdzie jest paczka', 'accepted'),
      '{"id":"t","timestamp":"2026-11-23T10:00:00Z","text":"tru', // truncated by a crash
      Buffer.concat([Buffer.from('{"id":"u","timestamp":"2026-11-23T10:00:00Z","text":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
      v1('w', 'x', 'accepted', { decision: { ...decision, confidence: '0.9' } }),
      v1('l', 'faktura', 'escalated', { label: 'invoice_wanted' }),
      v1('o', 'y', 'maybe'),
      '[1,2,3]',
      '   ',
      v2decision('lang', 'z', '2026-11-23T10:00:00Z').replace('"pl"', '"de"'),
      v2outcome('oc', 'not_shown', '2026-11-23T10:00:00Z'),
      JSON.stringify({ v: 3, type: 'decision', id: 'v3' }),
      v1('s', 'x', 'accepted', { text: '\ud83d broken' }),
      v1('ok-2', 'kiedy paczka', 'escalated'),
    ];
    writeFileSync(file, Buffer.concat(lines.map((line) => Buffer.concat([Buffer.isBuffer(line) ? line : Buffer.from(line), Buffer.from('\n')]))));
    const empty = join(directory, 'empty.jsonl');
    writeFileSync(empty, '\n  \n');

    const { engine, reference } = await readBoth([file, empty]);
    const expected = [
      { file, line: 2, problem: 'not valid JSON (truncated line?)' },
      { file, line: 3, problem: 'not valid UTF-8' },
      { file, line: 4, problem: "'decision.confidence' must be a number in [0, 1]" },
      { file, line: 5, problem: 'unknown intent in label "invoice_wanted"' },
      { file, line: 6, problem: 'unknown outcome "maybe" (expected accepted, escalated, not_shown)' },
      { file, line: 7, problem: 'not a JSON object' },
      { file, line: 9, problem: 'unknown language "de"' },
      { file, line: 10, problem: 'unknown outcome "not_shown" in an outcome line (expected accepted, escalated)' },
      { file, line: 11, problem: 'unknown log format version 3 (this Allina reads 1 and 2)' },
      { file, line: 12, problem: 'a string holds a lone UTF-16 surrogate escape (not Unicode text)' },
      { file: empty, line: 0, problem: 'empty log file' },
    ];
    expect(reference.skipped).toEqual(expected);
    expect(engine.summary.skipped).toEqual(expected);
    expect(engine.summary).toMatchObject({ events: 2, skippedLines: expected.length, lines: 12 });
    expect(reference.events.map((event) => event.id)).toEqual(['ok-1', 'ok-2']);
  });

  it('skips and counts bad lines spread through a generated log without stopping, and both readers agree', async () => {
    const directory = temporaryDirectory();
    const generated = await generateLogs({ outDir: directory, events: 20_000, files: 3, distinct: 400, badLineRate: 0.004, seed: 7, model });
    expect(generated.badLines.length).toBeGreaterThan(40);
    // Spread through every file, from the first lines to the last.
    for (const file of generated.files) {
      const lines = generated.badLines.filter((bad) => bad.file === file).map((bad) => bad.line);
      expect(lines.length).toBeGreaterThan(5);
      expect(Math.max(...lines) - Math.min(...lines)).toBeGreaterThan(3000);
    }
    const { engine, reference, referenceCells } = await readBoth(generated.files);
    const where = (lines: { file: string; line: number }[]) => lines.map((line) => `${line.file}:${line.line}`).sort();
    expect(where(engine.summary.skipped)).toEqual(where(generated.badLines));
    expect(where(reference.skipped)).toEqual(where(generated.badLines));
    expect(engine.summary.skippedLines).toBe(generated.badLines.length);
    // Every question once: replayed lines (same id) are counted as repeats, not as events.
    expect(engine.summary.events).toBe(20_000);
    expect(generated.lines.v1 + generated.lines.decision).toBe(20_000);
    expect(engine.summary.duplicateIds).toBe(generated.lines.duplicate);
    expect(engine.summary.outcomesWithoutDecision).toBe(generated.lines.orphanOutcome);
    expect(engine.cells).toEqual(referenceCells);
  });

  it('reads a file line by line in bounded pieces and reports an overlong line instead of keeping it', async () => {
    const file = join(temporaryDirectory(), 'long.jsonl');
    writeFileSync(file, `short\n${'x'.repeat(5000)}\nlast line without newline`);
    const seen: [number, string][] = [];
    const overlong: number[] = [];
    const result = await scanLines(file, (bytes, line) => seen.push([line, bytes.toString()]), { maxLineBytes: 1000, onOverlong: (line) => overlong.push(line) });
    expect(seen).toEqual([[1, 'short'], [3, 'last line without newline']]);
    expect(overlong).toEqual([2]);
    expect(result.lines).toBe(3);
  });

  it('fails with one line naming a log that does not exist', async () => {
    await expect(withEngine({}, (connection) => loadLogs(connection, ['/nonexistent/log.jsonl'], vocabulary))).rejects.toThrow(/\/nonexistent\/log\.jsonl: cannot read log/);
  });
});
