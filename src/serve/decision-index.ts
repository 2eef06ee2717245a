import { randomUUID } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { FEEDBACK_OUTCOMES, type FeedbackOutcome } from '../learning/events.js';

/**
 * A new decisionId: a random UUID (v4). Copied into a flat string: the one `randomUUID` returns
 * keeps several times its size alive while it is a key in the index.
 */
export function newDecisionId(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}

/** What the service remembers about a recent decision, to take feedback on it. */
export interface DecisionRecord {
  answer: boolean;
  intent: string | null;
  /** The outcome already recorded for it, if any. */
  outcome: FeedbackOutcome | null;
  label?: string;
}

const ANSWER = 1;
const OUTCOME_SHIFT = 1;
const OUTCOME_MASK = 0b110;
const INTENT_SHIFT = 3;
const NO_INTENT = 0;

/**
 * The most recent decisions by id, at most `limit` (the oldest is forgotten first). Each entry
 * is one small integer (answered?, outcome, intent code): 85–115 bytes with its key and the
 * map's slack, so a million decisions take about 100 MB.
 *
 * @example
 * const index = new DecisionIndex(1_000_000);
 * index.remember(id, decision.answer, decision.intent);
 * index.lookup(id) // → { answer: true, intent: 'delivery_status', outcome: null }
 */
export class DecisionIndex {
  private entries = new Map<string, number>();
  private readonly labels = new Map<string, string>();
  private readonly intentCodes = new Map<string, number>();
  private readonly intentNames: (string | null)[] = [null];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the decision index limit must be a whole number ≥ 1, got ${limit}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Records a decision just made. */
  remember(id: string, answer: boolean, intent: string | null): void {
    this.entries.set(id, this.encode(answer, intent, null));
    this.evict();
  }

  lookup(id: string): DecisionRecord | undefined {
    const code = this.entries.get(id);
    if (code === undefined) return undefined;
    const outcome = (code & OUTCOME_MASK) >> OUTCOME_SHIFT;
    const record: DecisionRecord = { answer: (code & ANSWER) !== 0, intent: this.intentNames[code >> INTENT_SHIFT], outcome: outcome === 0 ? null : FEEDBACK_OUTCOMES[outcome - 1] };
    const label = this.labels.get(id);
    if (label !== undefined) record.label = label;
    return record;
  }

  /** Marks a remembered decision's outcome as recorded (in the log). */
  recordOutcome(id: string, outcome: FeedbackOutcome, label?: string): void {
    const code = this.entries.get(id);
    if (code === undefined) return;
    this.entries.set(id, (code & ~OUTCOME_MASK) | ((FEEDBACK_OUTCOMES.indexOf(outcome) + 1) << OUTCOME_SHIFT));
    if (label !== undefined) this.labels.set(id, label);
  }

  /**
   * Adds decisions from earlier runs as older than every decision remembered so far (they were
   * made before this process started), oldest first in `older`.
   */
  prepend(older: Iterable<[string, { answer: boolean; intent: string | null; outcome: FeedbackOutcome | null; label?: string }]>): void {
    const merged = new Map<string, number>();
    for (const [id, record] of older) {
      merged.set(id, this.encode(record.answer, record.intent, record.outcome));
      if (record.label !== undefined) this.labels.set(id, record.label);
    }
    for (const [id, code] of this.entries) {
      merged.delete(id);
      merged.set(id, code);
    }
    this.entries = merged;
    this.evict();
  }

  private encode(answer: boolean, intent: string | null, outcome: FeedbackOutcome | null): number {
    let intentCode = NO_INTENT;
    if (intent !== null) {
      intentCode = this.intentCodes.get(intent) ?? 0;
      if (intentCode === 0) {
        intentCode = this.intentNames.length;
        this.intentNames.push(intent);
        this.intentCodes.set(intent, intentCode);
      }
    }
    return (intentCode << INTENT_SHIFT) | ((outcome === null ? 0 : FEEDBACK_OUTCOMES.indexOf(outcome) + 1) << OUTCOME_SHIFT) | (answer ? ANSWER : 0);
  }

  private evict(): void {
    if (this.entries.size <= this.limit) return;
    for (const id of this.entries.keys()) {
      this.entries.delete(id);
      this.labels.delete(id);
      if (this.entries.size <= this.limit) return;
    }
  }
}

/** What reading earlier decisions found. */
export interface IndexLoadReport {
  files: number;
  decisions: number;
  outcomes: number;
  /** Lines that were not valid JSON (e.g. a torn last line after a crash). */
  unreadableLines: number;
}

type LoadedRecord = { answer: boolean; intent: string | null; outcome: FeedbackOutcome | null; label?: string };

/** Reads one file's version-2 lines; other lines (version 1) are not feedback targets. */
async function readFileLines(file: string, onDecision: (id: string, answer: boolean, intent: string | null) => void, onOutcome: (id: string, outcome: FeedbackOutcome, label: string | undefined) => void): Promise<number> {
  let unreadable = 0;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of lines) {
    if (!text.includes('"v":2')) continue;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text);
    } catch {
      unreadable++;
      continue;
    }
    if (line === null || typeof line !== 'object' || line.v !== 2 || typeof line.id !== 'string') continue;
    if (line.type === 'decision') {
      const decision = line.decision as { answer?: unknown; intent?: unknown } | null;
      if (decision && typeof decision.answer === 'boolean') onDecision(line.id, decision.answer, typeof decision.intent === 'string' ? decision.intent : null);
    } else if (line.type === 'outcome' && FEEDBACK_OUTCOMES.includes(line.outcome as never)) {
      onOutcome(line.id, line.outcome as FeedbackOutcome, typeof line.label === 'string' ? line.label : undefined);
    }
  }
  return unreadable;
}

/**
 * Reads the decisions (and outcomes already recorded) of earlier runs from the `*.jsonl` files in
 * `directory` into `index`, newest files first until `index.limit` decisions are found, so that
 * feedback for a decision made before a restart is accepted (and a repeated one recognised).
 * `exclude` is this process's own file; with `owns`, only the decisions it accepts are read (a
 * worker's own, when several share the directory). Streams the files: the event loop keeps serving.
 *
 * @example
 * const report = await loadEarlierDecisions(index, 'logs/', log.file);
 */
export async function loadEarlierDecisions(index: DecisionIndex, directory: string, exclude?: string, owns?: (id: string) => boolean): Promise<IndexLoadReport> {
  const excluded = exclude ? resolve(exclude) : undefined;
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return { files: 0, decisions: 0, outcomes: 0, unreadableLines: 0 };
  }
  const files = names
    .map((name) => join(directory, name))
    .filter((file) => resolve(file) !== excluded)
    .map((file) => ({ file, modified: statSync(file).mtimeMs }))
    .sort((a, b) => b.modified - a.modified || (a.file < b.file ? 1 : -1));

  // Newest file first; each file's decisions in file order. Outcomes are joined at the end, the
  // earliest line for an id counting (outcomes are idempotent), as the log readers do.
  const perFile: { decisions: [string, LoadedRecord][]; outcomes: Map<string, { outcome: FeedbackOutcome; label?: string }> }[] = [];
  const report: IndexLoadReport = { files: 0, decisions: 0, outcomes: 0, unreadableLines: 0 };
  for (const { file } of files) {
    if (report.decisions >= index.limit) break;
    const decisions: [string, LoadedRecord][] = [];
    const outcomes = new Map<string, { outcome: FeedbackOutcome; label?: string }>();
    try {
      report.unreadableLines += await readFileLines(
        file,
        (id, answer, intent) => {
          if (!owns || owns(id)) decisions.push([id, { answer, intent, outcome: null }]);
        },
        (id, outcome, label) => {
          if (!outcomes.has(id)) outcomes.set(id, label === undefined ? { outcome } : { outcome, label });
        },
      );
    } catch {
      continue;
    }
    report.files++;
    report.decisions += decisions.length;
    perFile.push({ decisions, outcomes });
  }
  const records = new Map<string, LoadedRecord>();
  for (const { decisions } of [...perFile].reverse()) for (const [id, record] of decisions) if (!records.has(id)) records.set(id, record);
  const applied = new Set<string>();
  for (const { outcomes } of [...perFile].reverse()) {
    for (const [id, outcome] of outcomes) {
      const record = records.get(id);
      if (!record || applied.has(id)) continue;
      applied.add(id);
      record.outcome = outcome.outcome;
      if (outcome.label !== undefined) record.label = outcome.label;
      report.outcomes++;
    }
  }
  // Keep only the newest `limit`: the index forgets the oldest first anyway.
  const all = [...records];
  index.prepend(all.slice(Math.max(0, all.length - index.limit)));
  return report;
}
