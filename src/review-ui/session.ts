import { statSync } from 'node:fs';
import { readCsvTable } from '../data/csv.js';
import { restoreSpreadsheetText, writeCsvFile } from '../data/csv-write.js';
import { AllinaError } from '../util/errors.js';

/**
 * Keys that pick an intent, in order: the model's guesses get the first ones, the other intents
 * the rest. `0` is always `other`. Ten keys cover the ten non-`other` intents of the shipped
 * taxonomy, so every label is one key.
 */
export const CHOICE_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '-'] as const;
export const OTHER_KEY = '0';

/** One intent a reviewer can pick, with its key (null when a model has more intents than keys). */
export interface Choice {
  key: string | null;
  intent: string;
  /** The model's confidence, for its top-3 guesses. */
  confidence?: number;
  guess: boolean;
  /** What the intent covers (from the taxonomy), when known. */
  description?: string;
}

/** The question on screen. */
export interface ReviewQuestion {
  /** Index of the data row in the file (0 = first row after the header). */
  row: number;
  /** 1-based line in the CSV, for messages. */
  line: number;
  text: string;
  lang: string;
  /** How often it was asked (the `count` column), when the file has one. */
  count: number | null;
  choices: Choice[];
}

/** What the labelling page shows: the current question and the progress. */
export interface ReviewState {
  file: string;
  total: number;
  labelled: number;
  /** Skipped in this session: they come back when every other question is done. */
  skipped: number;
  /** null when nothing is left to label (see `skipped`). */
  question: ReviewQuestion | null;
  canUndo: boolean;
  /** What the last action did, for the page to confirm ("saved: delivery_status"). */
  last?: { action: 'label' | 'skip' | 'undo' | 'revisit'; row: number | null; intent?: string };
}

/** A labelling action aimed at a question that is no longer the current one (a second tab, a double press). */
export class StaleQuestionError extends AllinaError {}

/** A row of the file as read: raw CSV values, kept as they are so only `label` ever changes. */
interface FileRow {
  line: number;
  values: Record<string, string>;
}

type HistoryEntry = { kind: 'label'; row: number; before: string } | { kind: 'skip'; row: number };

/**
 * One reviewer's labelling session over a review CSV (as written by `allina review`). Every
 * label is written to the file at once, atomically (temporary file + rename), so a closed tab or
 * a killed server loses nothing that was confirmed. Questions come in file order; a new session
 * starts after the last labelled row, and skipped questions come round again at the end.
 *
 * @example
 * const session = ReviewSession.open('review.csv', model.manifest.intents, 'other');
 * const { question } = session.state();
 * if (question) session.label(question.row, question.choices[0].intent); // saved to review.csv
 */
export class ReviewSession {
  readonly file: string;
  private readonly header: string[];
  private readonly rows: FileRow[];
  private readonly intents: string[];
  private readonly otherIntent: string;
  private readonly descriptions: Record<string, string>;
  private readonly order: number[];
  private readonly skippedRows = new Set<number>();
  private history: HistoryEntry[] = [];
  private fileStamp: string;
  /** Rows whose label is not an intent of the model: asked again, and reported once at open. */
  readonly problems: { line: number; problem: string }[] = [];

  private constructor(file: string, header: string[], rows: FileRow[], intents: string[], otherIntent: string, descriptions: Record<string, string>) {
    this.file = file;
    this.descriptions = descriptions;
    this.header = header;
    this.rows = rows;
    this.intents = intents;
    this.otherIntent = otherIntent;
    const known = new Set(intents);
    for (const row of rows) {
      const label = row.values.label.trim();
      if (label !== '' && !known.has(label)) this.problems.push({ line: row.line, problem: `unknown intent in label '${label}'; the question is asked again` });
    }
    let lastLabelled = -1;
    rows.forEach((_, index) => {
      if (this.isLabelled(index)) lastLabelled = index;
    });
    const start = rows.length ? (lastLabelled + 1) % rows.length : 0;
    this.order = rows.map((_, index) => (start + index) % rows.length);
    this.fileStamp = stamp(file);
  }

  /**
   * Opens a review CSV (columns `text`, `lang`, `label` required; `count`, `guess_1..3`,
   * `confidence_1..3` used when present). Throws a one-line DataError naming the file and row
   * when the file cannot be read or a guess is not one of `intents`. `descriptions` (intent →
   * what it covers) are shown to the reviewer.
   */
  static open(file: string, intents: string[], otherIntent: string, descriptions: Record<string, string> = {}): ReviewSession {
    const table = readCsvTable(file, ['text', 'lang', 'label']);
    const known = new Set(intents);
    for (const row of table.rows) {
      for (const column of ['guess_1', 'guess_2', 'guess_3']) {
        const guess = row.values[column]?.trim();
        if (guess && !known.has(guess)) throw new AllinaError(`${file}:${row.line}: ${column} '${guess}' is not an intent of this model (known: ${intents.join(', ')}); use the model that built the queue (--model)`);
      }
    }
    return new ReviewSession(file, table.header, table.rows, intents, otherIntent, descriptions);
  }

  private isLabelled(row: number): boolean {
    return this.intents.includes(this.rows[row].values.label.trim());
  }

  private currentRow(): number | null {
    for (const row of this.order) if (!this.isLabelled(row) && !this.skippedRows.has(row)) return row;
    return null;
  }

  /** The current question and the progress. */
  state(last?: ReviewState['last']): ReviewState {
    const row = this.currentRow();
    return {
      file: this.file,
      total: this.rows.length,
      labelled: this.rows.filter((_, index) => this.isLabelled(index)).length,
      skipped: this.skippedRows.size,
      question: row === null ? null : this.question(row),
      canUndo: this.history.length > 0,
      ...(last ? { last } : {}),
    };
  }

  private question(row: number): ReviewQuestion {
    const values = this.rows[row].values;
    const guesses: { intent: string; confidence?: number }[] = [];
    for (const position of [1, 2, 3]) {
      const intent = values[`guess_${position}`]?.trim();
      if (!intent || guesses.some((guess) => guess.intent === intent)) continue;
      const confidence = Number(values[`confidence_${position}`]);
      guesses.push({ intent, ...(values[`confidence_${position}`]?.trim() && Number.isFinite(confidence) ? { confidence } : {}) });
    }
    const choices: Choice[] = [];
    const keys: string[] = [...CHOICE_KEYS];
    const choice = (intent: string, guess: boolean, confidence?: number): Choice => ({
      key: intent === this.otherIntent ? OTHER_KEY : keys.shift() ?? null,
      intent,
      ...(confidence !== undefined ? { confidence } : {}),
      guess,
      ...(this.descriptions[intent] ? { description: this.descriptions[intent] } : {}),
    });
    for (const guess of guesses) choices.push(choice(guess.intent, true, guess.confidence));
    for (const intent of this.intents) if (!guesses.some((guess) => guess.intent === intent)) choices.push(choice(intent, false));
    const count = Number(values.count);
    return {
      row,
      line: this.rows[row].line,
      text: restoreSpreadsheetText(values.text),
      lang: values.lang.trim(),
      count: values.count !== undefined && values.count.trim() !== '' && Number.isFinite(count) ? count : null,
      choices,
    };
  }

  private expectCurrent(row: number): void {
    const current = this.currentRow();
    if (current !== row) throw new StaleQuestionError(`the question on row ${this.rows[row]?.line ?? '?'} is no longer the current one (it was labelled or skipped elsewhere); nothing was changed`);
  }

  /** Labels the current question (`row` guards against acting on a question no longer shown) and saves the file. */
  label(row: number, intent: string): ReviewState {
    if (!this.intents.includes(intent)) throw new AllinaError(`unknown intent '${intent}' (known: ${this.intents.join(', ')})`);
    this.expectCurrent(row);
    const before = this.rows[row].values.label;
    this.setLabel(row, intent);
    this.history.push({ kind: 'label', row, before });
    return this.state({ action: 'label', row, intent });
  }

  /** Skips the current question for this session: it comes back when every other question is done. */
  skip(row: number): ReviewState {
    this.expectCurrent(row);
    this.skippedRows.add(row);
    this.history.push({ kind: 'skip', row });
    return this.state({ action: 'skip', row });
  }

  /** Undoes the last label or skip of this session (the label is removed from the file again). */
  undo(): ReviewState {
    const entry = this.history.pop();
    if (!entry) return this.state({ action: 'undo', row: null });
    if (entry.kind === 'label') this.setLabel(entry.row, entry.before);
    else this.skippedRows.delete(entry.row);
    return this.state({ action: 'undo', row: entry.row });
  }

  /** Brings the skipped questions back (once everything else is labelled). */
  revisitSkipped(): ReviewState {
    this.skippedRows.clear();
    this.history = [];
    return this.state({ action: 'revisit', row: null });
  }

  private setLabel(row: number, label: string): void {
    // Someone else wrote the file (a spreadsheet, a second server): writing ours would drop their edits.
    if (stamp(this.file) !== this.fileStamp) throw new AllinaError(`${this.file} was changed by another program since it was opened; nothing was saved. Restart allina review --ui to continue from the file as it is now`);
    const previous = this.rows[row].values.label;
    this.rows[row].values.label = label;
    try {
      writeCsvFile(this.file, this.header, this.rows.map((entry) => this.header.map((column) => entry.values[column] ?? '')));
    } catch (error) {
      this.rows[row].values.label = previous;
      throw new AllinaError(`${this.file}: cannot save the label (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    this.fileStamp = stamp(this.file);
  }
}

/** Identity of the file's current content as far as a writer can tell: inode, size, modification time. */
function stamp(file: string): string {
  const stats = statSync(file, { bigint: true });
  return `${stats.ino}:${stats.size}:${stats.mtimeNs}`;
}
