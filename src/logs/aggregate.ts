import { isUtf8 } from 'node:buffer';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SkippedLine } from '../learning/events.js';
import { AllinaError, DataError } from '../util/errors.js';
import { recoverInterruptedWrites, temporarySibling } from '../util/atomic-write.js';
import { sqlList, sqlString } from './engine.js';
import { NOT_JSON, parseLogLine, READ_WITH_PREVIOUS, readsIntoNextLine } from './log-line.js';
import { MAX_LINE_BYTES, scanLines } from './line-reader.js';
import { bracedAsObject, hasSurrogateEscape, isJsonBlank, plainIdOf } from './line-bytes.js';
import { forEachLogLine } from './read-logs.js';
import { AGGREGATE_SELECT_SQL, CELL_COLLISIONS_SQL, CELL_COLUMNS, cellsSql, COUNTS_SQL, FILES_SQL, scanSql, type LogVocabulary } from './sql.js';

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

const ID_FIELD = /"id"\s*:\s*"((?:[^"\\]|\\.)*)"/;

/** The string `id` of a line, read without parsing the whole line; undefined when it has none. */
function lineId(text: string): string | undefined {
  const match = ID_FIELD.exec(text);
  if (!match) return undefined;
  if (!match[1].includes('\\')) return match[1];
  try {
    return JSON.parse(`"${match[1]}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * Finds a file's bad lines again, knowing how many the engine counted and the ids of those
 * that had one: one pass over the bytes, and only suspicious lines are parsed — not UTF-8, not
 * shaped like an object, without a string id, or with one of the bad ids. If the lines found do
 * not add up to the engine's count, the file is checked line by line instead, so a reported line
 * number is never wrong.
 */
async function locateBadLines(file: string, expected: number, badIds: Map<string, number>, vocabulary: LogVocabulary, limit: number): Promise<SkippedLine[]> {
  const remaining = new Map(badIds);
  const found: SkippedLine[] = [];
  let count = 0;
  let takenByPrevious = false;
  const record = (line: number, problem: string) => {
    count++;
    if (found.length < limit) found.push({ file, line, problem });
  };
  /** Records the line as bad if the checker finds a problem, or if the engine said so (`known`). */
  const describe = (text: string, line: number, known: boolean) => {
    const problem = parseLogLine(text, vocabulary.intents, vocabulary.languages).problem;
    if (!problem && !known) return;
    record(line, problem ?? 'rejected by the log checks (a timestamp that is not ISO 8601?)');
    takenByPrevious = problem === NOT_JSON && readsIntoNextLine(text);
  };
  await scanLines(
    file,
    (bytes, line) => {
      if (isJsonBlank(bytes)) return;
      if (!isUtf8(bytes)) {
        takenByPrevious = false;
        return record(line, 'not valid UTF-8');
      }
      if (takenByPrevious) {
        takenByPrevious = false;
        return record(line, READ_WITH_PREVIOUS);
      }
      // Good lines are answered from their bytes; a line is decoded only when the bytes cannot tell.
      let text: string | undefined;
      const textOf = () => (text ??= bytes.toString('utf8'));
      if (!bracedAsObject(bytes)) {
        const trimmed = textOf().trim();
        if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return describe(textOf(), line, true);
      }
      const id = plainIdOf(bytes) ?? lineId(textOf());
      if (id === undefined) return describe(textOf(), line, true);
      const left = remaining.get(id);
      if (left) {
        remaining.set(id, left - 1);
        describe(textOf(), line, true);
      } else if (hasSurrogateEscape(bytes)) describe(textOf(), line, false);
    },
    {
      onOverlong: (line) => record(line, `longer than ${MAX_LINE_BYTES} bytes`),
    },
  );
  if (count === expected) return found;
  if (process.env.ALLINA_DEBUG) process.stderr.write(`locate fallback ${file}: found ${count}, engine ${expected}\n`);
  const checked: SkippedLine[] = [];
  await forEachLogLine([file], vocabulary, () => {}, (skipped) => {
    if (checked.length < limit) checked.push(skipped);
  });
  return checked;
}

/**
 * Reads JSON Lines outcome logs (v1 lines and v2 decision/outcome lines, mixed freely) into the
 * engine in one pass: every line is parsed and checked, v2 decisions are joined with their first
 * outcome line, repeated ids count once, and the events are counted into the `cells` table (by
 * exact text, language, model version, decision, outcome, label and day). Bad lines never stop
 * the job: they are skipped, counted and listed with file and line. DuckDB does the work out of
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
  for (const statement of scanSql(files, vocabulary)) await connection.run(statement);
  for (const statement of cellsSql(vocabulary)) await connection.run(statement);
  const [collisions] = await rows(connection, CELL_COLLISIONS_SQL);
  if (Number(collisions.collisions) > 0) throw new AllinaError('two different questions got the same 128-bit key; nothing was written (please report this)');
  await connection.run('DROP TABLE dims');
  const [counts] = await rows(connection, COUNTS_SQL);

  const perFile = new Map<string, { lines: number; bad: number; badIds: Map<string, number> }>();
  for (const row of await rows(connection, FILES_SQL)) {
    const file = String(row.file);
    const entry = perFile.get(file) ?? { lines: 0, bad: 0, badIds: new Map<string, number>() };
    entry.lines += Number(row.lines);
    entry.bad += Number(row.bad);
    if (row.bad_id !== null) entry.badIds.set(String(row.bad_id), Number(row.bad));
    perFile.set(file, entry);
  }
  await connection.run('DROP TABLE scan');
  const skipped: SkippedLine[] = [];
  let emptyFiles = 0;
  for (const file of files) {
    const entry = perFile.get(file);
    if (!entry) {
      skipped.push({ file, line: 0, problem: 'empty log file' });
      emptyFiles++;
    } else if (entry.bad > 0) skipped.push(...(await locateBadLines(file, entry.bad, entry.badIds, vocabulary, SKIPPED_LISTED_PER_FILE)));
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
  mkdirSync(dirname(out), { recursive: true });
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
    await connection.run(`COPY (${AGGREGATE_SELECT_SQL}) TO ${sqlString(temporary)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA ${kv})`);
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
    // Written elsewhere (e.g. by the README's Spark SQL): no tag, but the same columns.
    const foreign = metadata.format === undefined;
    if (!foreign && metadata.format !== AGGREGATE_FORMAT) throw new DataError(file, undefined, `unknown aggregate format '${metadata.format}' (expected ${AGGREGATE_FORMAT})`);
    for (const column of [...AGGREGATE_COLUMNS, ...CELL_COLUMNS]) if (!columns.has(column)) throw new DataError(file, undefined, `not an Allina log aggregate: no '${column}' column (write one with allina logs aggregate)`);
    if (foreign) {
      const [sum] = await rows(connection, `SELECT coalesce(sum(events), 0) AS events FROM read_parquet(${sqlString(file)})`);
      metadata = { events: String(sum.events), lines: '0', skipped_lines: '0', duplicate_ids: '0', outcomes_without_decision: '0', no_feedback: '0' };
    }
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
