/**
 * Realistic escalation logs of any size, for the log benchmark and the log tests.
 *
 * - Questions repeat the way buyer questions do: a pool of distinct questions is drawn from the
 *   labelled corpus (data/train, every language in it) with variations (casing, greetings,
 *   order numbers, stripped diacritics, typos), and events pick from it with Zipf-like
 *   frequencies (rank r with probability ∝ 1/(r+1)^s).
 * - Decisions are the shipped model's real decisions on each pooled question; outcomes follow
 *   them (abstained → not_shown; answered → mostly accepted, escalated more often when the
 *   model was less sure); a few escalated or abstained questions carry the corpus label.
 * - Files mix version 1 lines and version 2 decision/outcome pairs (docs: LOG-FORMAT-V2), and
 *   hold replayed ids, outcomes whose decision is elsewhere, blank lines and bad lines
 *   (truncated, invalid UTF-8, wrong types, unknown label or outcome, not an object).
 *
 * Same options → the same bytes.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { readLabelledData, type LabelledExample } from '../../src/data/csv.js';
import { defaultPaths } from '../../src/cli/options.js';
import { loadModel, type AllinaModel } from '../../src/runtime/model.js';
import { SeededRandom } from '../../src/util/random.js';

export interface GenerateLogsOptions {
  /** Directory the files are written into (created). */
  outDir: string;
  /** Number of questions (decisions) logged; v2 outcome lines and bad lines come on top. */
  events: number;
  files?: number;
  /** Size of the pool of distinct questions the events draw from. */
  distinct?: number;
  /** Zipf exponent of question frequencies. */
  zipf?: number;
  /** Share of questions written as version 2 decision/outcome pairs. */
  v2Share?: number;
  /** Share of extra bad lines (one per this many events, on average). */
  badLineRate?: number;
  seed?: number;
  /** First day of the logged period (UTC) and its length. */
  start?: string;
  days?: number;
  /** Labelled corpus the questions come from (default: the package's data/train, wherever it is run from). */
  dataPaths?: string[];
  model?: AllinaModel;
  onProgress?: (written: number) => void;
}

export interface GeneratedLogs {
  files: string[];
  bytes: number;
  /** Lines by kind, to check readers against. */
  lines: { v1: number; decision: number; outcome: number; orphanOutcome: number; duplicate: number; blank: number; bad: number };
  /** Every bad line: file and 1-based line number. */
  badLines: { file: string; line: number; kind: BadLineKind }[];
}

export type BadLineKind = 'truncated' | 'invalid_utf8' | 'wrong_type' | 'unknown_label' | 'unknown_outcome' | 'not_object';
const BAD_KINDS: BadLineKind[] = ['truncated', 'invalid_utf8', 'wrong_type', 'unknown_label', 'unknown_outcome', 'not_object'];

const GREETINGS: Record<string, string[]> = {
  pl: ['Dzień dobry, ', 'Witam, ', 'hej ', 'Halo, '],
  cs: ['Dobrý den, ', 'Ahoj, ', 'Zdravím, '],
  sk: ['Dobrý deň, ', 'Ahoj, ', 'Zdravím, '],
  hu: ['Jó napot, ', 'Szia, ', 'Üdv, '],
  en: ['Hi, ', 'Hello, ', 'Hey '],
};
const ORDER_WORD: Record<string, string> = { pl: 'zamówienie', cs: 'objednávka', sk: 'objednávka', hu: 'rendelés', en: 'order' };

interface PooledQuestion {
  /** `"text":…,"language":…,"decision":{…}` — the part of a line every repeat shares. */
  body: string;
  sellerBody: string;
  answer: boolean;
  confidence: number;
  intent: string;
}

function foldDiacriticsForTypos(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l').replace(/Ł/g, 'L');
}

/** The r-th distinct question: a corpus row, varied more the further down the pool it is. */
function variantText(row: LabelledExample, variant: number, random: SeededRandom): string {
  if (variant === 0) return row.text;
  let text = row.text;
  const roll = (p: number) => random.next() < p;
  if (roll(0.4)) text = text.toLowerCase();
  if (roll(0.3)) text = foldDiacriticsForTypos(text);
  if (roll(0.3)) text = `${(GREETINGS[row.lang] ?? GREETINGS.en)[random.nextInt(3)]}${text.charAt(0).toLowerCase()}${text.slice(1)}`;
  if (roll(0.5)) text = `${text.replace(/[?.!]+$/, '')} (${ORDER_WORD[row.lang] ?? '#'} ${1000000 + random.nextInt(8999999)})`;
  const characters = Array.from(text);
  if (roll(0.3) && characters.length > 6) {
    const at = 2 + random.nextInt(characters.length - 4);
    [characters[at], characters[at + 1]] = [characters[at + 1], characters[at]];
    text = characters.join('');
  }
  if (roll(0.3)) text = `${text}${['?', '??', '!', ' ?', ' ...'][random.nextInt(5)]}`;
  return text;
}

function uuid(random: SeededRandom): string {
  const hex = (n: number) => Math.floor(random.next() * 2 ** 32).toString(16).padStart(8, '0').slice(0, n);
  const a = hex(8);
  const b = hex(8);
  const c = hex(8);
  const d = hex(8);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}

class LineWriter {
  private pending: string[] = [];
  private pendingChars = 0;
  bytes = 0;
  line = 0;
  constructor(private readonly stream: WriteStream) {}

  async text(line: string): Promise<number> {
    this.pending.push(line, '\n');
    this.pendingChars += line.length + 1;
    this.line++;
    if (this.pendingChars > 1 << 20) await this.flush();
    return this.line;
  }

  async bytesLine(bytes: Buffer): Promise<number> {
    await this.flush();
    this.line++;
    await this.write(Buffer.concat([bytes, Buffer.from('\n')]));
    return this.line;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    await this.write(chunk);
  }

  private async write(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

/**
 * Writes `events` questions spread over `files` JSON Lines files (one per service instance,
 * each in time order).
 *
 * @example
 * const logs = await generateLogs({ outDir: '/tmp/logs', events: 1_000_000, files: 10 });
 */
export async function generateLogs(options: GenerateLogsOptions): Promise<GeneratedLogs> {
  const fileCount = options.files ?? 1;
  const distinct = options.distinct ?? Math.min(500_000, Math.max(100, Math.round(options.events / 20)));
  const zipf = options.zipf ?? 1.0;
  const v2Share = options.v2Share ?? 0.5;
  const badLineRate = options.badLineRate ?? 0.0005;
  const seed = options.seed ?? 1;
  const days = options.days ?? 7;
  const startMs = Date.parse(options.start ?? '2026-11-23T00:00:00Z');
  const spanMs = days * 86_400_000;
  const model = options.model ?? loadModel();
  const random = new SeededRandom(seed);

  const corpus = random.shuffle(readLabelledData(options.dataPaths ?? [defaultPaths.trainData]));
  // Zipf CDF over pool ranks; binary search draws a rank.
  const cdf = new Float64Array(distinct);
  let total = 0;
  for (let rank = 0; rank < distinct; rank++) cdf[rank] = total += 1 / (rank + 1) ** zipf;
  const drawRank = (): number => {
    const target = random.next() * total;
    let low = 0;
    let high = distinct - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (cdf[middle] < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  const pool = new Map<number, PooledQuestion>();
  const versions = ['20261101-070000-a1b2c3', model.manifest.modelVersion];
  const question = (rank: number): PooledQuestion => {
    let pooled = pool.get(rank);
    if (pooled) return pooled;
    const row = corpus[rank % corpus.length];
    const text = variantText(row, Math.floor(rank / corpus.length), new SeededRandom(seed * 7919 + rank));
    const decision = model.classify(text);
    const body = `"text":${JSON.stringify(text)},"language":${JSON.stringify(decision.language ?? 'en')}`;
    const decisionJson = `"decision":${JSON.stringify({ intent: decision.intent, confidence: decision.confidence, answer: decision.answer, reason: decision.reason })}`;
    pooled = { body, sellerBody: decisionJson, answer: decision.answer, confidence: decision.confidence, intent: row.intent };
    pool.set(rank, pooled);
    return pooled;
  };

  mkdirSync(options.outDir, { recursive: true });
  const result: GeneratedLogs = { files: [], bytes: 0, lines: { v1: 0, decision: 0, outcome: 0, orphanOutcome: 0, duplicate: 0, blank: 0, bad: 0 }, badLines: [] };
  let written = 0;
  for (let fileIndex = 0; fileIndex < fileCount; fileIndex++) {
    const file = join(options.outDir, `escalations-${String(fileIndex + 1).padStart(3, '0')}.jsonl`);
    result.files.push(file);
    const writer = new LineWriter(createWriteStream(file));
    const perFile = Math.floor(options.events / fileCount) + (fileIndex < options.events % fileCount ? 1 : 0);
    // v2 outcomes arrive a little after their decision: held back a few lines, then written.
    const waiting: { due: number; line: string }[] = [];
    let lastV1 = '';
    for (let k = 0; k < perFile; k++) {
      const eventIndex = k * fileCount + fileIndex;
      const timestamp = startMs + Math.floor((eventIndex / options.events) * spanMs);
      const iso = new Date(timestamp).toISOString();
      const pooled = question(drawRank());
      const modelVersion = versions[eventIndex / options.events < 0.6 ? 0 : 1];
      const seller = `"sellerId":"seller-${1 + random.nextInt(5000)}"`;
      const id = uuid(random);
      let outcome: 'accepted' | 'escalated' | 'not_shown' | 'none';
      if (!pooled.answer) outcome = 'not_shown';
      else {
        const roll = random.next();
        outcome = roll < 0.04 + 0.6 * (1 - pooled.confidence) ? 'escalated' : roll < 0.9 ? 'accepted' : 'none';
      }
      const label = outcome !== 'accepted' && outcome !== 'none' && random.next() < 0.005 ? `,"label":${JSON.stringify(pooled.intent)}` : '';
      if (random.next() < v2Share) {
        await writer.text(`{"v":2,"type":"decision","id":"${id}","timestamp":"${iso}",${pooled.body},"modelVersion":"${modelVersion}",${seller},${pooled.sellerBody}}`);
        result.lines.decision++;
        if (outcome === 'accepted' || outcome === 'escalated') {
          const later = new Date(timestamp + 2000 + random.nextInt(60_000)).toISOString();
          waiting.push({ due: k + 1 + random.nextInt(40), line: `{"v":2,"type":"outcome","id":"${id}","timestamp":"${later}","outcome":"${outcome}"${label}}` });
        }
      } else {
        const v1Outcome = outcome === 'none' ? 'accepted' : outcome;
        lastV1 = `{"id":"${id}","timestamp":"${iso}",${pooled.body},"modelVersion":"${modelVersion}",${pooled.sellerBody},"outcome":"${v1Outcome}"${label},${seller}}`;
        await writer.text(lastV1);
        result.lines.v1++;
      }
      while (waiting.length > 0 && waiting[0].due <= k) {
        await writer.text(waiting.shift()!.line);
        result.lines.outcome++;
      }
      // Replays, orphans, blank lines and bad lines, sprinkled through the file.
      const roll = random.next();
      if (roll < 0.0002 && lastV1) {
        await writer.text(lastV1);
        result.lines.duplicate++;
      } else if (roll < 0.0003 && v2Share > 0) {
        await writer.text(`{"v":2,"type":"outcome","id":"${uuid(random)}","timestamp":"${iso}","outcome":"accepted"}`);
        result.lines.orphanOutcome++;
      } else if (roll < 0.0004) {
        await writer.text('');
        result.lines.blank++;
      } else if (roll < 0.0004 + badLineRate) {
        const kind = BAD_KINDS[random.nextInt(BAD_KINDS.length)];
        const good = `{"id":"${uuid(random)}","timestamp":"${iso}",${pooled.body},"modelVersion":"${modelVersion}",${pooled.sellerBody},"outcome":"not_shown"}`;
        let line: number;
        if (kind === 'invalid_utf8') {
          const bytes = Buffer.from(good, 'utf8');
          bytes[bytes.indexOf('"text":"') + 9] = 0xff;
          line = await writer.bytesLine(bytes);
        } else {
          const text = {
            // Cut inside the question text: a cut after ':' or '[' would take the next line with it (see readsIntoNextLine).
            truncated: good.slice(0, good.indexOf('"text":"') + 9 + random.nextInt(4)),
            wrong_type: good.replace(/"confidence":[0-9.e-]+/, '"confidence":"0.9"'),
            unknown_label: good.replace(/}$/, ',"label":"delivery_stat"}'),
            unknown_outcome: good.replace('"outcome":"not_shown"', '"outcome":"maybe"'),
            not_object: '[1,2,3]',
          }[kind];
          line = await writer.text(text);
        }
        result.badLines.push({ file, line, kind });
        result.lines.bad++;
      }
      written++;
      if (options.onProgress && written % 1_000_000 === 0) options.onProgress(written);
    }
    for (const { line } of waiting) {
      await writer.text(line);
      result.lines.outcome++;
    }
    await writer.close();
    result.bytes += writer.bytes;
  }
  return result;
}
