/**
 * `npm run bench`: Allina against NLP.js and fastText on the corpus. Every system trains on the
 * same train split, gets its answer threshold chosen on the same dev split and is scored on the
 * test split by the same functions; training, timing and memory are measured in a separate
 * child process per system and phase (scripts/bench/worker.ts). Writes BENCHMARKS.md and
 * bench-results/results.json.
 *
 *   npm run build && npm run bench -- [--smoke] [--systems allina,nlpjs,...] [--skip-autotune]
 *                                     [--autotune-seconds N] [--out FILE] [--work DIR] [--json]
 *
 * Prerequisite for fastText: the Debian package (`apt-get install -y fasttext`); without it the
 * fastText rows are skipped with a message. Not part of the test suite.
 */
import { otherBenchesPart, withOtherBenches } from './bench/benchmarks-file.js';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/util/package-root.js';
import { TRAINING_DEFAULTS } from '../src/train/recipe.js';
import { prepareDataset } from './bench/dataset.js';
import type { BenchDataset } from './bench/dataset-file.js';
import { systemPaths, type MeasurePhaseResult, type Phase, type RssPhaseResult, type TrainPhaseResult } from './bench/phases.js';
import { renderConsole, renderMarkdown } from './bench/report.js';
import type { BenchRun, SystemResult } from './bench/results.js';
import { scoreSystem } from './bench/scoring.js';
import { SYSTEMS, findSystem, type SystemEntry } from './bench/systems.js';
import { describeMachine, diskSizeBytes } from './bench/system-info.js';

/** fastText autotune's time budget: the issue's "a few minutes", and a token run for --smoke. */
const AUTOTUNE_SECONDS = { full: 120, smoke: 5 };

const workerScript = fileURLToPath(new URL('./bench/worker.js', import.meta.url));

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Relative to the current directory when inside it, else absolute. */
function displayPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside.startsWith('..') ? path : inside || '.';
}

/** Runs one worker phase; its output goes to PHASE.log, its result is read from PHASE.json. */
async function runPhase<T>(workDirectory: string, system: SystemEntry, phase: Phase, autotuneSeconds: number): Promise<T> {
  const paths = systemPaths(workDirectory, system.id);
  mkdirSync(paths.root, { recursive: true });
  rmSync(paths.result(phase), { force: true });
  const logFile = paths.log(phase);
  const output = createWriteStream(logFile);
  const child = spawn(process.execPath, [workerScript, phase, system.id, workDirectory, String(autotuneSeconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(output);
  child.stderr.pipe(output);
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0 || !existsSync(paths.result(phase))) {
    const lastLine = readFileSync(logFile, 'utf8').trim().split('\n').filter((line) => line.trim() && !line.startsWith('    at ')).pop() ?? '';
    throw new Error(`${phase} failed (exit ${code}): ${lastLine} — see ${displayPath(logFile)}`);
  }
  return JSON.parse(readFileSync(paths.result(phase), 'utf8')) as T;
}

async function benchSystem(workDirectory: string, dataset: BenchDataset, system: SystemEntry, autotuneSeconds: number): Promise<SystemResult> {
  const result: SystemResult = { id: system.id, label: system.label, version: system.version(), status: 'ok' };
  const started = Date.now();
  try {
    log(`${system.id}: training …`);
    result.training = await runPhase<TrainPhaseResult>(workDirectory, system, 'train', autotuneSeconds);
    result.modelBytes = diskSizeBytes(systemPaths(workDirectory, system.id).model);
    log(`${system.id}: trained in ${result.training.seconds.toFixed(1)} s; measuring …`);
    const { dev, tune, test, openWorld, ...serving } = await runPhase<MeasurePhaseResult>(workDirectory, system, 'measure', autotuneSeconds);
    result.serving = serving;
    result.rss = await runPhase<RssPhaseResult>(workDirectory, system, 'rss', autotuneSeconds);
    const scores = scoreSystem(system.id, dataset, { dev, tune, test, openWorld }, { targetPrecision: TRAINING_DEFAULTS.targetPrecision, margin: TRAINING_DEFAULTS.margin });
    result.threshold = scores.cuts.threshold;
    result.minimumFamiliarity = scores.cuts.minimumFamiliarity;
    result.minimumIntentFamiliarity = scores.cuts.minimumIntentFamiliarity;
    result.minimumWordFamiliarity = scores.cuts.minimumWordFamiliarity;
    result.test = { examples: scores.test.examples, accuracy: scores.test.accuracy, macroF1: scores.test.macroF1, perLanguage: scores.test.perLanguage, abstention: scores.test.abstention };
    const open = scores.openWorld;
    result.openWorld = { examples: open.report.examples, abstention: open.report.abstention, byKind: open.byKind, byLanguageCode: open.byLanguageCode, unsupported: open.unsupported, coverageAt95: { threshold: open.coverageAt95.threshold.threshold, reachable: open.coverageAt95.threshold.reachable, coverage: open.coverageAt95.coverage } };
    log(`${system.id}: done in ${((Date.now() - started) / 1000).toFixed(0)} s (test accuracy ${(scores.test.accuracy * 100).toFixed(1)}%)`);
  } catch (error) {
    result.status = 'failed';
    result.reason = (error as Error).message;
    log(`${system.id}: FAILED — ${result.reason}`);
  }
  return result;
}

const AUTOTUNE_ID = 'fasttext-autotune';

/**
 * The systems to run: --systems, else all. Autotune is left out with --skip-autotune, and from
 * --smoke runs unless named in --systems: whatever its time budget, its first trial writes an
 * ~800 MB model, too much for a smoke run on a small disk.
 */
function selectSystems(list: string | undefined, skipAutotune: boolean, smoke: boolean): SystemEntry[] {
  if (list) return list.split(',').map((id) => findSystem(id.trim())).filter((system) => !(skipAutotune && system.id === AUTOTUNE_ID));
  if (smoke && !skipAutotune) log(`${AUTOTUNE_ID}: not part of --smoke runs (its first trial writes an ~800 MB model); add --systems ${SYSTEMS.map((system) => system.id).join(',')} to include it`);
  return SYSTEMS.filter((system) => !((skipAutotune || smoke) && system.id === AUTOTUNE_ID));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      systems: { type: 'string' },
      'skip-autotune': { type: 'boolean', default: false },
      'autotune-seconds': { type: 'string' },
      out: { type: 'string' },
      work: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const smoke = values.smoke!;
  const root = packageRoot();
  const workDirectory = resolve(values.work ?? join(root, 'bench-results', smoke ? 'smoke' : 'full'));
  // A smoke run must not overwrite the real BENCHMARKS.md.
  const outFile = resolve(values.out ?? (smoke ? join(workDirectory, 'BENCHMARKS.md') : join(root, 'BENCHMARKS.md')));
  const autotuneSeconds = values['autotune-seconds'] ? Number(values['autotune-seconds']) : smoke ? AUTOTUNE_SECONDS.smoke : AUTOTUNE_SECONDS.full;
  if (!(autotuneSeconds > 0)) throw new Error('--autotune-seconds must be a positive number');
  const systems = selectSystems(values.systems, values['skip-autotune']!, smoke);

  const loadAverageAtStart = loadavg()[0];
  mkdirSync(workDirectory, { recursive: true });
  rmSync(join(workDirectory, 'systems'), { recursive: true, force: true });
  const dataset = prepareDataset(workDirectory, smoke);
  log(`data: ${dataset.train.length} train / ${dataset.dev.length} dev / ${dataset.tune.length} tuning / ${dataset.test.length} test / ${dataset.openWorld.length} open-world questions${smoke ? ' (smoke subset)' : ''}; work directory ${displayPath(workDirectory)}`);

  const resultsFile = join(workDirectory, 'results.json');
  const results: SystemResult[] = [];
  for (const system of systems) {
    const missing = system.unavailable();
    if (missing) {
      log(`${system.id}: SKIPPED — ${missing}`);
      results.push({ id: system.id, label: system.label, version: '-', status: 'skipped', reason: missing });
      continue;
    }
    results.push(await benchSystem(workDirectory, dataset, system, autotuneSeconds));
  }

  const run: BenchRun = {
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    resultsFile: relative(root, resultsFile),
    smoke,
    machine: describeMachine(),
    loadAverage: { start: loadAverageAtStart, end: loadavg()[0] },
    data: {
      trainPaths: dataset.trainPaths.map((path) => relative(root, path)),
      testPaths: dataset.testPaths.map((path) => relative(root, path)),
      tunePaths: dataset.tunePaths.map((path) => relative(root, path)),
      openWorldPaths: dataset.openWorldPaths.map((path) => relative(root, path)),
      train: dataset.train.length,
      dev: dataset.dev.length,
      tune: dataset.tune.length,
      test: dataset.test.length,
      openWorld: dataset.openWorld.length,
      seed: dataset.seed,
      devFraction: dataset.devFraction,
    },
    rule: { targetPrecision: TRAINING_DEFAULTS.targetPrecision, margin: TRAINING_DEFAULTS.margin, answerableIntents: dataset.answerableIntents },
    autotuneSeconds,
    languages: dataset.languages,
    systems: results,
  };
  writeFileSync(resultsFile, `${JSON.stringify(run, null, 2)}\n`);
  // The log benchmark's section (npm run bench:logs) is kept as it is.
  writeFileSync(outFile, withOtherBenches(renderMarkdown(run, outFile), otherBenchesPart(outFile)));
  log(`wrote ${displayPath(outFile)} and ${displayPath(resultsFile)}`);
  process.stdout.write(values.json ? `${JSON.stringify(run, null, 2)}\n` : `${renderConsole(run)}\n`);
  if (results.some((result) => result.status === 'failed')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  log(`bench: ${(error as Error).message}`);
  process.exit(1);
});
