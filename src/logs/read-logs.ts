import type { EscalationEvent, SkippedLine } from '../learning/events.js';
import { decodeLine, MAX_LINE_BYTES, scanLines } from './line-reader.js';
import { NOT_JSON, parseLogLine, READ_WITH_PREVIOUS, readsIntoNextLine, type LogLine } from './log-line.js';
import type { LogVocabulary } from './sql.js';

/** An event as readers produce it: v1 outcomes plus `no_feedback` (a v2 answer nobody clicked). */
export type JoinedEvent = Omit<EscalationEvent, 'outcome'> & { outcome: EscalationEvent['outcome'] | 'no_feedback' };

/**
 * Streams the lines of outcome logs, file by file and line by line: each good line goes to
 * `onLine`, each bad one (not UTF-8, not JSON, failing the checks, too long) to `onSkip` with
 * file and line. Memory stays at one read chunk and one line, whatever the size of the files.
 * A file with no lines at all is reported as `empty log file` (line 0).
 *
 * @example
 * let events = 0;
 * await forEachLogLine(['logs/a.jsonl'], { intents, languages }, () => events++, (bad) => console.error(bad));
 */
export async function forEachLogLine(files: string[], vocabulary: LogVocabulary, onLine: (line: LogLine, file: string, lineNumber: number) => void, onSkip: (skipped: SkippedLine) => void): Promise<void> {
  for (const file of files) {
    let nonBlank = 0;
    let takenByPrevious = false;
    await scanLines(
      file,
      (bytes, line) => {
        const text = decodeLine(bytes);
        if (text === null) {
          nonBlank++;
          takenByPrevious = false;
          onSkip({ file, line, problem: 'not valid UTF-8' });
          return;
        }
        if (text.trim() === '') return;
        nonBlank++;
        if (takenByPrevious) {
          takenByPrevious = false;
          onSkip({ file, line, problem: READ_WITH_PREVIOUS });
          return;
        }
        const parsed = parseLogLine(text, vocabulary.intents, vocabulary.languages);
        if (parsed.problem !== undefined) {
          onSkip({ file, line, problem: parsed.problem });
          takenByPrevious = parsed.problem === NOT_JSON && readsIntoNextLine(text);
        } else onLine(parsed.line, file, line);
      },
      {
        onOverlong: (line) => {
          nonBlank++;
          onSkip({ file, line, problem: `longer than ${MAX_LINE_BYTES} bytes` });
        },
      },
    );
    if (nonBlank === 0) onSkip({ file, line: 0, problem: 'empty log file' });
  }
}

/**
 * Reads outcome logs into joined events, in memory: the reference for small logs and tests
 * (large logs go through the engine: `loadLogs`). Joining follows LOG-FORMAT-V2: a v2 decision
 * takes its earliest outcome line; without one it is `not_shown` (abstained) or `no_feedback`
 * (answered); an outcome line without its decision is counted, never an error; an id seen again
 * counts once (the earliest copy is kept).
 *
 * @example
 * const { events, skipped } = await readLogEvents(['logs/'], { intents, languages });
 */
export async function readLogEvents(files: string[], vocabulary: LogVocabulary): Promise<{ events: JoinedEvent[]; skipped: SkippedLine[]; duplicateIds: number; outcomesWithoutDecision: number }> {
  const decisions = new Map<string, JoinedEvent & { kind: 'v1' | 'decision' }>();
  const outcomes = new Map<string, { outcome: 'accepted' | 'escalated'; label?: string; timestamp: number; lines: number }>();
  const skipped: SkippedLine[] = [];
  let duplicateIds = 0;
  await forEachLogLine(
    files,
    vocabulary,
    (line) => {
      if (line.kind === 'outcome') {
        const { id, outcome, label } = line.outcome;
        const timestamp = Date.parse(line.outcome.timestamp);
        const earlier = outcomes.get(id);
        if (!earlier || timestamp < earlier.timestamp) outcomes.set(id, { outcome, ...(label ? { label } : {}), timestamp, lines: (earlier?.lines ?? 0) + 1 });
        else earlier.lines++;
        return;
      }
      const event: JoinedEvent & { kind: 'v1' | 'decision' } =
        line.kind === 'v1'
          ? { ...line.event, kind: 'v1' }
          : { id: line.decision.id, timestamp: line.decision.timestamp, text: line.decision.text, language: line.decision.language, modelVersion: line.decision.modelVersion, decision: line.decision.decision, outcome: 'not_shown', ...(line.decision.sellerId !== undefined ? { sellerId: line.decision.sellerId } : {}), kind: 'decision' };
      const earlier = decisions.get(event.id);
      if (earlier) {
        duplicateIds++;
        // Map order is first-read order; a copy with an earlier timestamp replaces the content only.
        if (Date.parse(event.timestamp) < Date.parse(earlier.timestamp)) decisions.set(event.id, event);
        return;
      }
      decisions.set(event.id, event);
    },
    (line) => skipped.push(line),
  );
  const events: JoinedEvent[] = [];
  let outcomesWithoutDecision = 0;
  for (const [id, outcome] of outcomes) if (decisions.get(id)?.kind !== 'decision') outcomesWithoutDecision += outcome.lines;
  for (const { kind, ...event } of decisions.values()) {
    if (kind === 'decision') {
      const outcome = outcomes.get(event.id);
      event.outcome = outcome ? outcome.outcome : event.decision.answer ? 'no_feedback' : 'not_shown';
      if (outcome?.label) event.label = outcome.label;
    }
    events.push(event);
  }
  return { events, skipped, duplicateIds, outcomesWithoutDecision };
}
