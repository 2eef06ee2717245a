import { readFileSync } from 'node:fs';
import { DataError } from '../util/errors.js';
import { DECISION_REASONS, type DecisionReason } from '../runtime/decision.js';

/**
 * The escalation log (schemas/escalation-event.schema.json, docs/LOG-FORMAT.md) is JSON Lines
 * in one of two versions, which may be mixed in one file:
 *
 * - version 1: one line per question, decision and outcome together (an {@link EscalationEvent});
 *   written by {@link EscalationLogger}.
 * - version 2: a `decision` line when the decision is made and an `outcome` line when the buyer's
 *   click comes back, joined by `id` (the decisionId `allina serve` returns).
 *
 * Readers join both into {@link EscalationEvent}s, so review and retrain see one shape.
 */

/** What happened to a question, as readers report it. */
export type EventOutcome = 'accepted' | 'escalated' | 'not_shown' | 'no_feedback';

/** One question and what happened to it: a version-1 line, or a joined version-2 decision. */
export interface EscalationEvent {
  id: string;
  timestamp: string;
  text: string;
  language: string;
  modelVersion: string;
  decision: { intent: string | null; confidence: number; answer: boolean; reason: DecisionReason };
  /**
   * accepted: answered, the buyer was satisfied; escalated: answered, the buyer still asked for
   * the seller; not_shown: the bot abstained; no_feedback (version 2 only): answered, and no
   * click came back — treated like accepted by review and retrain (no evidence of a wrong answer).
   */
  outcome: EventOutcome;
  label?: string;
  sellerId?: string;
}

/** Every outcome a joined event can carry. */
export const OUTCOMES = ['accepted', 'escalated', 'not_shown', 'no_feedback'] as const;
/** Outcomes a version-1 line may carry. */
export const V1_OUTCOMES = ['accepted', 'escalated', 'not_shown'] as const;
export type V1Outcome = (typeof V1_OUTCOMES)[number];
/** Outcomes a version-2 outcome line (the buyer's click) may carry. */
export const FEEDBACK_OUTCOMES = ['accepted', 'escalated'] as const;
export type FeedbackOutcome = (typeof FEEDBACK_OUTCOMES)[number];

/** The version written by `allina serve`. */
export const LOG_FORMAT_VERSION = 2;

/** Longest question a log line holds, in characters (code points): the schema's `text` maxLength. */
export const MAX_LOGGED_TEXT_LENGTH = 1000;

/** Version-2 line written when a decision is made. */
export interface DecisionLine {
  v: 2;
  type: 'decision';
  id: string;
  timestamp: string;
  text: string;
  language: string;
  modelVersion: string;
  sellerId?: string;
  decision: EscalationEvent['decision'];
}

/** Version-2 line written when the buyer's reaction to an answer comes back. */
export interface OutcomeLine {
  v: 2;
  type: 'outcome';
  id: string;
  timestamp: string;
  outcome: FeedbackOutcome;
  label?: string;
}

/**
 * The rule review and retrain share: an answer with no complaint counts as accepted.
 *
 * @example
 * answeredWithoutComplaint('no_feedback') // → true
 */
export function answeredWithoutComplaint(outcome: EventOutcome): boolean {
  return outcome === 'accepted' || outcome === 'no_feedback';
}

const REASONS: ReadonlySet<string> = new Set(DECISION_REASONS);

/** A log line that was skipped, with where it was and why. */
export interface SkippedLine {
  file: string;
  line: number;
  problem: string;
}

/** Problem with the fields a version-1 event and a version-2 decision line share, or undefined. */
function decisionProblem(event: Record<string, unknown>, intents: ReadonlySet<string>, languages: ReadonlySet<string>): string | undefined {
  for (const field of ['id', 'timestamp', 'text', 'modelVersion']) {
    if (typeof event[field] !== 'string' || (event[field] as string).trim() === '') return `'${field}' must be a non-empty string`;
  }
  if (Number.isNaN(Date.parse(event.timestamp as string))) return `'timestamp' is not a date: ${JSON.stringify(event.timestamp)}`;
  if (codePointLength(event.text as string) > MAX_LOGGED_TEXT_LENGTH) return `'text' is longer than ${MAX_LOGGED_TEXT_LENGTH} characters`;
  if (typeof event.language !== 'string' || !languages.has(event.language)) return `unknown language ${JSON.stringify(event.language)}`;
  const decision = event.decision as Record<string, unknown> | undefined;
  if (typeof decision !== 'object' || decision === null) return "'decision' must be an object";
  if (decision.intent !== null && (typeof decision.intent !== 'string' || !intents.has(decision.intent))) return `unknown decision intent ${JSON.stringify(decision.intent)}`;
  if (typeof decision.confidence !== 'number' || !(decision.confidence >= 0 && decision.confidence <= 1)) return "'decision.confidence' must be a number in [0, 1]";
  if (typeof decision.answer !== 'boolean') return "'decision.answer' must be true or false";
  if (typeof decision.reason !== 'string' || !REASONS.has(decision.reason)) return `unknown decision reason ${JSON.stringify(decision.reason)}`;
  if (event.sellerId !== undefined && typeof event.sellerId !== 'string') return "'sellerId' must be a string";
  return undefined;
}

function labelProblem(label: unknown, intents: ReadonlySet<string>): string | undefined {
  if (label !== undefined && label !== null && (typeof label !== 'string' || !intents.has(label))) return `unknown intent in label ${JSON.stringify(label)}`;
  return undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Validates one parsed version-1 line against the schema. Returns a problem description, or
 * undefined when the event is valid.
 */
export function validateEvent(value: unknown, intents: ReadonlySet<string>, languages: ReadonlySet<string>): string | undefined {
  const event = asObject(value);
  if (!event) return 'not a JSON object';
  const problem = decisionProblem(event, intents, languages);
  if (problem) return problem;
  if (!V1_OUTCOMES.includes(event.outcome as never)) return `unknown outcome ${JSON.stringify(event.outcome)} (expected ${V1_OUTCOMES.join(', ')})`;
  return labelProblem(event.label, intents);
}

/** Validates a parsed version-2 decision line; a problem description, or undefined. */
export function validateDecisionLine(value: unknown, intents: ReadonlySet<string>, languages: ReadonlySet<string>): string | undefined {
  const line = asObject(value);
  if (!line) return 'not a JSON object';
  if (line.v !== LOG_FORMAT_VERSION || line.type !== 'decision') return 'not a version-2 decision line';
  return decisionProblem(line, intents, languages);
}

/** Validates a parsed version-2 outcome line; a problem description, or undefined. */
export function validateOutcomeLine(value: unknown, intents: ReadonlySet<string>): string | undefined {
  const line = asObject(value);
  if (!line) return 'not a JSON object';
  if (line.v !== LOG_FORMAT_VERSION || line.type !== 'outcome') return 'not a version-2 outcome line';
  for (const field of ['id', 'timestamp']) {
    if (typeof line[field] !== 'string' || (line[field] as string).trim() === '') return `'${field}' must be a non-empty string`;
  }
  if (Number.isNaN(Date.parse(line.timestamp as string))) return `'timestamp' is not a date: ${JSON.stringify(line.timestamp)}`;
  if (!FEEDBACK_OUTCOMES.includes(line.outcome as never)) return `unknown outcome ${JSON.stringify(line.outcome)} in an outcome line (expected ${FEEDBACK_OUTCOMES.join(', ')})`;
  return labelProblem(line.label, intents);
}

/** One valid log line, by kind. */
export type ParsedLogLine = { kind: 'v1'; event: EscalationEvent } | { kind: 'decision'; line: DecisionLine } | { kind: 'outcome'; line: OutcomeLine };

/**
 * Recognises and validates one parsed JSON value of a log line of either version.
 *
 * @example
 * parseLogLine(JSON.parse(text), intents, languages) // → { kind: 'outcome', line } or { problem: '…' }
 */
export function parseLogLine(value: unknown, intents: ReadonlySet<string>, languages: ReadonlySet<string>): ParsedLogLine | { problem: string } {
  const object = asObject(value);
  if (!object) return { problem: 'not a JSON object' };
  if (object.v === undefined) {
    const problem = validateEvent(object, intents, languages);
    return problem ? { problem } : { kind: 'v1', event: object as unknown as EscalationEvent };
  }
  if (object.v !== LOG_FORMAT_VERSION) return { problem: `unknown log format version ${JSON.stringify(object.v)} (this Allina reads 1 and 2)` };
  if (object.type === 'decision') {
    const problem = validateDecisionLine(object, intents, languages);
    return problem ? { problem } : { kind: 'decision', line: object as unknown as DecisionLine };
  }
  if (object.type === 'outcome') {
    const problem = validateOutcomeLine(object, intents);
    return problem ? { problem } : { kind: 'outcome', line: object as unknown as OutcomeLine };
  }
  return { problem: `unknown line type ${JSON.stringify(object.type)} (expected decision or outcome)` };
}

/** What joining produced. */
export interface JoinedLogs {
  events: EscalationEvent[];
  skipped: SkippedLine[];
  /** Lines whose id was already seen (the first one is kept). */
  duplicateIds: number;
  /** Outcome lines whose decision line was in no file read: skipped, listed in `skipped` too. */
  outcomesWithoutDecision: number;
}

/**
 * Joins log lines of both versions, fed in file order, into events. Version-2 decisions are
 * completed by their first outcome line (later ones for the same id are duplicates); a
 * decision without one is `not_shown` (abstained) or `no_feedback` (answered).
 *
 * @example
 * const joiner = new LogJoiner();
 * joiner.add(parseLogLine(value, intents, languages), 'logs/a.jsonl', 1);
 * const { events, outcomesWithoutDecision } = joiner.finish();
 */
export class LogJoiner {
  private readonly events: EscalationEvent[] = [];
  private readonly skipped: SkippedLine[] = [];
  private readonly seenIds = new Set<string>();
  /** Version-2 decisions still waiting for their outcome, by id. */
  private readonly decisions = new Map<string, EscalationEvent>();
  private readonly outcomes = new Map<string, { line: OutcomeLine; file: string; number: number }>();
  private duplicateIds = 0;

  /** Adds one parsed line (or records why it was skipped). */
  add(parsed: ParsedLogLine | { problem: string }, file: string, lineNumber: number): void {
    if ('problem' in parsed) {
      this.skipped.push({ file, line: lineNumber, problem: parsed.problem });
      return;
    }
    if (parsed.kind === 'outcome') {
      if (this.outcomes.has(parsed.line.id)) this.duplicateIds++;
      else this.outcomes.set(parsed.line.id, { line: parsed.line, file, number: lineNumber });
      return;
    }
    const id = parsed.kind === 'v1' ? parsed.event.id : parsed.line.id;
    if (this.seenIds.has(id)) {
      this.duplicateIds++;
      return;
    }
    this.seenIds.add(id);
    if (parsed.kind === 'v1') {
      this.events.push(parsed.event);
      return;
    }
    const line = parsed.line;
    const decision = line.decision;
    const event: EscalationEvent = {
      id,
      timestamp: line.timestamp,
      text: line.text,
      language: line.language,
      modelVersion: line.modelVersion,
      decision: { intent: decision.intent, confidence: decision.confidence, answer: decision.answer, reason: decision.reason },
      outcome: decision.answer ? 'no_feedback' : 'not_shown',
      ...(line.sellerId !== undefined ? { sellerId: line.sellerId } : {}),
    };
    this.events.push(event);
    this.decisions.set(id, event);
  }

  /** The joined events, in the order their first line was read. */
  finish(): JoinedLogs {
    let outcomesWithoutDecision = 0;
    const orphans: SkippedLine[] = [];
    for (const [id, { line, file, number }] of this.outcomes) {
      const event = this.decisions.get(id);
      if (!event) {
        outcomesWithoutDecision++;
        orphans.push({ file, line: number, problem: `outcome without decision (no decision line with id ${JSON.stringify(id)} in the logs read)` });
        continue;
      }
      event.outcome = line.outcome;
      if (line.label) event.label = line.label;
    }
    return { events: this.events, skipped: [...this.skipped, ...orphans], duplicateIds: this.duplicateIds, outcomesWithoutDecision };
  }
}

/**
 * Splits a file's bytes into lines, decoding each strictly, so that invalid UTF-8 skips its own
 * line (reported like any bad line) instead of being silently replaced. null = not UTF-8.
 */
function decodeLines(bytes: Buffer): (string | null)[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const lines: (string | null)[] = [];
  let lineStart = 0;
  for (let index = 0; index <= bytes.length; index++) {
    if (index < bytes.length && bytes[index] !== 0x0a) continue;
    try {
      lines.push(decoder.decode(bytes.subarray(lineStart, index)));
    } catch {
      lines.push(null);
    }
    lineStart = index + 1;
  }
  return lines;
}

/**
 * Reads JSON Lines escalation logs of either version (both may be mixed) and joins them into
 * events. A malformed line never stops the job: it is skipped and reported with file and line
 * number. Events repeated with the same id are kept once. An outcome line whose decision is in
 * none of `files` is skipped, reported and counted in `outcomesWithoutDecision`.
 *
 * @example
 * const { events, skipped } = readEscalationLogs(['logs/escalations.jsonl'], intents, languages);
 */
export function readEscalationLogs(files: string[], intents: ReadonlySet<string>, languages: ReadonlySet<string>): JoinedLogs {
  const joiner = new LogJoiner();
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new DataError(file, undefined, `cannot read log (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (bytes.toString('latin1').trim() === '') {
      joiner.add({ problem: 'empty log file' }, file, 0);
      continue;
    }
    decodeLines(bytes).forEach((text, index) => {
      if (text === null) {
        joiner.add({ problem: 'not valid UTF-8' }, file, index + 1);
        return;
      }
      if (text.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        joiner.add({ problem: 'not valid JSON (truncated line?)' }, file, index + 1);
        return;
      }
      joiner.add(parseLogLine(parsed, intents, languages), file, index + 1);
    });
  }
  return joiner.finish();
}

function codePointLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index++, length++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
  }
  return length;
}
