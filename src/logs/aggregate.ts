import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SkippedLine } from '../learning/events.js';
import { DataError } from '../util/errors.js';
import { recoverInterruptedWrites, temporarySibling } from '../util/atomic-write.js';
import { sqlList, sqlString } from './engine.js';
import { parseLogLine } from './log-line.js';
import { decodeLine, scanLines } from './line-reader.js';
import { forEachLogLine } from './read-logs.js';
import { AGGREGATE_SELECT_SQL, BAD_POSITIONS_SQL, CELL_COLUMNS, COUNTS_SQL, JOIN_SQL, LINES_PER_FILE_SQL, logRowsSql, type LogVocabulary } from './sql.js';

/** What reading the logs found, besides the counts themselves (which live in the `cells` table). */
export interface LogSummary {
  /** Log files read, or aggregate files loaded. */
  files: string[];
  /** Non-blank lines read. */
  lines: number;
  /** Questions (v1 events + v2 decisions, each id once). */
  events: number;
  /** Every skipped line, counted; `skipped` lists them (at most {@link SKIPPED_LISTED_PER_FILE} a file). */
  skippedLines: number;
  skipped: SkippedLine[];
  duplicateIds: number;
  /** Outcome lines whose decision line was not among the files read (counted, never an error). */
  outcomesWithoutDecision: number;
  /** Answered decisions with no outcome line (yet): answered, and the buyer clicked nothing. */
  noFeedback: number;
}

/** Bad lines listed (with file:line) per file; the rest are counted. */
export const SKIPPED_LISTED_PER_FILE = 1000;

async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** Blank for the JSON reader: nothing but spaces, tabs and carriage returns (it emits no row). */
function isJsonBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}

/** Why a line the engine rejected is bad, in the words of the line checker. */
function describeBadLine(bytes: Buffer, badTimestamp: boolean, vocabulary: LogVocabulary): string {
  const text = decodeLine(bytes);
  if (text === null) return 'not valid UTF-8';
  const problem = parseLogLine(text, vocabulary.intents, vocabulary.languages).problem;
  if (problem) return problem;
  if (badTimestamp) return "'timestamp' is not an ISO 8601 date and time";
  if (text.trim() === '') return 'blank line with white space JSON does not allow';
  return 'rejected by the log checks';
}

/**
 * Turns the bad rows' positions (index among a file's non-blank lines) into line numbers with
 * one pass over the file's bytes, and says what is wrong with each. If the file's non-blank
 * lines do not match the engine's row count (a reader disagreement), the file is checked line by
 * line instead, so a line number is never wrong.
 */
async function locateBadLines(file: string, bad: { position: number; badTimestamp: boolean }[], engineRows: number, vocabulary: LogVocabulary, limit: number): Promise<SkippedLine[]> {
  const wanted = new Map(bad.map((row) => [row.position, row.badTimestamp]));
  const found: SkippedLine[] = [];
  let position = 0;
  await scanLines(
    file,
    (bytes, line) => {
      if (isJsonBlank(bytes)) return;
      const badTimestamp = wanted.get(position++);
      if (badTimestamp !== undefined && found.length < limit) found.push({ file, line, problem: describeBadLine(bytes, badTimestamp, vocabulary) });
    },
    { onOverlong: () => position++ },
  );
  if (position === engineRows) return found;
  const checked: SkippedLine[] = [];
  await forEachLogLine([file], vocabulary, () => {}, (skipped) => {
    if (checked.length < limit) checked.push(skipped);
  });
  return checked;
}

/**
 * Reads JSON Lines outcome logs (v1 lines and v2 decision/outcome lines, mixed freely) into the
 * engine: every line is parsed and checked, v2 decisions are joined with their first outcome
 * line, repeated ids count once, and the events are counted into the `cells` table (by exact
 * text, language, model version, decision, outcome, label and day). Bad lines never stop the
 * job: they are skipped, counted and listed with file and line. DuckDB does the work out of
 * core, so memory follows the number of distinct questions, not the number of events.
 *
 * @example
 * await withEngine({}, async (db) => {
 *   const summary = await loadLogs(db, ['logs/a.jsonl'], { intents, languages });
 *   console.log(summary.events, summary.skipped);
 * });
 */
export async function loadLogs(connection: DuckDBConnection, files: string[], vocabulary: LogVocabulary): Promise<LogSummary> {
  for (const file of files) {
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      throw new DataError(file, undefined, 'cannot read log (no such file)');
    }
  }
  // In file order, so that a row's position among its file's rows leads back to its line.
  await connection.run('SET preserve_insertion_order = true');
  await connection.run(logRowsSql(files, vocabulary));
  await connection.run('SET preserve_insertion_order = false');
  for (const statement of JOIN_SQL) await connection.run(statement);
  const [counts] = await rows(connection, COUNTS_SQL);

  const rowsPerFile = new Map((await rows(connection, LINES_PER_FILE_SQL)).map((row) => [String(row.file), Number(row.lines)]));
  const badPerFile = new Map<string, { position: number; badTimestamp: boolean }[]>();
  for (const row of await rows(connection, BAD_POSITIONS_SQL)) {
    const file = String(row.file);
    if (!badPerFile.has(file)) badPerFile.set(file, []);
    badPerFile.get(file)!.push({ position: Number(row.position), badTimestamp: row.bad_timestamp === true });
  }
  const skipped: SkippedLine[] = [];
  let emptyFiles = 0;
  for (const file of files) {
    const bad = badPerFile.get(file);
    if (bad) skipped.push(...(await locateBadLines(file, bad, rowsPerFile.get(file) ?? 0, vocabulary, SKIPPED_LISTED_PER_FILE)));
    else if (!rowsPerFile.has(file) && !skipped.some((line) => line.file === file)) {
      skipped.push({ file, line: 0, problem: 'empty log file' });
      emptyFiles++;
    }
  }
  return {
    files,
    lines: Number(counts.lines),
    events: Number(counts.events),
    skippedLines: Number(counts.bad_lines) + emptyFiles,
    skipped,
    duplicateIds: Number(counts.duplicate_ids),
    outcomesWithoutDecision: Number(counts.outcomes_without_decision),
    noFeedback: Number(counts.no_feedback),
  };
}

/** Format tag written into an aggregate file's metadata and checked when it is read. */
export const AGGREGATE_FORMAT = 'allina-log-aggregate/1';

const AGGREGATE_COLUMNS = ['text', 'events', 'breakdown'];

/**
 * Writes the per-question aggregate (one row per exact text; see AGGREGATE_SELECT_SQL) of the
 * loaded logs as Parquet, atomically: `out` is the old file or the new one, never half of one.
 */
export async function writeAggregate(connection: DuckDBConnection, out: string, summary: LogSummary): Promise<{ questions: number }> {
  recoverInterruptedWrites(out);
  const temporary = temporarySibling(out);
  const metadata = {
    format: AGGREGATE_FORMAT,
    events: String(summary.events),
    lines: String(summary.lines),
    skipped_lines: String(summary.skippedLines),
    duplicate_ids: String(summary.duplicateIds),
    outcomes_without_decision: String(summary.outcomesWithoutDecision),
    no_feedback: String(summary.noFeedback),
  };
  const kv = `{${Object.entries(metadata).map(([key, value]) => `${key}: ${sqlString(value)}`).join(', ')}}`;
  try {
    await connection.run(`COPY (${AGGREGATE_SELECT_SQL} ORDER BY events DESC, text) TO ${sqlString(temporary)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA ${kv})`);
    renameSync(temporary, out);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  const [count] = await rows(connection, `SELECT count(*) AS questions FROM read_parquet(${sqlString(out)})`);
  return { questions: Number(count.questions) };
}

/**
 * Loads aggregate files written by {@link writeAggregate} (several are added up: e.g. one a day)
 * as the `cells` table, so review and retrain read them exactly as they read raw logs. A file
 * that is not such an aggregate is a DataError naming it.
 *
 * @example
 * await withEngine({}, async (db) => loadAggregates(db, ['agg/2026-11-23.parquet']));
 */
export async function loadAggregates(connection: DuckDBConnection, files: string[]): Promise<LogSummary> {
  let events = 0;
  let duplicateIds = 0;
  let outcomesWithoutDecision = 0;
  let noFeedback = 0;
  let lines = 0;
  let skippedLines = 0;
  for (const file of files) {
    if (!existsSync(file)) throw new DataError(file, undefined, 'no such file');
    let metadata: Record<string, string>;
    let columns: Set<string>;
    try {
      const kv = await rows(connection, `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${sqlString(file)})`);
      metadata = Object.fromEntries(kv.map((row) => [String(row.key), String(row.value)]));
      columns = new Set((await rows(connection, `SELECT name FROM parquet_schema(${sqlString(file)})`)).map((row) => String(row.name)));
    } catch (error) {
      throw new DataError(file, undefined, `not a Parquet file (${(error as Error).message.split('\n')[0]})`);
    }
    if (metadata.format !== AGGREGATE_FORMAT) throw new DataError(file, undefined, `not an Allina log aggregate (expected format ${AGGREGATE_FORMAT}; write one with allina logs aggregate)`);
    for (const column of [...AGGREGATE_COLUMNS, ...CELL_COLUMNS]) if (!columns.has(column)) throw new DataError(file, undefined, `aggregate has no '${column}' column`);
    events += Number(metadata.events);
    lines += Number(metadata.lines);
    skippedLines += Number(metadata.skipped_lines);
    duplicateIds += Number(metadata.duplicate_ids);
    outcomesWithoutDecision += Number(metadata.outcomes_without_decision);
    noFeedback += Number(metadata.no_feedback);
  }
  await connection.run(`
CREATE TABLE cells AS
SELECT text, cell.language, cell.model_version, cell.intent, cell.confidence, cell.answer, cell.reason, cell.outcome, cell.label,
  NULL::DATE AS day, cell.events, cell.first_seen, cell.last_seen
FROM (SELECT text, unnest(breakdown) AS cell FROM read_parquet(${sqlList(files)}))`);
  return { files, lines, events, skippedLines, skipped: [], duplicateIds, outcomesWithoutDecision, noFeedback };
}
