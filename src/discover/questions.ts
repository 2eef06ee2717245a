import { readCsvTable } from '../data/csv.js';
import { restoreSpreadsheetText } from '../data/csv-write.js';
import type { EscalationEvent, SkippedLine } from '../learning/events.js';
import { DataError } from '../util/errors.js';
import { discoveryWords } from './features.js';

/** One distinct question to group: the same question asked again counts, it is not repeated. */
export interface DiscoveryQuestion {
  /** Normalised, folded words joined by spaces: questions with the same key are one question. */
  key: string;
  /** The question as first seen. */
  text: string;
  /** pl, cs, sk, hu, en, other; '' when unknown (the model then tells). */
  language: string;
  /** How often it was asked. */
  count: number;
  /** How often the bot answered and the buyer still escalated. */
  escalated: number;
  /** How often the bot did not answer (abstained). */
  abstained: number;
}

interface Occurrence {
  text: string;
  language: string;
  count: number;
  escalated: number;
  abstained: number;
}

/**
 * Groups occurrences into distinct questions by their normalised, folded words (the same rule
 * as the review queue's duplicate key); text and language are taken from the first occurrence.
 * Occurrences with no words at all (only punctuation) are left out.
 */
export function groupQuestions(occurrences: Iterable<Occurrence>): DiscoveryQuestion[] {
  const byKey = new Map<string, DiscoveryQuestion>();
  for (const occurrence of occurrences) {
    const key = discoveryWords(occurrence.text).join(' ');
    if (key === '') continue;
    const existing = byKey.get(key);
    if (existing) {
      existing.count += occurrence.count;
      existing.escalated += occurrence.escalated;
      existing.abstained += occurrence.abstained;
      if (existing.language === '' && occurrence.language !== '') existing.language = occurrence.language;
    } else {
      byKey.set(key, { key, text: occurrence.text, language: occurrence.language, count: occurrence.count, escalated: occurrence.escalated, abstained: occurrence.abstained });
    }
  }
  return [...byKey.values()];
}

/**
 * The questions the bot could not answer, from escalation-log events: every event whose outcome
 * is not `accepted` — the bot abstained (`not_shown`) or answered and the buyer escalated.
 *
 * @example
 * const { events } = readEscalationLogs(files, intents, languages);
 * const questions = questionsFromEvents(events);
 */
export function questionsFromEvents(events: Iterable<EscalationEvent>): DiscoveryQuestion[] {
  function* unanswered(): Generator<Occurrence> {
    for (const event of events) {
      if (event.outcome === 'accepted') continue;
      const escalated = event.outcome === 'escalated' ? 1 : 0;
      yield { text: event.text, language: event.language, count: 1, escalated, abstained: 1 - escalated };
    }
  }
  return groupQuestions(unanswered());
}

const OPTIONAL_COUNTS = ['count', 'escalated', 'not_shown'] as const;

/**
 * Questions from a CSV file with a `text` column. Optional columns: `lang` (else the model
 * tells), `count` (times asked, default 1), `escalated` and `not_shown` (as in a review CSV,
 * which can be given as it is). Rows with empty text are skipped and reported; a count that is
 * not a whole number ≥ 0 is an error naming the row.
 */
export function questionsFromCsv(file: string): { questions: DiscoveryQuestion[]; skipped: SkippedLine[] } {
  const table = readCsvTable(file, ['text']);
  const skipped: SkippedLine[] = [];
  const occurrences: Occurrence[] = [];
  const has = new Set(table.header);
  for (const { line, values } of table.rows) {
    const text = restoreSpreadsheetText(values.text).trim();
    if (text === '') {
      skipped.push({ file, line, problem: 'empty text' });
      continue;
    }
    const numbers: Record<string, number> = {};
    for (const column of OPTIONAL_COUNTS) {
      if (!has.has(column) || values[column].trim() === '') continue;
      const value = Number(values[column]);
      if (!Number.isInteger(value) || value < 0) throw new DataError(file, line, `'${column}' must be a whole number ≥ 0, got '${values[column]}'`);
      numbers[column] = value;
    }
    const escalated = numbers.escalated ?? 0;
    const count = numbers.count ?? Math.max(1, escalated + (numbers.not_shown ?? 0));
    if (count === 0) continue;
    occurrences.push({ text, language: has.has('lang') ? values.lang.trim() : '', count, escalated, abstained: numbers.not_shown ?? (has.has('escalated') ? count - escalated : 0) });
  }
  return { questions: groupQuestions(occurrences), skipped };
}
