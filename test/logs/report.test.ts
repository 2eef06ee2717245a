import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLogReport } from '../../src/report/logs-report.js';
import { renderLogReportHtml } from '../../src/report/logs-report-html.js';
import { loadModel } from '../../src/runtime/model.js';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

const { manifest } = loadModel();
const vocabulary = { intents: new Set(manifest.intents), languages: new Set(manifest.languages) };

const answered = (intent: string) => ({ intent, confidence: 0.97, answer: true, reason: 'answerable' });
const abstained = (intent: string, reason: string) => ({ intent, confidence: 0.9, answer: false, reason });
const v1 = (id: string, day: number, text: string, language: string, decision: object, outcome: string) => JSON.stringify({ id, timestamp: `2026-11-${day}T09:00:00Z`, text, language, modelVersion: 'm1', decision, outcome });
const v2 = (id: string, day: number, text: string, language: string, decision: object) => JSON.stringify({ v: 2, type: 'decision', id, timestamp: `2026-11-${day}T10:00:00Z`, text, language, modelVersion: 'm2', decision });
const outcome = (id: string, day: number, value: string) => JSON.stringify({ v: 2, type: 'outcome', id, timestamp: `2026-11-${day}T10:01:00Z`, outcome: value });

/** Nine questions over three days (two ISO weeks), hand-counted in the test below. */
function tinyLog(): string {
  const file = join(temporaryDirectory(), 'web1.jsonl');
  const lines = [
    v1('a', 23, 'gdzie jest paczka', 'pl', answered('delivery_status'), 'accepted'),
    v1('b', 23, 'gdzie paczka', 'pl', answered('delivery_status'), 'escalated'),
    v2('c', 23, 'kdy dorazí balík', 'cs', answered('delivery_status')),
    v2('d', 23, 'platba neprošla', 'cs', answered('payment_retry')),
    outcome('c', 23, 'accepted'),
    v1('e', 23, 'reklamacja', 'pl', abstained('complaint', 'unsupported_intent'), 'not_shown'),
    v1('a', 23, 'gdzie jest paczka', 'pl', answered('delivery_status'), 'accepted'), // a replay: counted once
    '{"id":"x","timestamp":"2026-11-23T11:00:00Z","te', // truncated: skipped
    v1('f', 24, 'Reklamacja!', 'pl', abstained('complaint', 'unsupported_intent'), 'not_shown'),
    v2('g', 24, 'hello', 'en', abstained('other', 'out_of_scope')),
    v1('h', 24, 'gdzie paczka', 'pl', answered('delivery_status'), 'escalated'),
    outcome('zz', 24, 'escalated'), // its decision is in another file: counted, not an error
    v1('i', 30, 'gdzie jest paczka', 'pl', answered('delivery_status'), 'accepted'),
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('allina report', () => {
  it('computes deflection, escalation after an answer and abstention as counted by hand', async () => {
    const { report, summary } = await buildLogReport([tinyLog()], vocabulary, { by: 'day', top: 5 });
    expect(summary).toMatchObject({ events: 9, duplicateIds: 1, outcomesWithoutDecision: 1, skippedLines: 1 });
    expect(report.totals).toEqual({ questions: 9, answered: 6, accepted: 3, noFeedback: 1, escalated: 2, abstained: 3, deflection: 4 / 9, escalationAfterAnswer: 2 / 6, abstention: 3 / 9 });
    expect(report.byPeriod).toEqual([
      { period: '2026-11-23', questions: 5, answered: 4, accepted: 2, noFeedback: 1, escalated: 1, abstained: 1, deflection: 3 / 5, escalationAfterAnswer: 1 / 4, abstention: 1 / 5 },
      { period: '2026-11-24', questions: 3, answered: 1, accepted: 0, noFeedback: 0, escalated: 1, abstained: 2, deflection: 0, escalationAfterAnswer: 1, abstention: 2 / 3 },
      { period: '2026-11-30', questions: 1, answered: 1, accepted: 1, noFeedback: 0, escalated: 0, abstained: 0, deflection: 1, escalationAfterAnswer: 0, abstention: 0 },
    ]);
    expect(report.bySegment.map((segment) => [segment.intent, segment.language, segment.modelVersion, segment.questions, segment.deflection, segment.escalationAfterAnswer, segment.abstention])).toEqual([
      ['delivery_status', 'pl', 'm1', 4, 0.5, 0.5, 0],
      ['complaint', 'pl', 'm1', 2, 0, null, 1],
      ['delivery_status', 'cs', 'm2', 1, 1, 0, 0],
      ['other', 'en', 'm2', 1, 0, null, 1],
      ['payment_retry', 'cs', 'm2', 1, 1, 0, 0],
    ]);
    expect(report.abstentionReasons).toEqual([{ reason: 'unsupported_intent', count: 2 }, { reason: 'out_of_scope', count: 1 }]);
    // "reklamacja" and "Reklamacja!" are one question after normalisation.
    expect(report.topAbstained).toEqual([
      { text: 'Reklamacja!', count: 2, language: 'pl', intent: 'complaint', reason: 'unsupported_intent' },
      { text: 'hello', count: 1, language: 'en', intent: 'other', reason: 'out_of_scope' },
    ]);
    expect(report.topEscalated).toEqual([{ text: 'gdzie paczka', count: 2, language: 'pl', intent: 'delivery_status' }]);
    expect([report.from, report.to]).toEqual(['2026-11-23T09:00:00Z', '2026-11-30T09:00:00Z']);

    const weekly = (await buildLogReport([tinyLog()], vocabulary, { by: 'week' })).report;
    expect(weekly.byPeriod.map((row) => [row.period, row.questions, row.deflection])).toEqual([['2026-11-23', 8, 3 / 8], ['2026-11-30', 1, 1]]);
  });

  it('writes one self-contained HTML file whose SVG charts carry the numbers', async () => {
    const { report } = await buildLogReport([tinyLog()], vocabulary);
    const html = await renderLogReportHtml(report);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\((?!#)/i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    const charts = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(charts.length).toBeGreaterThanOrEqual(4);
    const rates = charts.find((svg) => svg.includes('deflection, 2026-11-23'))!;
    expect(rates).toContain('deflection, 2026-11-23: 60.0%');
    expect(rates).toMatch(/<path[^>]+d="M/);
    expect(charts.some((svg) => svg.includes('complaint × pl (m1): 100.0% of 2'))).toBe(true);
    expect(charts.some((svg) => svg.includes('escalated after answer, 2026-11-24: 1'))).toBe(true);
    expect(html).toContain('44.4%'); // deflection tile: 4 of 9
    expect(html).toContain('Reklamacja!');
  });

  it('through the CLI: --json, --by week and --html; a bad option is a usage error', () => {
    const log = tinyLog();
    const html = join(temporaryDirectory(), 'out', 'report.html');
    const result = runCli(['report', '--logs', log, '--by', 'week', '--json', '--html', html]);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.totals.questions).toBe(9);
    expect(report.byPeriod).toHaveLength(2);
    expect(result.stderr).toContain(`allina: skipped ${log}:8: not valid JSON (truncated line?)`);
    expect(existsSync(html)).toBe(true);
    expect(readFileSync(html, 'utf8')).toContain('<svg');

    const text = runCli(['report', '--logs', log]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/deflection 44\.4%/);
    expect(text.stdout).toMatch(/2026-11-23\s+5\s+60\.0%/);

    expect(runCli(['report', '--logs', log, '--by', 'month']).status).toBe(2);
    expect(runCli(['report']).status).toBe(2);
  });
});
