import { readCsvTable } from '../data/csv.js';
import { writeCsvFile, neutralizeSpreadsheetText, restoreSpreadsheetText } from '../data/csv-write.js';
import { duplicateKey } from '../data/near-duplicates.js';
import type { AllinaModel } from '../runtime/model.js';
import type { EscalationEvent, SkippedLine } from './events.js';

/** One question in the review queue: de-duplicated, with the model's guesses prefilled. */
export interface ReviewItem {
  text: string;
  language: string;
  /** How many times the question (after normalisation) was asked. */
  count: number;
  escalated: number;
  notShown: number;
  confidence: number;
  margin: number;
  guesses: { intent: string; confidence: number }[];
  /** Higher = more worth a human label. */
  priority: number;
  /** A label already decided (e.g. for a whole topic by `review --topics`); empty otherwise. */
  label?: string;
}

export const REVIEW_COLUMNS = ['text', 'lang', 'count', 'escalated', 'not_shown', 'confidence', 'margin', 'guess_1', 'confidence_1', 'guess_2', 'confidence_2', 'guess_3', 'confidence_3', 'label'];

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

/**
 * Ranks escalated and abstained questions by how much a label would teach the model:
 * uncertainty (1 − margin between the current model's top two intents), plus a bonus for
 * questions the bot answered and the buyer still escalated (a likely mistake), times
 * 1 + ln(frequency). Questions already labelled (in the logs or in `labelledKeys`) are left out.
 *
 * @example
 * const queue = buildReviewQueue(model, events, { limit: 200 });
 */
export function buildReviewQueue(model: AllinaModel, events: EscalationEvent[], options: { limit?: number; labelledKeys?: Set<string> } = {}): ReviewItem[] {
  const labelled = new Set(options.labelledKeys ?? []);
  for (const event of events) if (event.label) labelled.add(duplicateKey(event.text));
  const groups = new Map<string, EscalationEvent[]>();
  for (const event of events) {
    if (event.outcome === 'accepted' || event.label) continue;
    const key = duplicateKey(event.text);
    if (key === '' || labelled.has(key)) continue;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(event);
  }
  const items: (ReviewItem & { key: string })[] = [];
  for (const [key, group] of groups) {
    const text = mostCommon(group.map((event) => event.text));
    const decision = model.classify(text);
    const [first, second] = decision.alternatives;
    const margin = first ? first.confidence - (second?.confidence ?? 0) : 0;
    const escalated = group.filter((event) => event.outcome === 'escalated').length;
    const uncertainty = 1 - margin + (escalated > 0 ? 0.5 : 0);
    items.push({
      key,
      text,
      language: mostCommon(group.map((event) => event.language)),
      count: group.length,
      escalated,
      notShown: group.length - escalated,
      confidence: decision.confidence,
      margin,
      guesses: decision.alternatives,
      priority: uncertainty * (1 + Math.log(group.length)),
    });
  }
  items.sort((a, b) => b.priority - a.priority || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return items.slice(0, options.limit ?? items.length).map(({ key: _key, ...item }) => item);
}

/**
 * Writes the queue as a CSV for reviewers: fill the empty `label` column with an intent. Buyer
 * text that starts like a spreadsheet formula is written with a leading apostrophe.
 */
export function writeReviewCsv(file: string, items: ReviewItem[]): void {
  const rows = items.map((item) => {
    const guesses = [0, 1, 2].flatMap((index) => [item.guesses[index]?.intent ?? '', item.guesses[index] ? item.guesses[index].confidence.toFixed(3) : '']);
    return [neutralizeSpreadsheetText(item.text), item.language, item.count, item.escalated, item.notShown, item.confidence.toFixed(3), item.margin.toFixed(3), ...guesses, item.label ?? ''];
  });
  writeCsvFile(file, REVIEW_COLUMNS, rows);
}

/** A reviewer's label for one question. */
export interface ReviewedQuestion {
  text: string;
  lang: string;
  intent: string;
  file: string;
  row: number;
}

/**
 * Reads reviewed CSV files (the review queue with `label` filled in; `text`, `lang`, `label`
 * are required). Rows with an empty label are not reviewed yet and are ignored; rows with an
 * unknown label or language are skipped and reported, so one typo does not stop the job.
 */
export function readReviewedFiles(files: string[], intents: ReadonlySet<string>, languages: ReadonlySet<string>): { reviewed: ReviewedQuestion[]; skipped: SkippedLine[] } {
  const reviewed: ReviewedQuestion[] = [];
  const skipped: SkippedLine[] = [];
  for (const file of files) {
    for (const { line, values } of readCsvTable(file, ['text', 'lang', 'label']).rows) {
      const label = values.label.trim();
      if (label === '') continue;
      const text = restoreSpreadsheetText(values.text).trim();
      const lang = values.lang.trim();
      if (!intents.has(label)) skipped.push({ file, line, problem: `unknown intent in label '${label}'` });
      else if (!languages.has(lang)) skipped.push({ file, line, problem: `unknown language '${lang}'` });
      else if (text === '') skipped.push({ file, line, problem: 'empty text' });
      else reviewed.push({ text, lang, intent: label, file, row: line });
    }
  }
  return { reviewed, skipped };
}
