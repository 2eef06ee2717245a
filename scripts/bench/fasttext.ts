/**
 * fastText supervised, through the `fasttext` command-line tool (Debian package `fasttext`).
 *
 * Text is prepared as in fastText's own text-classification tutorial: lower case, spaces around
 * punctuation, whitespace collapsed (fastText splits on spaces only). Diacritics are kept; the
 * character n-grams see both spellings in the data.
 *
 * Two variants:
 *   - fixed settings comparable to Allina's model: word bigrams, character n-grams 2–5, 32
 *     dimensions, 2^17 hash buckets; 25 epochs at learning rate 1.0 (the tutorial's values for a
 *     small data set), softmax loss, one thread and a fixed seed so runs repeat exactly;
 *   - autotune: fastText searches its own settings for `--autotune-seconds` on the dev split
 *     (validation file), optimising F1, on both cores, with no model-size limit. Its first
 *     trial is fastText's defaults (2M buckets × 100 dimensions, an 800 MB model), so a short
 *     budget does not mean a small model; --smoke runs leave it out unless asked for.
 *
 * Serving is a persistent `fasttext predict-prob MODEL - 3` child process that reads questions
 * on stdin, one per line, and writes the top three labels with probabilities per line. The
 * single-question latency is therefore a round trip through two pipes and Node's line reader,
 * which an in-process library call would not pay; batch throughput writes the whole test set at
 * once and waits for the last answer, so pipe costs are spread over all questions.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { peakRssBytes, watchPeakRss } from './system-info.js';
import type { BenchQuestion, BenchSystem, LoadedClassifier, Ranking, TrainContext } from './system.js';

export const FASTTEXT = 'fasttext';
export const FASTTEXT_INSTALL = 'apt-get install -y fasttext';
export const LABEL_PREFIX = '__label__';
const MODEL_STEM = 'model';
const TOP_K = 3;

/** Settings of the fixed-settings variant (the --smoke run trains for SMOKE_EPOCHS). */
export const FIXED_SETTINGS = ['-dim', '32', '-bucket', String(1 << 17), '-wordNgrams', '2', '-minn', '2', '-maxn', '5', '-epoch', '25', '-lr', '1.0', '-loss', 'softmax', '-thread', '1', '-seed', '42'];
const SMOKE_EPOCHS = '2';

/** null when the `fasttext` binary runs, else why not. */
export function fastTextMissing(): string | null {
  const probe = spawnSync(FASTTEXT, [], { stdio: 'ignore' });
  if ((probe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return `no \`${FASTTEXT}\` binary on PATH`;
  return probe.error ? `\`${FASTTEXT}\` does not run: ${probe.error.message}` : null;
}

/** The Debian package version, e.g. "0.9.2+ds-1+b1" (fastText itself has no --version). */
export function fastTextVersion(): string {
  const query = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'fasttext'], { encoding: 'utf8' });
  return query.status === 0 && query.stdout ? query.stdout.trim() : 'unknown';
}

/** fastText's tutorial preprocessing; also makes sure a question is exactly one line. */
export function prepareText(text: string): string {
  return text.toLowerCase().replace(/[.!?,'/()"]/g, ' $& ').replace(/\s+/g, ' ').trim();
}

function writeTrainingFile(file: string, questions: BenchQuestion[]): void {
  writeFileSync(file, questions.map((question) => `${LABEL_PREFIX}${question.intent} ${prepareText(question.text)}\n`).join(''));
}

/**
 * Runs a fastText command to completion, with its output in `logFile` and its peak RSS. With
 * `timeoutSeconds`, the process is killed when it runs longer and the run fails with that reason.
 */
async function runFastText(args: string[], logFile: string, timeoutSeconds?: number): Promise<{ peakRssBytes: number | null }> {
  const child = spawn(FASTTEXT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const watcher = watchPeakRss(child.pid!);
  let timedOut = false;
  const timer = timeoutSeconds === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutSeconds * 1000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  const peak = watcher.stop();
  if (timedOut) throw new Error(`fasttext ${args[0]} did not finish within ${timeoutSeconds} s and was stopped; see ${logFile}`);
  if (code !== 0) throw new Error(`fasttext ${args[0]} exited with ${code}; see ${logFile}`);
  return { peakRssBytes: peak };
}

// fastText checks the autotune budget only between trials, and then retrains the best settings
// on the whole training file; a trial with a huge model can run on for many minutes (seen:
// 15 min at 13 GB RSS). Stop it at three times the budget so the bench always finishes.
const AUTOTUNE_TIMEOUT_FACTOR = 3;

/** `fasttext dump MODEL args` as a compact "dim 32, epoch 25, …" line. */
function describeModel(modelFile: string): string {
  const dump = spawnSync(FASTTEXT, ['dump', modelFile, 'args'], { encoding: 'utf8' });
  const wanted = new Set(['dim', 'epoch', 'wordNgrams', 'minn', 'maxn', 'bucket', 'loss']);
  return dump.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([name]) => wanted.has(name))
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
}

/** A `fasttext predict-prob MODEL -` child that answers one line per question line. */
class FastTextPredictor implements LoadedClassifier {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  private readonly exited: Promise<void>;
  private stderr = '';

  constructor(modelFile: string) {
    this.child = spawn(FASTTEXT, ['predict-prob', modelFile, '-', String(TOP_K)]);
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.resolve(line));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => {
        const error = new Error(`fasttext predict-prob exited with ${code}: ${this.stderr.trim().split('\n').pop() ?? ''}`);
        for (const waiter of this.waiting.splice(0)) waiter.reject(error);
        resolve();
      });
    });
  }

  private nextLine(): Promise<string> {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async classify(question: BenchQuestion): Promise<Ranking> {
    const answer = this.nextLine();
    this.child.stdin.write(`${prepareText(question.text)}\n`);
    return parsePrediction(await answer);
  }

  async classifyBatch(questions: BenchQuestion[]): Promise<Ranking[]> {
    const answers = questions.map(() => this.nextLine());
    this.child.stdin.write(questions.map((question) => `${prepareText(question.text)}\n`).join(''));
    return (await Promise.all(answers)).map(parsePrediction);
  }

  /** The fastText process's own peak RSS (the Node driver is not counted). */
  externalPeakRssBytes(): number | null {
    return peakRssBytes(this.child.pid!);
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    await this.exited;
  }
}

/** "__label__a 0.9 __label__b 0.05 …" → ranking (fastText adds 1e-5 to each probability). */
function parsePrediction(line: string): Ranking {
  const parts = line.trim().split(/\s+/);
  const ranking: Ranking = [];
  for (let index = 0; index + 1 < parts.length; index += 2) {
    if (!parts[index].startsWith(LABEL_PREFIX)) continue;
    ranking.push({ intent: parts[index].slice(LABEL_PREFIX.length), score: Math.min(1, Number(parts[index + 1])) });
  }
  return ranking;
}

function fastTextSystem(autotune: boolean): BenchSystem {
  return {
    async train(context: TrainContext) {
      const trainFile = join(context.scratchDirectory, 'train.txt');
      writeTrainingFile(trainFile, context.train);
      const output = join(context.modelDirectory, MODEL_STEM);
      let settings: string[];
      if (autotune) {
        const devFile = join(context.scratchDirectory, 'dev.txt');
        writeTrainingFile(devFile, context.dev);
        settings = ['-autotune-validation', devFile, '-autotune-duration', String(context.autotuneSeconds), '-thread', '2'];
      } else {
        settings = context.smoke ? withValue(FIXED_SETTINGS, '-epoch', SMOKE_EPOCHS) : FIXED_SETTINGS;
      }
      const logFile = join(context.scratchDirectory, 'train.log');
      const timeoutSeconds = autotune ? AUTOTUNE_TIMEOUT_FACTOR * context.autotuneSeconds : undefined;
      const { peakRssBytes: trainingPeak } = await runFastText(['supervised', '-input', trainFile, '-output', output, ...settings], logFile, timeoutSeconds);
      // Only model.bin is needed to predict; the .vec word vectors are a by-product.
      rmSync(`${output}.vec`, { force: true });
      const notes = [`model: ${describeModel(`${output}.bin`)}`];
      if (autotune) notes.unshift(`autotune ${context.autotuneSeconds} s on dev (F1), ${autotuneTrials(logFile)}`);
      else notes.unshift(`fasttext supervised ${settings.join(' ')}`);
      return { externalPeakRssBytes: trainingPeak, notes };
    },

    async load(modelDirectory) {
      const predictor = new FastTextPredictor(join(modelDirectory, `${MODEL_STEM}.bin`));
      // The model is read when the process starts; the first answer says it is ready.
      await predictor.classify({ text: 'ready?', lang: 'en', intent: 'other' });
      return predictor;
    },
  };
}

function withValue(settings: string[], flag: string, value: string): string[] {
  return settings.map((entry, index) => (settings[index - 1] === flag ? value : entry));
}

/** "N trials, best dev F1 0.88" from autotune's progress lines in the training log. */
function autotuneTrials(logFile: string): string {
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  const last = [...log.matchAll(/Trials:\s+(\d+)\s+Best score:\s+([\d.]+)/g)].pop();
  return last ? `${last[1]} trials, best dev F1 ${Number(last[2]).toFixed(3)}` : 'trial count unknown';
}

export const fastTextFixed = fastTextSystem(false);
export const fastTextAutotune = fastTextSystem(true);
