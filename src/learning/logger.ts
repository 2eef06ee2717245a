import { appendFileSync, mkdirSync, openSync, closeSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Decision } from '../runtime/model.js';
import { LOG_FORMAT_VERSION, validateDecisionLine, validateEvent, validateOutcomeLine, type DecisionLine, type EscalationEvent, type FeedbackOutcome, type OutcomeLine, type V1Outcome } from './events.js';
import { intentLabels, languageClasses, loadTaxonomy } from '../data/taxonomy.js';
import { AllinaError } from '../util/errors.js';

/** An event the logger refuses to write because its readers would reject it. */
export class LogEventError extends AllinaError {
  constructor(problem: string) {
    super(`escalation event not logged: ${problem}`, 1);
  }
}

/**
 * Appends version-1 escalation events (decision and outcome on one line) to a JSON Lines file, one `write` per event on a file opened with
 * O_APPEND, so a line is never interleaved with another line of the same process and a crash
 * loses at most the event being written (a truncated last line, which readers skip and report).
 *
 * One writer per file: run one logger per service instance, each with its own file (e.g.
 * `logs/escalations-${hostname}-${pid}.jsonl`), and give the review and retrain jobs the folder.
 *
 * @example
 * const logger = new EscalationLogger('logs/escalations-web1.jsonl');
 * const decision = model.classify(text);
 * logger.log({ text, decision, outcome: decision.answer ? 'accepted' : 'not_shown', sellerId: 's-17' });
 */
export class EscalationLogger {
  private readonly descriptor: number;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.descriptor = openSync(file, 'a');
  }

  /**
   * Records what happened to one question; returns the event as written. An event its readers
   * would reject (no decision, empty text, an unknown outcome or label) is not written: a
   * {@link LogEventError} says what is wrong, checked by the same validator the readers use.
   */
  log(entry: { text: string; decision: Decision; outcome: V1Outcome; id?: string; timestamp?: Date; label?: string; sellerId?: string; language?: string }): EscalationEvent {
    if (typeof entry !== 'object' || entry === null || typeof entry.decision !== 'object' || entry.decision === null) throw new LogEventError("'decision' must be the Decision that classify returned");
    const event: EscalationEvent = {
      id: entry.id ?? randomUUID(),
      timestamp: (entry.timestamp ?? new Date()).toISOString(),
      text: entry.text,
      language: entry.language ?? entry.decision.language ?? 'en',
      modelVersion: entry.decision.modelVersion,
      decision: { intent: entry.decision.intent, confidence: entry.decision.confidence, answer: entry.decision.answer, reason: entry.decision.reason },
      outcome: entry.outcome,
      ...(entry.label ? { label: entry.label } : {}),
      ...(entry.sellerId ? { sellerId: entry.sellerId } : {}),
    };
    const taxonomy = loadTaxonomy();
    const problem = validateEvent(event, new Set(intentLabels(taxonomy)), new Set(languageClasses(taxonomy)));
    if (problem) throw new LogEventError(problem);
    writeSync(this.descriptor, `${JSON.stringify(event)}\n`);
    return event;
  }

  close(): void {
    closeSync(this.descriptor);
  }
}

/** Appends already-built events (e.g. when replaying or generating logs) to a JSON Lines file. */
export function appendEvents(file: string, events: EscalationEvent[]): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
}

/** The intents and languages a log line may name (a model's, or the taxonomy's). */
export interface LogVocabulary {
  intents: ReadonlySet<string>;
  languages: ReadonlySet<string>;
}

/**
 * Builds the version-2 line recorded when a decision is made. Its language is `language` when
 * given (the caller knows it, as with {@link EscalationLogger}), else the one the model found; a
 * line its readers would reject (empty text, no language at all) is a {@link LogEventError}.
 *
 * @example
 * const line = decisionLine({ id: randomUUID(), text, decision: model.classify(text), sellerId: 's-17' }, vocabulary);
 * file.write(`${JSON.stringify(line)}\n`);
 */
export function decisionLine(entry: { id: string; text: string; decision: Decision; timestamp?: Date; language?: string; sellerId?: string }, vocabulary: LogVocabulary): DecisionLine {
  const { decision } = entry;
  const line: DecisionLine = {
    v: LOG_FORMAT_VERSION,
    type: 'decision',
    id: entry.id,
    timestamp: (entry.timestamp ?? new Date()).toISOString(),
    text: entry.text,
    language: (entry.language ?? decision.language) as string,
    modelVersion: decision.modelVersion,
    ...(entry.sellerId !== undefined ? { sellerId: entry.sellerId } : {}),
    decision: { intent: decision.intent, confidence: decision.confidence, answer: decision.answer, reason: decision.reason },
  };
  const problem = validateDecisionLine(line, vocabulary.intents, vocabulary.languages);
  if (problem) throw new LogEventError(problem);
  return line;
}

/**
 * Builds the version-2 line recorded when the buyer's reaction to an answer comes back
 * (`accepted` = "no thanks", `escalated` = "yes, send it to the seller").
 *
 * @example
 * outcomeLine({ id: decisionId, outcome: 'escalated', label: 'complaint' }, vocabulary)
 * // → { v: 2, type: 'outcome', id, timestamp: '…', outcome: 'escalated', label: 'complaint' }
 */
export function outcomeLine(entry: { id: string; outcome: FeedbackOutcome; label?: string; timestamp?: Date }, vocabulary: LogVocabulary): OutcomeLine {
  const line: OutcomeLine = {
    v: LOG_FORMAT_VERSION,
    type: 'outcome',
    id: entry.id,
    timestamp: (entry.timestamp ?? new Date()).toISOString(),
    outcome: entry.outcome,
    ...(entry.label !== undefined ? { label: entry.label } : {}),
  };
  const problem = validateOutcomeLine(line, vocabulary.intents);
  if (problem) throw new LogEventError(problem);
  return line;
}
