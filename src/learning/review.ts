import { readCsvTable } from '../data/csv.js';
import { writeCsvFile, neutralizeSpreadsheetText, restoreSpreadsheetText } from '../data/csv-write.js';
import { duplicateKey } from '../data/near-duplicates.js';
import type { AllinaModel } from '../runtime/model.js';
import { answeredWithoutComplaint, type EscalationEvent, type SkippedLine } from './events.js';

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

/** The most frequent value (ties: the smallest); each value weighs its event's `count` (default 1). */
function mostCommon(values: [string, number][]): string {
  const counts = new Map<string, number>();
  for (const [value, weight] of values) counts.set(value, (counts.get(value) ?? 0) + weight);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

/** An event, or (`count` > 1) that many identical events, e.g. a row of a log aggregate. */
type Counted = EscalationEvent & { count?: number };
const weight = (event: Counted) => event.count ?? 1;

/**
 * Ranks escalated and abstained questions by how much a label would teach the model:
 * uncertainty (1 − margin between the current model's top two intents), plus a bonus for
 * questions the bot answered and the buyer still escalated (a likely mistake), times
 * 1 + ln(frequency). Questions already labelled (in the logs or in `labelledKeys`) are left out.
 *
 * @example
 * const queue = buildReviewQueue(model, events, { limit: 200 });
 */
export function buildReviewQueue(model: AllinaModel, events: Counted[], options: { limit?: number; labelledKeys?: Set<string> } = {}): ReviewItem[] {
  const labelled = new Set(options.labelledKeys ?? []);
  for (const event of events) if (event.label) labelled.add(duplicateKey(event.text));
  const groups = new Map<string, Counted[]>();
  for (const event of events) {
    if (answeredWithoutComplaint(event.outcome) || event.label) continue;
    const key = duplicateKey(event.text);
    if (key === '' || labelled.has(key)) continue;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(event);
  }
  // A group's priority is at most (1 + 0.5 if escalated) × (1 + ln count), as the margin is ≥ 0.
  // With a limit, groups are scored best bound first and the rest skipped once no bound can reach
  // the limit-th priority found: the same queue, with far fewer questions classified.
  const candidates = [...groups].map(([key, group]) => {
    const count = group.reduce((sum, event) => sum + weight(event), 0);
    const escalated = group.reduce((sum, event) => sum + (event.outcome === 'escalated' ? weight(event) : 0), 0);
    return { key, group, count, escalated, bound: (1 + (escalated > 0 ? 0.5 : 0)) * (1 + Math.log(count)) };
  });
  candidates.sort((a, b) => b.bound - a.bound);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const best = new MinHeap();
  const items: (ReviewItem & { key: string })[] = [];
  for (const { key, group, count, escalated, bound } of candidates) {
    if (best.size >= limit && bound < best.min()) break;
    const text = mostCommon(group.map((event) => [event.text, weight(event)]));
    const decision = model.classify(text);
    const [first, second] = decision.alternatives;
    const margin = first ? first.confidence - (second?.confidence ?? 0) : 0;
    const uncertainty = 1 - margin + (escalated > 0 ? 0.5 : 0);
    const priority = uncertainty * (1 + Math.log(count));
    items.push({
      key,
      text,
      language: mostCommon(group.map((event) => [event.language, weight(event)])),
      count,
      escalated,
      notShown: count - escalated,
      confidence: decision.confidence,
      margin,
      guesses: decision.alternatives,
      priority,
    });
    if (Number.isFinite(limit)) {
      best.push(priority);
      if (best.size > limit) best.pop();
    }
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
      const checked = checkReviewedRow(file, line, values, intents, languages);
      if (checked && 'problem' in checked) skipped.push(checked);
      else if (checked) reviewed.push(checked);
    }
  }
  return { reviewed, skipped };
}

/**
 * One row of a reviewed CSV: the labelled question, a skipped line (unknown label or language,
 * empty text), or undefined when the row has no label yet.
 */
export function checkReviewedRow(file: string, line: number, values: Record<string, string>, intents: ReadonlySet<string>, languages: ReadonlySet<string>): ReviewedQuestion | SkippedLine | undefined {
  const label = values.label.trim();
  if (label === '') return undefined;
  const text = restoreSpreadsheetText(values.text).trim();
  const lang = values.lang.trim();
  if (!intents.has(label)) return { file, line, problem: `unknown intent in label '${label}'` };
  if (!languages.has(lang)) return { file, line, problem: `unknown language '${lang}'` };
  if (text === '') return { file, line, problem: 'empty text' };
  return { text, lang, intent: label, file, row: line };
}

/** The smallest of the numbers pushed, in O(log n): the limit-th best priority so far. */
class MinHeap {
  private readonly values: number[] = [];

  get size(): number {
    return this.values.length;
  }

  min(): number {
    return this.values[0];
  }

  push(value: number): void {
    const values = this.values;
    values.push(value);
    for (let index = values.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (values[parent] <= values[index]) break;
      [values[parent], values[index]] = [values[index], values[parent]];
      index = parent;
    }
  }

  pop(): void {
    const values = this.values;
    const last = values.pop()!;
    if (values.length === 0) return;
    values[0] = last;
    for (let index = 0; ; ) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < values.length && values[left] < values[smallest]) smallest = left;
      if (right < values.length && values[right] < values[smallest]) smallest = right;
      if (smallest === index) break;
      [values[smallest], values[index]] = [values[index], values[smallest]];
      index = smallest;
    }
  }
}
