import { readFileSync } from 'node:fs';
import { DataError } from '../util/errors.js';
import { DECISION_REASONS, type DecisionReason } from '../runtime/decision.js';

/** One line of the escalation log; the format is schemas/escalation-event.schema.json. */
export interface EscalationEvent {
  id: string;
  timestamp: string;
  text: string;
  language: string;
  modelVersion: string;
  decision: { intent: string | null; confidence: number; answer: boolean; reason: DecisionReason };
  outcome: 'accepted' | 'escalated' | 'not_shown';
  label?: string;
  sellerId?: string;
}

export const OUTCOMES = ['accepted', 'escalated', 'not_shown'] as const;
const REASONS: ReadonlySet<string> = new Set(DECISION_REASONS);

/** A log line that was skipped, with where it was and why. */
export interface SkippedLine {
  file: string;
  line: number;
  problem: string;
}

/**
 * Validates one parsed log line against the schema. Returns a problem description, or
 * undefined when the event is valid.
 */
export function validateEvent(value: unknown, intents: ReadonlySet<string>, languages: ReadonlySet<string>): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const event = value as Record<string, unknown>;
  for (const field of ['id', 'timestamp', 'text', 'modelVersion']) {
    if (typeof event[field] !== 'string' || (event[field] as string).trim() === '') return `'${field}' must be a non-empty string`;
  }
  if (Number.isNaN(Date.parse(event.timestamp as string))) return `'timestamp' is not a date: ${JSON.stringify(event.timestamp)}`;
  if (typeof event.language !== 'string' || !languages.has(event.language)) return `unknown language ${JSON.stringify(event.language)}`;
  const decision = event.decision as Record<string, unknown> | undefined;
  if (typeof decision !== 'object' || decision === null) return "'decision' must be an object";
  if (decision.intent !== null && (typeof decision.intent !== 'string' || !intents.has(decision.intent))) return `unknown decision intent ${JSON.stringify(decision.intent)}`;
  if (typeof decision.confidence !== 'number' || !(decision.confidence >= 0 && decision.confidence <= 1)) return "'decision.confidence' must be a number in [0, 1]";
  if (typeof decision.answer !== 'boolean') return "'decision.answer' must be true or false";
  if (typeof decision.reason !== 'string' || !REASONS.has(decision.reason)) return `unknown decision reason ${JSON.stringify(decision.reason)}`;
  if (!OUTCOMES.includes(event.outcome as never)) return `unknown outcome ${JSON.stringify(event.outcome)} (expected ${OUTCOMES.join(', ')})`;
  if (event.label !== undefined && event.label !== null && (typeof event.label !== 'string' || !intents.has(event.label))) return `unknown intent in label ${JSON.stringify(event.label)}`;
  if (event.sellerId !== undefined && typeof event.sellerId !== 'string') return "'sellerId' must be a string";
  return undefined;
}

/**
 * Reads JSON Lines escalation logs. A malformed line never stops the job: it is skipped and
 * reported with file and line number. Events repeated with the same id are kept once.
 *
 * @example
 * const { events, skipped } = readEscalationLogs(['logs/escalations.jsonl'], intents, languages);
 */
export function readEscalationLogs(files: string[], intents: ReadonlySet<string>, languages: ReadonlySet<string>): { events: EscalationEvent[]; skipped: SkippedLine[]; duplicateIds: number } {
  const events: EscalationEvent[] = [];
  const skipped: SkippedLine[] = [];
  const seenIds = new Set<string>();
  let duplicateIds = 0;
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new DataError(file, undefined, `cannot read log (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (bytes.toString('latin1').trim() === '') {
      skipped.push({ file, line: 0, problem: 'empty log file' });
      continue;
    }
    // Decoded line by line and strictly, so that invalid UTF-8 skips its own line (reported like
    // any bad line) instead of being silently replaced.
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let lineStart = 0;
    const lines: (string | null)[] = [];
    for (let index = 0; index <= bytes.length; index++) {
      if (index < bytes.length && bytes[index] !== 0x0a) continue;
      try {
        lines.push(decoder.decode(bytes.subarray(lineStart, index)));
      } catch {
        lines.push(null);
      }
      lineStart = index + 1;
    }
    lines.forEach((text, index) => {
      if (text === null) {
        skipped.push({ file, line: index + 1, problem: 'not valid UTF-8' });
        return;
      }
      if (text.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        skipped.push({ file, line: index + 1, problem: 'not valid JSON (truncated line?)' });
        return;
      }
      const problem = validateEvent(parsed, intents, languages);
      if (problem) {
        skipped.push({ file, line: index + 1, problem });
        return;
      }
      const event = parsed as EscalationEvent;
      if (seenIds.has(event.id)) {
        duplicateIds++;
        return;
      }
      seenIds.add(event.id);
      events.push(event);
    });
  }
  return { events, skipped, duplicateIds };
}
