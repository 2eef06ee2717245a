import { OUTCOMES } from '../learning/events.js';
import { DECISION_REASONS } from '../runtime/decision.js';
import { V2_OUTCOMES } from './log-line.js';
import { sqlList, sqlString } from './engine.js';

/**
 * The SQL that turns outcome logs into per-question counts, in DuckDB's dialect. Each statement
 * is one step; README.md shows the same steps for a cluster engine (Spark SQL).
 *
 *   log_rows   every non-blank line, parsed and checked (the rules of validateEvent / validateV2Line)
 *   dup_rows   extra copies of an id (the earliest by timestamp is kept)
 *   outcomes   the first outcome line of each decision id
 *   cells      events joined and counted by exact text × language × model version × decision
 *              × outcome × label × day (UTC), with first and last seen
 */

/** What the checks need to know: the model's intents and languages. */
export interface LogVocabulary {
  intents: ReadonlySet<string>;
  languages: ReadonlySet<string>;
}

/** Top-level fields read from each line, each kept as a JSON value so its type can be checked. */
const FIELDS = ['v', 'type', 'id', 'timestamp', 'text', 'language', 'modelVersion', 'decision', 'outcome', 'label', 'sellerId'] as const;
const DECISION_PATHS = ['$.intent', '$.confidence', '$.answer', '$.reason'] as const;
const str = (json: string) => `CASE WHEN json_type(${json}) = 'VARCHAR' THEN ${json} ->> '$' END`;
const num = (json: string) => `CASE WHEN json_type(${json}) IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN ${json}::DOUBLE END`;
/** Blank in the sense of JavaScript's String.prototype.trim (Unicode white space and line ends). */
const BLANK = String.raw`[\s\x{0B}\x{A0}\x{FEFF}\p{Zs}\x{2028}\x{2029}]*`;
const nonBlank = (column: string) => `(${column} IS NOT NULL AND NOT regexp_full_match(${column}, ${sqlString(BLANK)}))`;

/**
 * Reads every line of `files` with DuckDB's JSON reader (in file order, so a bad line's position
 * is known) and checks it by the rules of validateEvent (v1) and validateV2Line (v2). A line
 * that is not JSON, not UTF-8 or not an object comes out as a row of NULLs and fails the checks.
 * `position` is the line's index among the file's non-blank lines.
 */
export function logRowsSql(files: string[], vocabulary: LogVocabulary): string {
  const intents = sqlList(vocabulary.intents);
  const languages = sqlList(vocabulary.languages);
  const decisionOk = [
    `decision_is_object`,
    `(intent_is_null OR list_contains(${intents}, intent))`,
    `confidence BETWEEN 0 AND 1`,
    `answer IS NOT NULL`,
    `list_contains(${sqlList(DECISION_REASONS)}, reason)`,
  ].join(' AND ');
  const labelOk = `(no_label OR list_contains(${intents}, label))`;
  const sellerOk = 'seller_ok';
  const decisionFields = `${nonBlank('id')} AND ts IS NOT NULL AND ${nonBlank('text')} AND ${nonBlank('model_version')} AND list_contains(${languages}, language) AND ${decisionOk} AND ${sellerOk}`;
  const columns = `{${FIELDS.map((field) => `${field}: 'JSON'`).join(', ')}}`;
  return `
CREATE TABLE log_rows AS
WITH source AS (
  SELECT filename AS file, *,
    CASE WHEN json_type(decision) = 'OBJECT' THEN json_extract(decision, ${sqlList(DECISION_PATHS)}) END AS dx
  FROM read_json(${sqlList(files)}, format = 'newline_delimited', ignore_errors = true, filename = true, columns = ${columns})
), typed AS (
  SELECT file,
    CASE WHEN v IS NULL THEN 'v1'
         WHEN ${num('v')} = 2 AND ${str('"type"')} = 'decision' THEN 'decision'
         WHEN ${num('v')} = 2 AND ${str('"type"')} = 'outcome' THEN 'outcome'
    END AS kind,
    ${str('id')} AS id,
    ${str('timestamp')} AS timestamp_text,
    try_cast(${str('timestamp')} AS TIMESTAMPTZ) AS ts,
    ${str('text')} AS text,
    ${str('language')} AS language,
    ${str('modelVersion')} AS model_version,
    dx IS NOT NULL AS decision_is_object,
    json_type(dx[1]) = 'NULL' AS intent_is_null,
    ${str('dx[1]')} AS intent,
    ${num('dx[2]')} AS confidence,
    CASE WHEN json_type(dx[3]) = 'BOOLEAN' THEN dx[3]::BOOLEAN END AS answer,
    ${str('dx[4]')} AS reason,
    ${str('outcome')} AS outcome,
    label IS NULL AS no_label,
    ${str('label')} AS label,
    sellerId IS NULL OR json_type(sellerId) = 'VARCHAR' AS seller_ok
  FROM source
)
SELECT file, kind, id, ts, text, language, model_version, intent, confidence, answer, reason, outcome, label, ok,
  NOT ok AND timestamp_text IS NOT NULL AND ts IS NULL AS bad_timestamp
FROM (
  SELECT *, coalesce(CASE kind
      WHEN 'v1' THEN ${decisionFields} AND list_contains(${sqlList(OUTCOMES)}, outcome) AND ${labelOk}
      WHEN 'decision' THEN ${decisionFields}
      WHEN 'outcome' THEN ${nonBlank('id')} AND ts IS NOT NULL AND list_contains(${sqlList(V2_OUTCOMES)}, outcome) AND ${labelOk}
    END, false) AS ok
  FROM typed
)`;
}

/** Extra copies of a decision id, and outcomes per id; `hash` first so only real repeats are compared as text. */
export const JOIN_SQL = [
  `CREATE TABLE dup_rows AS
   SELECT rid FROM (
     SELECT rowid AS rid, row_number() OVER (PARTITION BY id ORDER BY ts, rowid) AS copy
     FROM log_rows
     WHERE ok AND kind <> 'outcome' AND hash(id) IN (
       SELECT h FROM (SELECT hash(id) AS h FROM log_rows WHERE ok AND kind <> 'outcome' GROUP BY h HAVING count(*) > 1))
   ) WHERE copy > 1`,
  `CREATE TABLE outcomes AS
   SELECT id, arg_min(struct_pack(outcome := outcome, label := label), ts) AS first, count(*) AS lines
   FROM log_rows WHERE ok AND kind = 'outcome' GROUP BY id`,
  `CREATE TABLE cells AS
   SELECT r.text, r.language, r.model_version, r.intent, r.confidence, r.answer, r.reason,
     CASE WHEN r.kind = 'v1' THEN r.outcome
          WHEN o.id IS NOT NULL THEN o.first.outcome
          WHEN r.answer THEN 'no_feedback'
          ELSE 'not_shown' END AS outcome,
     CASE WHEN r.kind = 'v1' THEN r.label ELSE o.first.label END AS label,
     CAST(timezone('UTC', r.ts) AS DATE) AS day,
     count(*) AS events, min(r.ts) AS first_seen, max(r.ts) AS last_seen
   FROM (SELECT rowid AS rid, * FROM log_rows WHERE ok AND kind <> 'outcome') r
   ANTI JOIN dup_rows d ON d.rid = r.rid
   LEFT JOIN outcomes o ON o.id = r.id
   GROUP BY ALL`,
];

/** Counts for the job's report: lines, events, duplicates, outcomes whose decision was not read. */
export const COUNTS_SQL = `
SELECT
  (SELECT count(*) FROM log_rows) AS lines,
  (SELECT count(*) FROM log_rows WHERE NOT ok) AS bad_lines,
  (SELECT coalesce(sum(events), 0) FROM cells) AS events,
  (SELECT count(*) FROM dup_rows) AS duplicate_ids,
  (SELECT coalesce(sum(lines), 0) FROM outcomes o WHERE NOT EXISTS (SELECT 1 FROM log_rows r WHERE r.ok AND r.kind = 'decision' AND r.id = o.id)) AS outcomes_without_decision,
  (SELECT coalesce(sum(events), 0) FROM cells WHERE outcome = 'no_feedback') AS no_feedback`;

/** Rows per file (one per non-blank line), to tell an empty file and check positions. */
export const LINES_PER_FILE_SQL = `SELECT file, count(*) AS lines FROM log_rows GROUP BY file`;

/** Bad lines by position among their file's non-blank lines (rowid follows file order). */
export const BAD_POSITIONS_SQL = `
SELECT file, position, bad_timestamp FROM (
  SELECT file, ok, bad_timestamp, rowid - min(rowid) OVER (PARTITION BY file) AS position FROM log_rows
) WHERE NOT ok ORDER BY file, position`;

/** The columns of a cell, without the day: what an aggregate file keeps per question. */
export const CELL_COLUMNS = ['language', 'model_version', 'intent', 'confidence', 'answer', 'reason', 'outcome', 'label'] as const;

/**
 * One row per exact question text: totals by outcome, first and last seen, and `breakdown`, the
 * list of its cells (language × model version × decision × outcome × label, with counts). What
 * `allina logs aggregate` writes and `review` / `retrain --aggregates` read.
 */
export const AGGREGATE_SELECT_SQL = `
SELECT text,
  sum(events)::BIGINT AS events,
  coalesce(sum(events) FILTER (WHERE answer), 0)::BIGINT AS answered,
  coalesce(sum(events) FILTER (WHERE outcome = 'accepted'), 0)::BIGINT AS accepted,
  coalesce(sum(events) FILTER (WHERE outcome = 'no_feedback'), 0)::BIGINT AS no_feedback,
  coalesce(sum(events) FILTER (WHERE outcome = 'escalated'), 0)::BIGINT AS escalated,
  coalesce(sum(events) FILTER (WHERE outcome = 'not_shown'), 0)::BIGINT AS not_shown,
  coalesce(sum(events) FILTER (WHERE label IS NOT NULL), 0)::BIGINT AS labelled,
  min(first_seen) AS first_seen,
  max(last_seen) AS last_seen,
  list(struct_pack(${CELL_COLUMNS.join(', ')}, events, first_seen, last_seen) ORDER BY first_seen, ${CELL_COLUMNS.join(', ')}) AS breakdown
FROM (
  SELECT text, ${CELL_COLUMNS.join(', ')}, sum(events)::BIGINT AS events, min(first_seen) AS first_seen, max(last_seen) AS last_seen
  FROM cells GROUP BY ALL
)
GROUP BY text`;
