/**
 * One phase of one system, in a process of its own (started by scripts/bench.ts), so that
 * memory and warm-up of one system never affect another's numbers:
 *
 *   node dist/scripts/bench/worker.js train|measure|rss SYSTEM_ID WORK_DIR AUTOTUNE_SECONDS
 *
 * train    trains on the train split and saves the model; wall time and peak RSS.
 * measure  loads the model (timed), answers every dev question (which also warms it up), then
 *          every test question one call at a time (timed: single-question latency; three passes,
 *          each with a freshly loaded model), then the
 *          whole test set through the batch API, with a freshly loaded model per run (NLP.js
 *          memoises answers per text; a reloaded model cannot serve repeats from memory).
 * rss      loads the model and answers the test set once: the peak RSS of serving.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readDataset, type BenchDataset } from './dataset-file.js';
import { PHASES, systemPaths, type Answer, type MeasurePhaseResult, type Phase, type RssPhaseResult, type TrainPhaseResult } from './phases.js';
import { median, nanosecondsToMicroseconds, summariseLatencies } from './stats.js';
import { findSystem } from './systems.js';
import { peakRssBytes } from './system-info.js';
import type { BenchQuestion, BenchSystem, LoadedClassifier, Ranking } from './system.js';


/** Batch runs per system (each on a freshly loaded model); the median is reported. */
const THROUGHPUT_RUNS = { full: 7, smoke: 1 };
// Passes over the test set for single-question latency (each with a freshly loaded model).
const LATENCY_PASSES = 3;

async function classifyOne(classifier: LoadedClassifier, question: BenchQuestion): Promise<Ranking> {
  const answer = classifier.classify(question);
  return answer instanceof Promise ? await answer : answer;
}

async function trainPhase(system: BenchSystem, dataset: BenchDataset, paths: ReturnType<typeof systemPaths>, autotuneSeconds: number): Promise<TrainPhaseResult> {
  rmSync(paths.model, { recursive: true, force: true });
  rmSync(paths.scratch, { recursive: true, force: true });
  mkdirSync(paths.model, { recursive: true });
  mkdirSync(paths.scratch, { recursive: true });
  const started = process.hrtime.bigint();
  const outcome = await system.train({
    train: dataset.train,
    dev: dataset.dev,
    trainPaths: dataset.trainPaths,
    tunePaths: dataset.tunePaths,
    intents: dataset.intents,
    languages: dataset.languages,
    modelDirectory: paths.model,
    scratchDirectory: paths.scratch,
    smoke: dataset.smoke,
    autotuneSeconds,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const external = outcome.externalPeakRssBytes !== undefined;
  return { seconds, peakRssBytes: external ? outcome.externalPeakRssBytes ?? null : peakRssBytes(), rssOf: external ? 'external' : 'worker', notes: outcome.notes };
}

async function measurePhase(system: BenchSystem, dataset: BenchDataset, paths: ReturnType<typeof systemPaths>): Promise<MeasurePhaseResult> {
  const context = { intents: dataset.intents, languages: dataset.languages };
  const loadStarted = process.hrtime.bigint();
  const classifier = await system.load(paths.model, context);
  const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;

  const answerAll = async (questions: BenchQuestion[]): Promise<Answer[]> => {
    const answers: Answer[] = [];
    for (const question of questions) answers.push({ ranking: await classifyOne(classifier, question), ...(classifier.evidence ? { evidence: classifier.evidence(question) } : {}) });
    return answers;
  };
  const dev = await answerAll(dataset.dev);
  const tune = await answerAll(dataset.tune);
  const openWorld = await answerAll(dataset.openWorld);
  const testEvidence = classifier.evidence ? dataset.test.map((question) => classifier.evidence!(question)) : undefined;

  // Each test question once per loaded model: repeats would let a memoising system answer from
  // memory. Several passes, each with a freshly loaded model, so that one noisy moment on a
  // shared machine does not decide the p99.
  const test: Ranking[] = [];
  const latencies: number[] = [];
  const passes = dataset.smoke ? 1 : LATENCY_PASSES;
  let current = classifier;
  for (let pass = 0; pass < passes; pass++) {
    if (pass > 0) current = await system.load(paths.model, context);
    for (const question of dataset.test) {
      const started = process.hrtime.bigint();
      const answer = current.classify(question);
      const ranking = answer instanceof Promise ? await answer : answer;
      latencies.push(nanosecondsToMicroseconds(process.hrtime.bigint() - started));
      if (pass === 0) test.push(ranking);
    }
    await current.close();
  }

  const rates: number[] = [];
  let batchAgreement = 1;
  for (let run = 0; run < (dataset.smoke ? THROUGHPUT_RUNS.smoke : THROUGHPUT_RUNS.full); run++) {
    const fresh = await system.load(paths.model, context);
    const started = process.hrtime.bigint();
    const answers = await fresh.classifyBatch(dataset.test);
    rates.push(dataset.test.length / (Number(process.hrtime.bigint() - started) / 1e9));
    await fresh.close();
    if (run === 0) batchAgreement = answers.filter((ranking, index) => ranking[0]?.intent === test[index][0]?.intent).length / Math.max(1, answers.length);
  }
  return {
    loadMs,
    dev,
    tune,
    test: test.map((ranking, index) => ({ ranking, ...(testEvidence ? { evidence: testEvidence[index] } : {}) })),
    openWorld,
    latency: summariseLatencies(latencies),
    throughput: { runs: rates.length, questions: dataset.test.length, medianQuestionsPerSecond: median(rates), allQuestionsPerSecond: rates },
    batchAgreement,
  };
}

async function rssPhase(system: BenchSystem, dataset: BenchDataset, paths: ReturnType<typeof systemPaths>, workerBaselineBytes: number | null): Promise<RssPhaseResult> {
  const classifier = await system.load(paths.model, { intents: dataset.intents, languages: dataset.languages });
  await classifier.classifyBatch(dataset.test);
  const external = classifier.externalPeakRssBytes !== undefined;
  const peak = external ? classifier.externalPeakRssBytes!() : peakRssBytes();
  await classifier.close();
  return { peakRssBytes: peak, rssOf: external ? 'external' : 'worker', workerBaselineBytes };
}

async function main(): Promise<void> {
  const [phase, systemId, workDirectory, autotuneArgument] = process.argv.slice(2);
  const autotuneSeconds = Number(autotuneArgument);
  if (!PHASES.includes(phase as Phase) || !systemId || !workDirectory || !(autotuneSeconds > 0)) {
    throw new Error(`usage: worker.js ${PHASES.join('|')} SYSTEM_ID WORK_DIR AUTOTUNE_SECONDS`);
  }
  const dataset = readDataset(workDirectory);
  const workerBaselineBytes = peakRssBytes();
  const system = await findSystem(systemId).load();
  const paths = systemPaths(workDirectory, systemId);
  let result: TrainPhaseResult | MeasurePhaseResult | RssPhaseResult;
  if (phase === 'train') result = await trainPhase(system, dataset, paths, autotuneSeconds);
  else if (phase === 'measure') result = await measurePhase(system, dataset, paths);
  else result = await rssPhase(system, dataset, paths, workerBaselineBytes);
  writeFileSync(paths.result(phase as Phase), JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
