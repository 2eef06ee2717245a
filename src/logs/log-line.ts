import { validateEvent, type DecisionLine, type EscalationEvent, type OutcomeLine } from '../learning/events.js';
import { DECISION_REASONS } from '../runtime/decision.js';

/** The version 2 line types have one home, next to the reader that joins them. */
export type { DecisionLine, OutcomeLine };

/**
 * The kinds of line an outcome log holds (docs: LOG-FORMAT-V2): a version 1 event (decision and
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
export const V2_OUTCOMES = ['accepted', 'escalated'] as const;
const REASONS: ReadonlySet<string> = new Set(DECISION_REASONS);

const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

function validateDecision(decision: Record<string, unknown> | undefined, intents: ReadonlySet<string>): string | undefined {
  if (typeof decision !== 'object' || decision === null || Array.isArray(decision)) return "'decision' must be an object";
  if (decision.intent !== null && (typeof decision.intent !== 'string' || !intents.has(decision.intent))) return `unknown decision intent ${JSON.stringify(decision.intent)}`;
  if (typeof decision.confidence !== 'number' || !(decision.confidence >= 0 && decision.confidence <= 1)) return "'decision.confidence' must be a number in [0, 1]";
  if (typeof decision.answer !== 'boolean') return "'decision.answer' must be true or false";
  if (typeof decision.reason !== 'string' || !REASONS.has(decision.reason)) return `unknown decision reason ${JSON.stringify(decision.reason)}`;
  return undefined;
}

/**
 * Validates a parsed version 2 line (decision or outcome). Returns a problem description, or
 * undefined when the line is valid. Version 1 lines are checked by `validateEvent`.
 */
export function validateV2Line(value: Record<string, unknown>, intents: ReadonlySet<string>, languages: ReadonlySet<string>): string | undefined {
  if (value.v !== 2) return `unknown log format version ${JSON.stringify(value.v)} (expected 2, or no "v" for version 1)`;
  for (const field of ['id', 'timestamp']) if (blank(value[field])) return `'${field}' must be a non-empty string`;
  if (Number.isNaN(Date.parse(value.timestamp as string))) return `'timestamp' is not a date: ${JSON.stringify(value.timestamp)}`;
  if (value.type === 'outcome') {
    if (!V2_OUTCOMES.includes(value.outcome as never)) return `unknown outcome ${JSON.stringify(value.outcome)} in an outcome line (expected ${V2_OUTCOMES.join(', ')})`;
    if (value.label !== undefined && value.label !== null && (typeof value.label !== 'string' || !intents.has(value.label))) return `unknown intent in label ${JSON.stringify(value.label)}`;
    return undefined;
  }
  if (value.type !== 'decision') return `unknown line type ${JSON.stringify(value.type)} (expected decision or outcome)`;
  for (const field of ['text', 'modelVersion']) if (blank(value[field])) return `'${field}' must be a non-empty string`;
  if (typeof value.language !== 'string' || !languages.has(value.language)) return `unknown language ${JSON.stringify(value.language)}`;
  if (value.sellerId !== undefined && typeof value.sellerId !== 'string') return "'sellerId' must be a string";
  return validateDecision(value.decision as Record<string, unknown> | undefined, intents);
}

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
  if (value.v === undefined) {
    const problem = validateEvent(value, intents, languages);
    return problem ? { problem } : { line: { kind: 'v1', event: value as unknown as EscalationEvent } };
  }
  const problem = validateV2Line(value, intents, languages);
  if (problem) return { problem };
  return value.type === 'outcome' ? { line: { kind: 'outcome', outcome: value as unknown as OutcomeLine } } : { line: { kind: 'decision', decision: value as unknown as DecisionLine } };
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
