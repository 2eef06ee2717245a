/**
 * Runtime benchmark of one Allina model artifact: load time, single-question latency, batch
 * throughput, artifact size, peak RSS of a process that only serves, and (with --train) the
 * training wall time of the shipped recipe. Prints a table with the project's targets.
 *
 *   npm run build && npm run bench:runtime -- [--model DIR] [--train] [--json]
 *
 * Latency is measured on the test-split texts, one `classify` call at a time (normalisation,
 * featurisation, forward pass and decision included), after a warm-up, with
 * process.hrtime.bigint around each call. Load time and peak RSS are measured in fresh child
 * processes that import only the runtime module (scripts/bench/runtime-probe.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadModel } from '../src/runtime/model.js';
import { MANIFEST_FILE } from '../src/artifact/manifest.js';
import { readLabelledData } from '../src/data/csv.js';
import { defaultPaths } from '../src/cli/options.js';
import { renderTable } from '../src/cli/table.js';
import { AllinaError } from '../src/util/errors.js';
import { packageRoot } from '../src/util/package-root.js';
import { median, nanosecondsToMicroseconds, nanosecondsToMilliseconds, summariseLatencies, type LatencySummary } from './bench/stats.js';
import { measureFastTextThroughput, type FastTextThroughput } from './bench/fasttext-throughput.js';
import { describeMachine, diskSizeBytes, formatBytes, type MachineDescription } from './bench/system-info.js';

/** The runtime budget (the two-tier issue's acceptance list; artifact and training from the first). */
const TARGETS = {
  medianLatencyMicroseconds: 12,
  p99LatencyMicroseconds: 60,
  throughputQuestionsPerSecond: 60_000,
  loadMilliseconds: 30,
  cliClassifyMilliseconds: 250,
  trainingSeconds: 120,
  artifactBytes: 20e6,
};

const SETTINGS = {
  latencyCalls: 20_000,
  warmupCalls: 2_000,
  inProcessLoads: 7,
  childProcessLoads: 5,
  batchRuns: 5,
  rssPasses: 3,
  cliRuns: 5,
  fastTextRuns: 3,
};

interface RuntimeBenchResult {
  model: string;
  modelVersion: string;
  texts: number;
  machine: MachineDescription;
  load: { inProcessMedianMs: number; inProcessFirstMs: number; freshProcessMedianMs: number; freshProcessImportMedianMs: number };
  latency: LatencySummary;
  batch: { runs: number; questions: number; medianQuestionsPerSecond: number; allQuestionsPerSecond: number[] };
  artifactBytes: number;
  rss: { peakBytes: number | null; nodeBaselineBytes: number | null };
  cli: { nodeMedianMs: number; npxMedianMs: number };
  fastText: FastTextThroughput;
  trainingSeconds: number | null;
  targets: { name: string; value: number | null; unit: string; limit: string; pass: boolean | null }[];
}

const probeScript = fileURLToPath(new URL('./bench/runtime-probe.js', import.meta.url));

function runProbe(args: string[]): Record<string, number> {
  const output = execFileSync(process.execPath, [probeScript, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output.trim().split('\n').pop()!);
}

function measureLoad(directory: string): RuntimeBenchResult['load'] {
  const inProcess: number[] = [];
  for (let run = 0; run < SETTINGS.inProcessLoads; run++) {
    const started = process.hrtime.bigint();
    loadModel(directory);
    inProcess.push(nanosecondsToMilliseconds(process.hrtime.bigint() - started));
  }
  const fresh = Array.from({ length: SETTINGS.childProcessLoads }, () => runProbe(['load', directory]));
  return {
    inProcessMedianMs: median(inProcess),
    inProcessFirstMs: inProcess[0],
    // What a service pays at start-up: importing the runtime module plus reading the artifact.
    freshProcessMedianMs: median(fresh.map((run) => run.importMs + run.loadMs)),
    freshProcessImportMedianMs: median(fresh.map((run) => run.importMs)),
  };
}

function measureLatency(model: ReturnType<typeof loadModel>, texts: string[]): LatencySummary {
  let sink = 0; // Keeps the results alive so no call can be optimised away.
  for (let call = 0; call < SETTINGS.warmupCalls; call++) sink += model.classify(texts[call % texts.length]).confidence;
  const samples = new Float64Array(SETTINGS.latencyCalls);
  for (let call = 0; call < SETTINGS.latencyCalls; call++) {
    const text = texts[call % texts.length];
    const started = process.hrtime.bigint();
    sink += model.classify(text).confidence;
    samples[call] = nanosecondsToMicroseconds(process.hrtime.bigint() - started);
  }
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return summariseLatencies(Array.from(samples));
}

function measureBatch(model: ReturnType<typeof loadModel>, texts: string[]): RuntimeBenchResult['batch'] {
  model.classifyBatch(texts); // warm-up
  const rates: number[] = [];
  for (let run = 0; run < SETTINGS.batchRuns; run++) {
    const started = process.hrtime.bigint();
    model.classifyBatch(texts);
    rates.push(texts.length / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  return { runs: rates.length, questions: texts.length, medianQuestionsPerSecond: median(rates), allQuestionsPerSecond: rates };
}

function measureRss(directory: string, texts: string[]): RuntimeBenchResult['rss'] {
  const scratch = mkdtempSync(join(tmpdir(), 'allina-bench-'));
  try {
    const textsFile = join(scratch, 'texts.json');
    writeFileSync(textsFile, JSON.stringify(texts));
    const result = runProbe(['rss', directory, textsFile, String(SETTINGS.rssPasses)]);
    return { peakBytes: result.peakRssBytes ?? null, nodeBaselineBytes: result.baselinePeakRssBytes ?? null };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * `allina classify "Gdzie jest moja paczka?"` as a fresh process: with node on the built CLI, and
 * through npx as the README runs it (npx adds its own start-up).
 */
function measureCli(): RuntimeBenchResult['cli'] {
  const root = packageRoot();
  const time = (command: string, args: string[]) => {
    const started = process.hrtime.bigint();
    execFileSync(command, args, { cwd: root, stdio: 'ignore' });
    return nanosecondsToMilliseconds(process.hrtime.bigint() - started);
  };
  const question = 'Gdzie jest moja paczka?';
  const cli = join(root, 'dist', 'src', 'cli', 'main.js');
  const node = Array.from({ length: SETTINGS.cliRuns }, () => time(process.execPath, [cli, 'classify', question]));
  const npx = Array.from({ length: SETTINGS.cliRuns }, () => time('npx', ['--no-install', 'allina', 'classify', question]));
  return { nodeMedianMs: median(node), npxMedianMs: median(npx) };
}

/** The shipped recipe with its defaults on data/train, written to a scratch directory. */
async function measureTraining(): Promise<number> {
  const { trainModel } = await import('../src/train/train-model.js');
  const scratch = mkdtempSync(join(tmpdir(), 'allina-bench-train-'));
  try {
    const started = process.hrtime.bigint();
    await trainModel({ dataPaths: [defaultPaths.trainData], outDir: join(scratch, 'model') });
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function judge(result: Omit<RuntimeBenchResult, 'targets'>): RuntimeBenchResult['targets'] {
  const atMost = (value: number | null, limit: number) => (value === null ? null : value <= limit);
  return [
    { name: 'load (fresh process: import + load)', value: result.load.freshProcessMedianMs, unit: 'ms', limit: `≤ ${TARGETS.loadMilliseconds} ms`, pass: atMost(result.load.freshProcessMedianMs, TARGETS.loadMilliseconds) },
    { name: 'single classify, median', value: result.latency.medianMicroseconds, unit: 'µs', limit: `≤ ${TARGETS.medianLatencyMicroseconds} µs`, pass: atMost(result.latency.medianMicroseconds, TARGETS.medianLatencyMicroseconds) },
    { name: 'single classify, p99', value: result.latency.p99Microseconds, unit: 'µs', limit: `≤ ${TARGETS.p99LatencyMicroseconds} µs`, pass: atMost(result.latency.p99Microseconds, TARGETS.p99LatencyMicroseconds) },
    { name: 'classifyBatch throughput', value: result.batch.medianQuestionsPerSecond, unit: 'q/s', limit: `≥ ${TARGETS.throughputQuestionsPerSecond.toLocaleString('en')} q/s`, pass: result.batch.medianQuestionsPerSecond >= TARGETS.throughputQuestionsPerSecond },
    { name: 'allina classify, fresh process', value: result.cli.nodeMedianMs, unit: 'ms', limit: `≤ ${TARGETS.cliClassifyMilliseconds} ms`, pass: atMost(result.cli.nodeMedianMs, TARGETS.cliClassifyMilliseconds) },
    { name: 'artifact size', value: result.artifactBytes, unit: 'B', limit: `≤ ${formatBytes(TARGETS.artifactBytes)}`, pass: atMost(result.artifactBytes, TARGETS.artifactBytes) },
    { name: 'training wall time', value: result.trainingSeconds, unit: 's', limit: `≤ ${TARGETS.trainingSeconds} s`, pass: atMost(result.trainingSeconds, TARGETS.trainingSeconds) },
  ];
}

function render(result: RuntimeBenchResult): string {
  const number = (value: number | null, digits: number) => (value === null || !Number.isFinite(value) ? '-' : value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
  const verdict = (pass: boolean | null) => (pass === null ? 'not run' : pass ? 'pass' : 'FAIL');
  const [load, medianLatency, p99Latency, throughput, cli, size, training] = result.targets;
  const rows: string[][] = [
    ['load, fresh process (import + load, median of 5)', `${number(result.load.freshProcessMedianMs, 1)} ms`, load.limit, verdict(load.pass)],
    ['  of which importing the runtime module', `${number(result.load.freshProcessImportMedianMs, 1)} ms`, '', ''],
    [`load, in process (median of ${SETTINGS.inProcessLoads}; first ${number(result.load.inProcessFirstMs, 1)} ms)`, `${number(result.load.inProcessMedianMs, 1)} ms`, '', ''],
    [`single classify, median (${result.latency.calls.toLocaleString('en')} calls)`, `${number(result.latency.medianMicroseconds, 1)} µs`, medianLatency.limit, verdict(medianLatency.pass)],
    ['single classify, p99', `${number(result.latency.p99Microseconds, 1)} µs`, p99Latency.limit, verdict(p99Latency.pass)],
    ['single classify, p90 / max', `${number(result.latency.p90Microseconds, 1)} / ${number(result.latency.maxMicroseconds, 0)} µs`, '', ''],
    [`classifyBatch throughput (median of ${result.batch.runs} × ${result.batch.questions})`, `${number(result.batch.medianQuestionsPerSecond, 0)} q/s`, throughput.limit, verdict(throughput.pass)],
    ['  fastText on the same texts, same run', result.fastText.questionsPerSecond === null ? 'not measured' : `${number(result.fastText.questionsPerSecond, 0)} q/s`, '', ''],
    ['`allina classify "…"`, fresh process (node dist/…/main.js, median of 5)', `${number(result.cli.nodeMedianMs, 0)} ms`, cli.limit, verdict(cli.pass)],
    ['  the same through `npx allina classify` (npx start-up included)', `${number(result.cli.npxMedianMs, 0)} ms`, '', ''],
    ['artifact size on disk', formatBytes(result.artifactBytes), size.limit, verdict(size.pass)],
    ['peak RSS, serving process (VmHWM)', formatBytes(result.rss.peakBytes), '', ''],
    ['  bare Node process before import', formatBytes(result.rss.nodeBaselineBytes), '', ''],
    ['training wall time (trainModel defaults, data/train)', result.trainingSeconds === null ? 'pass --train' : `${number(result.trainingSeconds, 1)} s`, training.limit, verdict(training.pass)],
  ];
  return [
    `model ${result.model} (${result.modelVersion}); ${result.texts} test-split texts`,
    `machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, Linux ${result.machine.kernel}, Node ${result.machine.node}`,
    '',
    renderTable(['measurement', 'value', 'target', 'result'], rows),
    '',
    result.fastText.note,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: defaultPaths.model },
      train: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const directory = resolve(values.model!);
  if (!existsSync(join(directory, MANIFEST_FILE))) {
    process.stderr.write(`bench-runtime: no model at ${directory} (run \`npm run train:default\` first, or pass --model DIR)\n`);
    process.exit(1);
  }
  const model = loadModel(directory);
  const texts = readLabelledData([defaultPaths.testData]).map((example) => example.text);
  if (texts.length === 0) throw new AllinaError(`no test texts in ${defaultPaths.testData}`);
  if (!values.json) process.stderr.write(`measuring ${directory} …\n`);

  const measured = {
    model: directory,
    modelVersion: model.manifest.modelVersion,
    texts: texts.length,
    machine: describeMachine(),
    load: measureLoad(directory),
    latency: measureLatency(model, texts),
    batch: measureBatch(model, texts),
    artifactBytes: diskSizeBytes(directory),
    rss: measureRss(directory, texts),
    cli: measureCli(),
    fastText: measureFastTextThroughput(readLabelledData([defaultPaths.trainData]), texts, SETTINGS.fastTextRuns),
    trainingSeconds: null as number | null,
  };
  if (values.train) {
    if (!values.json) process.stderr.write('training on data/train with the defaults (about a minute) …\n');
    measured.trainingSeconds = await measureTraining();
  }
  const result: RuntimeBenchResult = { ...measured, targets: judge(measured) };
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${render(result)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof AllinaError) {
    process.stderr.write(`bench-runtime: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  throw error;
});
