import { FEEDBACK_OUTCOMES, parseLogLine as parseLogValue, type DecisionLine, type EscalationEvent, type OutcomeLine } from '../learning/events.js';

/** The version 2 line types and their rules have one home, learning/events.ts; this file reads a line's text. */
export type { DecisionLine, OutcomeLine };

/**
 * The kinds of line an outcome log holds (docs/LOG-FORMAT.md): a version 1 event (decision and
 * outcome together, no `v` field), or a version 2 decision line and its later outcome line,
 * joined by `id`.
 */
export type LogLine =
  | { kind: 'v1'; event: EscalationEvent }
  | { kind: 'decision'; decision: DecisionLine }
  | { kind: 'outcome'; outcome: OutcomeLine };

/** The problem of a line that does not parse as JSON (usually cut short by a crash). */
export const NOT_JSON = 'not valid JSON (truncated line?)';

/** Outcomes an outcome line may carry (abstentions have none; silence becomes `no_feedback`). */
export const V2_OUTCOMES = FEEDBACK_OUTCOMES;

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether any string in a parsed line is not well-formed UTF-16 (JSON allows it; Unicode text does not). */
function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([key, item]) => LONE_SURROGATE.test(key) || hasLoneSurrogate(item));
  return false;
}

/**
 * Reads one log line (its text, already decoded): which kind it is, or why it is skipped. The
 * problems are worded like `readEscalationLogs`'s, so both readers report a bad line alike.
 *
 * @example
 * parseLogLine('{"v":2,"type":"outcome","id":"d-1","timestamp":"2026-11-20T10:00:05Z","outcome":"escalated"}', intents, languages);
 * // → { line: { kind: 'outcome', outcome: { … } } }
 */
export function parseLogLine(text: string, intents: ReadonlySet<string>, languages: ReadonlySet<string>): { line: LogLine; problem?: undefined } | { line?: undefined; problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: NOT_JSON };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: 'not a JSON object' };
  const value = parsed as Record<string, unknown>;
  if (SURROGATE_ESCAPE.test(text) && hasLoneSurrogate(value)) return { problem: 'a string holds a lone UTF-16 surrogate escape (not Unicode text)' };
  const parsedLine = parseLogValue(value, intents, languages);
  if ('problem' in parsedLine) return { problem: parsedLine.problem };
  if (parsedLine.kind === 'v1') return { line: parsedLine };
  return { line: parsedLine.kind === 'decision' ? { kind: 'decision', decision: parsedLine.line } : { kind: 'outcome', outcome: parsedLine.line } };
}

/**
 * Whether a line that is not valid JSON stopped where a value was expected (after `:`, `[`, or a
 * `,` inside an array). A JSON reader takes the line break after it as white space and reads on
 * into the next line, so that line is lost with it: both readers skip it too, saying why, and
 * so count the same events.
 */
export function readsIntoNextLine(text: string): boolean {
  const end = text.trimEnd();
  const last = end.at(-1);
  if (last === ':' || last === '[') return true;
  if (last !== ',') return false;
  const open: string[] = [];
  let inString = false;
  for (let index = 0; index < end.length; index++) {
    const character = end[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === '{' || character === '[') open.push(character);
    else if (character === '}' || character === ']') open.pop();
  }
  return open.at(-1) === '[';
}

/** The problem reported for the line a truncated line took with it. */
export const READ_WITH_PREVIOUS = 'read together with the truncated line before it (its line break counts as white space in JSON)';
