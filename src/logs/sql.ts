import { FEEDBACK_OUTCOMES, MAX_LOGGED_TEXT_LENGTH, OUTCOMES } from '../learning/events.js';
import { DECISION_REASONS } from '../runtime/decision.js';
import { sqlList, sqlString } from './engine.js';

/**
 * The SQL that turns outcome logs into per-question counts, in DuckDB's dialect, in one pass
 * over the files. README.md shows the same steps for a cluster engine (Spark SQL).
 *
 *   lines   one read of every line, parsed and checked, hashed (id, cell) into a narrow table
 *   scan    the lines grouped three ways:
 *           per id (how many decision copies, the first one's cell and time, the first outcome
 *           line), per cell (its text and decision), and per file (lines, bad lines, bad ids)
 *   dims    the cells: exact text × language × model version × decision, keyed by a 128-bit hash
 *   cells   each id counted once under its first copy's cell, with its joined outcome and label,
 *           by day (UTC), with first and last seen
 */

/** What the checks need to know: the model's intents and languages. */
export interface LogVocabulary {
  intents: ReadonlySet<string>;
  languages: ReadonlySet<string>;
}

/**
 * Blank as JavaScript's String.prototype.trim sees it: ASCII white space, no-break and other
 * Unicode spaces, line and paragraph separators, BOM. Spelled out: a `\p{Zs}` class or trim()
 * with a character set costs several times more per row.
 */
const BLANK = String.raw`[\s\x{0B}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]*`;
const nonBlank = (column: string) => `(${column} IS NOT NULL AND NOT regexp_full_match(${column}, ${sqlString(BLANK)}))`;
const inList = (column: string, values: Iterable<string>) => `${column} IN (${[...values].map(sqlString).join(', ')})`;

/** Outcome codes in the per-id aggregates (× 100, plus the label's position among the intents). */
const OUTCOME_CODES = ['accepted', 'escalated', 'not_shown', 'no_feedback'] as const;
const outcomeCode = (column: string) => `CASE ${column} ${OUTCOME_CODES.map((outcome, index) => `WHEN '${outcome}' THEN ${index + 1}`).join(' ')} END`;

/**
 * The one read of the files: DuckDB's JSON reader parses each line once (strings are read leniently as
 * text; confidence, answer and the version are checked for their JSON type), the rules of
 * learning/events.ts's validators (v1 and v2) decide `ok`; three aggregations of the result
 * collect what the later steps need. A line that is not JSON, not UTF-8 or not an object comes out as a row
 * of NULLs and is counted as bad.
 */
export function scanSql(files: string[], vocabulary: LogVocabulary): string[] {
  const intents = [...vocabulary.intents];
  const decisionOk = `${nonBlank('id')} AND ts IS NOT NULL AND ${nonBlank('text')} AND length(text) <= ${MAX_LOGGED_TEXT_LENGTH} AND ${nonBlank('model_version')} AND ${inList('language', vocabulary.languages)}
        AND decision_is_object AND (intent IS NULL OR ${inList('intent', intents)}) AND confidence BETWEEN 0 AND 1 AND answer IS NOT NULL
        AND ${inList('reason', DECISION_REASONS)}`;
  const labelOk = `(label IS NULL OR ${inList('label', intents)})`;
  const columns = "{v: 'JSON', type: 'VARCHAR', id: 'VARCHAR', timestamp: 'VARCHAR', text: 'VARCHAR', language: 'VARCHAR', modelVersion: 'VARCHAR', decision: 'STRUCT(intent VARCHAR, confidence JSON, answer JSON, reason VARCHAR)', outcome: 'VARCHAR', label: 'VARCHAR'}";
  // Two steps, not one GROUP BY GROUPING SETS: DuckDB spills plain aggregates to disk, not grouping sets.
  // Each grouping computes only what later steps read; the rest of its columns are NULL.
  const perIdColumns = [
    'count(*) AS lines',
    'count(*) FILTER (WHERE NOT ok) AS bad',
    'count(*) FILTER (WHERE ok AND kind IN (1, 2)) AS decisions',
    'count(*) FILTER (WHERE ok AND kind = 3) AS outcome_lines',
    'arg_min(kind, ts) FILTER (WHERE ok AND kind IN (1, 2)) AS first_kind',
    'arg_min(cell, ts) FILTER (WHERE ok AND kind IN (1, 2)) AS first_cell',
    'min(ts) FILTER (WHERE ok AND kind IN (1, 2)) AS first_ts',
    'arg_min(code, ts) FILTER (WHERE ok AND kind = 1) AS v1_code',
    'arg_min(code, ts) FILTER (WHERE ok AND kind = 3) AS outcome_code',
  ];
  const perId = `\n  ${perIdColumns.join(',\n  ')}`;
  // The per-cell grouping reads none of them; the per-file one only the first two (lines, bad).
  const perCell = perIdColumns.map(() => 'NULL').join(', ');
  const perFile = perIdColumns.map((column, index) => (index < 2 ? column : 'NULL')).join(', ');
  return [
    `CREATE TABLE lines AS
WITH typed AS (
  SELECT filename AS file,
    CASE WHEN v IS NULL THEN 1
         WHEN try_cast(v AS DOUBLE) = 2 AND "type" = 'decision' THEN 2
         WHEN try_cast(v AS DOUBLE) = 2 AND "type" = 'outcome' THEN 3 END::UTINYINT AS kind,
    id, try_cast("timestamp" AS TIMESTAMPTZ) AS ts, text, language, modelVersion AS model_version,
    decision IS NOT NULL AS decision_is_object, decision.intent AS intent,
    CASE WHEN json_type(decision.confidence) IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN decision.confidence::DOUBLE END AS confidence,
    CASE decision.answer::VARCHAR WHEN 'true' THEN true WHEN 'false' THEN false END AS answer,
    decision.reason AS reason, outcome, label
  FROM read_json(${sqlList(files)}, format = 'newline_delimited', ignore_errors = true, filename = true, columns = ${columns})
), checked AS (
  SELECT *, coalesce(CASE kind
      WHEN 1 THEN ${decisionOk} AND ${inList('outcome', OUTCOMES)} AND ${labelOk}
      WHEN 2 THEN ${decisionOk}
      WHEN 3 THEN ${nonBlank('id')} AND ts IS NOT NULL AND ${inList('outcome', FEEDBACK_OUTCOMES)} AND ${labelOk}
    END, false) AS ok
  FROM typed
), keyed AS (
  SELECT file, ok, kind, ts,
    -- md5, not hash(): DuckDB's hash() gave two wordings that differ only in case the same value.
    CASE WHEN ok THEN md5_number(id) END AS h,
    CASE WHEN ok AND kind IN (1, 2) THEN md5_number(concat_ws(chr(0), text, language, model_version, coalesce(intent, chr(1)), confidence::VARCHAR, answer::VARCHAR, reason)) END AS cell,
    CASE WHEN NOT ok THEN id END AS bad_id,
    CASE WHEN ok AND kind IN (1, 2) THEN text END AS text, language, model_version, intent, confidence, answer, reason,
    ${outcomeCode('outcome')} * 100 + coalesce(list_position(${sqlList(intents)}, label), 0) AS code
  FROM checked
)
SELECT file, ok, kind, ts, h, cell, bad_id, code, text, language, model_version, intent, confidence, answer, reason FROM keyed`,
    `CREATE TABLE scan AS
SELECT ${PER_ID} AS grouping_set, h, NULL::UHUGEINT AS cell, NULL::VARCHAR AS text, NULL::VARCHAR AS language, NULL::VARCHAR AS model_version,
  NULL::VARCHAR AS intent, NULL::DOUBLE AS confidence, NULL::BOOLEAN AS answer, NULL::VARCHAR AS reason, NULL::VARCHAR AS file, NULL::VARCHAR AS bad_id,${perId}
FROM lines GROUP BY h
UNION ALL
SELECT ${PER_CELL}, NULL, cell, text, language, model_version, intent, confidence, answer, reason, NULL, NULL, ${perCell}
FROM lines WHERE cell IS NOT NULL GROUP BY cell, text, language, model_version, intent, confidence, answer, reason
UNION ALL
SELECT ${PER_FILE}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, file, bad_id, ${perFile}
FROM lines GROUP BY file, bad_id`,
    'DROP TABLE lines',
  ];
}

/** GROUPING(h, cell, file, bad_id) of each set: a set bit is a column not grouped on. */
export const PER_ID = 0b0111;
export const PER_CELL = 0b1011;
export const PER_FILE = 0b1100;

/** The cells (dims), and the events counted into them by day. */
export function cellsSql(vocabulary: LogVocabulary): string[] {
  const labels = sqlList([...vocabulary.intents]);
  const decodeOutcome = (code: string) => `CASE ${code} // 100 ${OUTCOME_CODES.map((outcome, index) => `WHEN ${index + 1} THEN '${outcome}'`).join(' ')} END`;
  const decodeLabel = (code: string) => `CASE WHEN ${code} % 100 > 0 THEN ${labels}[${code} % 100] END`;
  return [
    `CREATE TABLE dims AS SELECT cell, text, language, model_version, intent, confidence, answer, reason FROM scan WHERE grouping_set = ${PER_CELL} AND cell IS NOT NULL`,
    `CREATE TABLE cells AS
     WITH per_id AS (
       SELECT first_cell AS cell, first_ts,
         CASE WHEN first_kind = 1 THEN v1_code ELSE outcome_code END AS code
       FROM scan WHERE grouping_set = ${PER_ID} AND h IS NOT NULL AND decisions > 0
     ), counted AS (
       SELECT cell, code, CAST(timezone('UTC', first_ts) AS DATE) AS day, count(*) AS events, min(first_ts) AS first_seen, max(first_ts) AS last_seen
       FROM per_id GROUP BY ALL
     )
     SELECT d.text, d.language, d.model_version, d.intent, d.confidence, d.answer, d.reason,
       coalesce(${decodeOutcome('c.code')}, CASE WHEN d.answer THEN 'no_feedback' ELSE 'not_shown' END) AS outcome,
       ${decodeLabel('c.code')} AS label, c.day, c.events, c.first_seen, c.last_seen
     FROM counted c JOIN dims d USING (cell)`,
  ];
}

/** Two different cells with the same 128-bit key (never expected; checked so it could not go unnoticed). */
export const CELL_COLLISIONS_SQL = 'SELECT count(*) - count(DISTINCT cell) AS collisions FROM dims';

/** Counts for the job's report: lines, events, duplicates, outcomes whose decision was not read. */
export const COUNTS_SQL = `
SELECT
  (SELECT coalesce(sum(lines), 0) FROM scan WHERE grouping_set = ${PER_FILE}) AS lines,
  (SELECT coalesce(sum(bad), 0) FROM scan WHERE grouping_set = ${PER_FILE}) AS bad_lines,
  (SELECT coalesce(sum(events), 0) FROM cells) AS events,
  (SELECT coalesce(sum(decisions - 1), 0) FROM scan WHERE grouping_set = ${PER_ID} AND h IS NOT NULL AND decisions > 1) AS duplicate_ids,
  (SELECT coalesce(sum(outcome_lines), 0) FROM scan WHERE grouping_set = ${PER_ID} AND h IS NOT NULL AND outcome_lines > 0 AND (decisions = 0 OR first_kind = 1)) AS outcomes_without_decision,
  (SELECT coalesce(sum(events), 0) FROM cells WHERE outcome = 'no_feedback') AS no_feedback`;

/** Per file: lines (one per non-blank line), bad lines, and the ids of bad lines that had one. */
export const FILES_SQL = `SELECT file, bad_id, lines, bad FROM scan WHERE grouping_set = ${PER_FILE}`;

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
  -- Unordered: an ordered list() cannot spill to disk; readers sort what they need.
  list(struct_pack(${CELL_COLUMNS.join(', ')}, events, first_seen, last_seen)) AS breakdown
FROM (
  SELECT text, ${CELL_COLUMNS.join(', ')}, sum(events)::BIGINT AS events, min(first_seen) AS first_seen, max(last_seen) AS last_seen
  FROM cells GROUP BY ALL
)
GROUP BY text`;
