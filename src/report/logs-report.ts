import type { DuckDBConnection } from '@duckdb/node-api';
import { duplicateKey } from '../data/near-duplicates.js';
import { loadLogs, type LogSummary } from '../logs/aggregate.js';
import { withEngine, type EngineOptions } from '../logs/engine.js';
import type { LogVocabulary } from '../logs/sql.js';
import { expandPaths } from '../util/expand-paths.js';

/** Question counts and the rates a seller-facing team watches. */
export interface DeflectionCounts {
  questions: number;
  /** The bot answered. */
  answered: number;
  /** Answered, and the buyer was satisfied. */
  accepted: number;
  /** Answered, and the buyer clicked nothing (v2 logs): counted as deflected, shown apart. */
  noFeedback: number;
  /** Answered, and the buyer still sent the question to the seller. */
  escalated: number;
  /** The bot abstained: the question went to the seller. */
  abstained: number;
  /** (accepted + noFeedback) / questions: questions the bot took off the seller's desk. */
  deflection: number | null;
  /** escalated / answered. */
  escalationAfterAnswer: number | null;
  /** abstained / questions. */
  abstention: number | null;
}

/** A question that came up often, grouped after normalisation (as review does). */
export interface TopQuestion {
  /** The most frequent wording. */
  text: string;
  count: number;
  language: string;
  intent: string;
  /** Why the bot abstained (abstained questions) — the most frequent reason. */
  reason?: string;
}

export interface LogReport {
  by: 'day' | 'week';
  source: Pick<LogSummary, 'files' | 'lines' | 'events' | 'skippedLines' | 'duplicateIds' | 'outcomesWithoutDecision'>;
  /** First and last question time (ISO, UTC). */
  from: string | null;
  to: string | null;
  totals: DeflectionCounts;
  /** One row per day or ISO week (Monday, UTC). */
  byPeriod: (DeflectionCounts & { period: string })[];
  /** One row per predicted intent × language × model version. */
  bySegment: (DeflectionCounts & { intent: string; language: string; modelVersion: string })[];
  abstentionReasons: { reason: string; count: number }[];
  topAbstained: TopQuestion[];
  topEscalated: TopQuestion[];
}

export interface LogReportOptions {
  by?: 'day' | 'week';
  /** How many top abstained and top escalated questions (default 20). */
  top?: number;
  engine?: EngineOptions;
}

/** How many of the most frequent exact wordings are grouped after normalisation for the top lists. */
export const TOP_WORDINGS = 5000;

/** Intent shown for a decision without one (empty input). */
export const NO_INTENT = '(none)';

const COUNT_COLUMNS = `
  sum(events)::DOUBLE AS questions,
  coalesce(sum(events) FILTER (WHERE answer), 0)::DOUBLE AS answered,
  coalesce(sum(events) FILTER (WHERE answer AND outcome = 'accepted'), 0)::DOUBLE AS accepted,
  coalesce(sum(events) FILTER (WHERE answer AND outcome = 'no_feedback'), 0)::DOUBLE AS no_feedback,
  coalesce(sum(events) FILTER (WHERE answer AND outcome = 'escalated'), 0)::DOUBLE AS escalated,
  coalesce(sum(events) FILTER (WHERE NOT answer), 0)::DOUBLE AS abstained`;

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function toCounts(row: Record<string, unknown>): DeflectionCounts {
  const [questions, answered, accepted, noFeedback, escalated, abstained] = ['questions', 'answered', 'accepted', 'no_feedback', 'escalated', 'abstained'].map((column) => Number(row[column] ?? 0));
  return { questions, answered, accepted, noFeedback, escalated, abstained, deflection: ratio(accepted + noFeedback, questions), escalationAfterAnswer: ratio(escalated, answered), abstention: ratio(abstained, questions) };
}

async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

function mostCommon(weights: Map<string, number>): string {
  return [...weights.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

/**
 * Top questions among the cells matching `where`, grouped after normalisation (duplicateKey,
 * like the review queue), among the {@link TOP_WORDINGS} most frequent exact wordings.
 */
async function topQuestions(connection: DuckDBConnection, where: string, top: number, withReason: boolean): Promise<TopQuestion[]> {
  // The most frequent wordings only: normalising every distinct text of a week of logs would cost
  // more than the rest of the report, and a top question is nearly always among its top wordings.
  const result = await connection.stream(`
    SELECT text, language, coalesce(intent, '${NO_INTENT}') AS intent, reason, sum(events)::DOUBLE AS n FROM cells
    WHERE ${where} AND text IN (SELECT text FROM cells WHERE ${where} GROUP BY text ORDER BY sum(events) DESC, text LIMIT ${TOP_WORDINGS})
    GROUP BY ALL`);
  const groups = new Map<string, { count: number; texts: Map<string, number>; languages: Map<string, number>; intents: Map<string, number>; reasons: Map<string, number> }>();
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  const keys = new Map<string, string>();
  for await (const chunk of result.yieldRowsJs()) {
    for (const [text, language, intent, reason, n] of chunk as [string, string, string, string, number][]) {
      let key = keys.get(text);
      if (key === undefined) {
        key = duplicateKey(text) || text;
        keys.set(text, key);
      }
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { count: 0, texts: new Map(), languages: new Map(), intents: new Map(), reasons: new Map() }));
      group.count += n;
      add(group.texts, text, n);
      add(group.languages, language, n);
      add(group.intents, intent, n);
      add(group.reasons, reason, n);
    }
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || (mostCommon(a.texts) < mostCommon(b.texts) ? -1 : 1))
    .slice(0, top)
    .map((group) => ({ text: mostCommon(group.texts), count: group.count, language: mostCommon(group.languages), intent: mostCommon(group.intents), ...(withReason ? { reason: mostCommon(group.reasons) } : {}) }));
}

/** Computes the report from the `cells` table of an engine that has loaded logs. */
export async function reportFromCells(connection: DuckDBConnection, summary: LogSummary, options: LogReportOptions = {}): Promise<LogReport> {
  const by = options.by ?? 'day';
  const top = options.top ?? 20;
  const period = by === 'day' ? 'day' : "date_trunc('week', day)::DATE";
  const [totals] = await rows(connection, `SELECT ${COUNT_COLUMNS}, strftime(min(first_seen), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(last_seen), '%Y-%m-%dT%H:%M:%SZ') AS last FROM cells`);
  const byPeriod = (await rows(connection, `SELECT strftime(${period}, '%Y-%m-%d') AS period, ${COUNT_COLUMNS} FROM cells GROUP BY 1 ORDER BY 1`)).map((row) => ({ period: String(row.period), ...toCounts(row) }));
  const bySegment = (await rows(connection, `SELECT coalesce(intent, '${NO_INTENT}') AS intent, language, model_version, ${COUNT_COLUMNS} FROM cells GROUP BY ALL ORDER BY questions DESC, intent, language, model_version`)).map((row) => ({
    intent: String(row.intent),
    language: String(row.language),
    modelVersion: String(row.model_version),
    ...toCounts(row),
  }));
  const abstentionReasons = (await rows(connection, `SELECT reason, sum(events)::DOUBLE AS n FROM cells WHERE NOT answer GROUP BY reason ORDER BY n DESC, reason`)).map((row) => ({ reason: String(row.reason), count: Number(row.n) }));
  return {
    by,
    source: { files: summary.files, lines: summary.lines, events: summary.events, skippedLines: summary.skippedLines, duplicateIds: summary.duplicateIds, outcomesWithoutDecision: summary.outcomesWithoutDecision },
    from: (totals.first as string | null) ?? null,
    to: (totals.last as string | null) ?? null,
    totals: toCounts(totals),
    byPeriod,
    bySegment,
    abstentionReasons,
    topAbstained: await topQuestions(connection, 'NOT answer', top, true),
    topEscalated: await topQuestions(connection, "answer AND outcome = 'escalated'", top, false),
  };
}

/**
 * The deflection report over outcome logs (v1 and v2 lines): deflection, escalation after an
 * answer and abstention, in total, per day or week, per intent × language × model version, and
 * the questions most often abstained on or escalated. Bad lines are skipped and listed in
 * `summary.skipped`.
 *
 * @example
 * const { report } = await buildLogReport(['logs/'], { intents, languages }, { by: 'week' });
 * console.log(`deflection ${(report.totals.deflection! * 100).toFixed(1)}%`);
 */
export async function buildLogReport(logPaths: string[], vocabulary: LogVocabulary, options: LogReportOptions = {}): Promise<{ report: LogReport; summary: LogSummary }> {
  const files = expandPaths(logPaths, '.jsonl');
  return withEngine(options.engine ?? {}, async (connection) => {
    const summary = await loadLogs(connection, files, vocabulary);
    return { report: await reportFromCells(connection, summary, options), summary };
  });
}
