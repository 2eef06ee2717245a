import type { DuckDBConnection } from '@duckdb/node-api';
import type { EscalationEvent } from '../learning/events.js';
import type { DecisionReason } from '../runtime/decision.js';
import { expandPaths } from '../util/expand-paths.js';
import { loadAggregates, loadLogs, writeAggregate, type LogSummary } from './aggregate.js';
import { withEngine, type EngineOptions } from './engine.js';
import type { LogVocabulary } from './sql.js';

/**
 * One distinct combination of question text, language, model version, decision, outcome and
 * label, standing for `count` events. Review and retrain take these in place of single events,
 * so their work follows the number of distinct questions.
 */
export type CountedEvent = EscalationEvent & { count: number };

/** Where the log evidence comes from: raw logs, or aggregate files made from them. */
export interface EvidenceSource {
  /** JSON Lines logs, or directories of *.jsonl. */
  logPaths?: string[];
  /** Parquet aggregates written by `allina logs aggregate` (or writeAggregate). */
  aggregateFiles?: string[];
  engine?: EngineOptions;
}

/** Which cells a job needs; anything else never leaves the engine. */
export interface EvidenceFilter {
  /** Escalated, abstained or labelled questions (the review queue's input). */
  review?: boolean;
  /** Labelled, escalated, and answered-and-not-escalated at or above this confidence (retrain's input). */
  weakConfidenceFloor?: number;
}

/**
 * Reads logs or aggregates and returns the counted events a job needs, in first-seen order (then
 * by text), with the summary of what was read. `no_feedback` (answered, no click) is passed on
 * as `accepted`: no evidence of a wrong answer (docs: LOG-FORMAT-V2).
 *
 * @example
 * const { events, summary } = await readLogEvidence({ logPaths: ['logs/'] }, { intents, languages }, { review: true });
 * const queue = buildReviewQueue(model, events, { limit: 300 });
 */
export async function readLogEvidence(source: EvidenceSource, vocabulary: LogVocabulary, filter: EvidenceFilter): Promise<{ events: CountedEvent[]; summary: LogSummary }> {
  const logFiles = source.logPaths?.length ? expandPaths(source.logPaths, '.jsonl') : [];
  const aggregateFiles = source.aggregateFiles?.length ? expandPaths(source.aggregateFiles, '.parquet') : [];
  return withEngine(source.engine ?? {}, async (connection) => {
    const summary = await loadSource(connection, logFiles, aggregateFiles, vocabulary);
    return { events: await evidenceEvents(connection, filter), summary };
  });
}

/** Loads logs and/or aggregates into the `cells` table of one engine. */
export async function loadSource(connection: DuckDBConnection, logFiles: string[], aggregateFiles: string[], vocabulary: LogVocabulary): Promise<LogSummary> {
  if (aggregateFiles.length === 0) return loadLogs(connection, logFiles, vocabulary);
  if (logFiles.length === 0) return loadAggregates(connection, aggregateFiles);
  // Both: the logs' cells are added to the aggregates' (day is dropped, as aggregates have none).
  const logs = await loadLogs(connection, logFiles, vocabulary);
  await connection.run('ALTER TABLE cells RENAME TO log_cells');
  const aggregates = await loadAggregates(connection, aggregateFiles);
  await connection.run('INSERT INTO cells SELECT * REPLACE (NULL::DATE AS day) FROM log_cells');
  return {
    files: [...logs.files, ...aggregates.files],
    lines: logs.lines + aggregates.lines,
    events: logs.events + aggregates.events,
    skippedLines: logs.skippedLines + aggregates.skippedLines,
    skipped: logs.skipped,
    duplicateIds: logs.duplicateIds + aggregates.duplicateIds,
    outcomesWithoutDecision: logs.outcomesWithoutDecision + aggregates.outcomesWithoutDecision,
    noFeedback: logs.noFeedback + aggregates.noFeedback,
  };
}

/** Streams the needed cells out of the engine, summed over days, as counted events. */
export async function evidenceEvents(connection: DuckDBConnection, filter: EvidenceFilter): Promise<CountedEvent[]> {
  const conditions = ['label IS NOT NULL'];
  if (filter.review) conditions.push("outcome IN ('escalated', 'not_shown')");
  if (filter.weakConfidenceFloor !== undefined) {
    if (!(filter.weakConfidenceFloor >= 0 && filter.weakConfidenceFloor <= 1)) throw new RangeError(`weakConfidenceFloor must be in [0, 1], got ${filter.weakConfidenceFloor}`);
    conditions.push("outcome = 'escalated'", `(outcome IN ('accepted', 'no_feedback') AND answer AND intent IS NOT NULL AND confidence >= ${filter.weakConfidenceFloor})`);
  }
  const result = await connection.stream(`
SELECT text, language, model_version, intent, confidence, answer, reason, outcome, label,
  sum(events)::DOUBLE AS events, strftime(min(first_seen), '%Y-%m-%dT%H:%M:%S.%gZ') AS first_seen
FROM cells WHERE ${conditions.join(' OR ')}
GROUP BY text, language, model_version, intent, confidence, answer, reason, outcome, label
ORDER BY min(first_seen), text, language, model_version, intent, confidence, answer, reason, outcome, label`);
  const events: CountedEvent[] = [];
  for await (const chunk of result.yieldRowsJs()) {
    for (const [text, language, modelVersion, intent, confidence, answer, reason, outcome, label, count, firstSeen] of chunk) {
      events.push({
        id: '',
        timestamp: String(firstSeen),
        text: String(text),
        language: String(language),
        modelVersion: String(modelVersion),
        decision: { intent: intent === null ? null : String(intent), confidence: Number(confidence), answer: answer === true, reason: String(reason) as DecisionReason },
        outcome: outcome === 'no_feedback' ? 'accepted' : (String(outcome) as EscalationEvent['outcome']),
        ...(label === null ? {} : { label: String(label) }),
        count: Number(count),
      });
    }
  }
  return events;
}

/**
 * Writes the per-question aggregate of logs (and/or earlier aggregates) as one Parquet file that
 * review and retrain read with `aggregateFiles` (`--aggregates`). Replaced atomically.
 *
 * @example
 * const { questions, summary } = await aggregateLogs({ logPaths: ['logs/'] }, 'aggregates/week48.parquet', { intents, languages });
 */
export async function aggregateLogs(source: EvidenceSource, out: string, vocabulary: LogVocabulary): Promise<{ questions: number; summary: LogSummary }> {
  const logFiles = source.logPaths?.length ? expandPaths(source.logPaths, '.jsonl') : [];
  const aggregateFiles = source.aggregateFiles?.length ? expandPaths(source.aggregateFiles, '.parquet') : [];
  return withEngine(source.engine ?? {}, async (connection) => {
    const summary = await loadSource(connection, logFiles, aggregateFiles, vocabulary);
    return { summary, ...(await writeAggregate(connection, out, summary)) };
  });
}
