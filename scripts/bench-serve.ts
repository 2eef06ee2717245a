/**
 * Load benchmark of `allina serve` with autocannon against 127.0.0.1 on this machine:
 *
 *   npm run build && npm run bench:serve -- [--runs 3] [--duration 10] [--connections 64] [--batch 100] [--workers 2] [--write] [--json]
 *
 * Each run starts, as separate processes, (1) the service as users run it
 * (`allina serve --model models/default --log-dir <temp>`: decision logging, metrics and pino
 * request logs on, standard output to /dev/null) and (2) a bare Fastify route returning the same
 * decision without logging (scripts/bench/serve-bare.ts), and (3) an empty Fastify route that
 * does not classify (the HTTP ceiling of the machine), and measures with autocannon:
 *   - single-question POST /v1/classify, `--connections` connections, on all three;
 *   - batch POST /v1/classify with `--batch` questions per request (questions/s);
 *   - classify + feedback pairs (the feedback answered 202 only once synced to disk);
 *   - single questions and batches again with `serve --workers N` (`--workers 1` skips them).
 * Bodies cycle through test-split questions. Reports the median of `--runs` runs (and every run);
 * `--write` puts the table into BENCHMARKS.md between the bench:serve markers.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { readLabelledData } from '../src/data/csv.js';
import { loadModel } from '../src/runtime/model.js';
import { defaultPaths } from '../src/cli/options.js';
import { packageRoot } from '../src/util/package-root.js';
import { median } from './bench/stats.js';
import { describeMachine } from './bench/system-info.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bench/serve-bare.js', import.meta.url));
const MARK_START = '<!-- bench:serve start -->';
const MARK_END = '<!-- bench:serve end -->';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    batch: { type: 'string', default: '100' },
    'batch-connections': { type: 'string', default: '8' },
    workers: { type: 'string', default: '2' },
    write: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const settings = {
  runs: Number(values.runs),
  duration: Number(values.duration),
  connections: Number(values.connections),
  batch: Number(values.batch),
  batchConnections: Number(values['batch-connections']),
  workers: Number(values.workers),
};
for (const [name, value] of Object.entries(settings)) {
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`bench:serve: --${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} must be a whole number ≥ 1, got ${JSON.stringify(value)}\n`);
    process.exit(2);
  }
}

interface Measure {
  requestsPerSecond: number;
  questionsPerSecond: number;
  /** Questions answered per second of CPU the server process used: what one whole core would give, whatever else runs on the machine. */
  questionsPerCpuSecond: number;
  /** Share of one core the server process got. */
  serverCpuShare: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  failed: number;
}

/** Clock ticks per second of /proc/PID/stat times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process has used so far; NaN where /proc is not there. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of a process and its children (the workers of `serve --workers`). */
function treeCpuSeconds(pid: number | undefined): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // no /proc: the process alone
  }
  return cpuSeconds(pid) + children.reduce((sum, child) => sum + cpuSeconds(child), 0);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitReady(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('server did not become ready');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function summarise(result: autocannon.Result, questionsPerRequest: number, durationSeconds: number, serverCpu: number): Measure {
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / durationSeconds,
    questionsPerSecond: (ok * questionsPerRequest) / durationSeconds,
    questionsPerCpuSecond: (ok * questionsPerRequest) / serverCpu,
    serverCpuShare: serverCpu / durationSeconds,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/** Loads the server `server` with autocannon, measuring the CPU the server process used meanwhile. */
async function cannon(server: ChildProcess, options: autocannon.Options, questionsPerRequest: number): Promise<Measure> {
  const before = treeCpuSeconds(server.pid);
  const result = await autocannon(options);
  return summarise(result, questionsPerRequest, result.duration, treeCpuSeconds(server.pid) - before);
}

const json = { 'content-type': 'application/json' };

/** The service's three scenarios, with `workers` worker processes (1 = one process, no cluster). */
async function measureService(texts: string[], workers: number): Promise<{ single: Measure; batch: Measure; feedback: Measure }> {
  const logDir = mkdtempSync(join(tmpdir(), 'allina-bench-serve-'));
  try {
    const port = await freePort();
    const service = spawn(process.execPath, [CLI, 'serve', '--model', defaultPaths.model, '--port', String(port), '--log-dir', logDir, '--max-batch', String(Math.max(settings.batch, 1000)), '--workers', String(workers)], { stdio: ['ignore', 'ignore', 'inherit'] });
    let single: Measure;
    let batch: Measure;
    let feedback: Measure;
    try {
      await waitReady(port, service);
      // /readyz answered by one worker; give the others the moment they need to load the model.
      if (workers > 1) await new Promise((resolve) => setTimeout(resolve, 2000));
      const url = `http://127.0.0.1:${port}/v1/classify`;
      // Warm-up: JIT and connection set-up are not what is measured.
      await cannon(service, { url, method: 'POST', headers: json, connections: settings.connections, duration: Math.min(2, settings.duration), requests: texts.slice(0, 64).map((text) => ({ body: JSON.stringify({ text }) })) }, 1);
      single = await cannon(service, { url, method: 'POST', headers: json, connections: settings.connections, duration: settings.duration, requests: texts.map((text) => ({ body: JSON.stringify({ text }) })) }, 1);
      const batches: string[] = [];
      for (let start = 0; start + settings.batch <= texts.length; start += settings.batch) batches.push(JSON.stringify({ items: texts.slice(start, start + settings.batch).map((text) => ({ text })) }));
      batch = await cannon(service, { url, method: 'POST', headers: json, connections: settings.batchConnections, duration: settings.duration, requests: batches.map((body) => ({ body })) }, settings.batch);
      // Classify, then send feedback for that decision (answered questions only, so every feedback is a 202).
      const model = loadModel(defaultPaths.model);
      const answered = texts.filter((text) => model.classify(text).answer);
      let pairs = 0;
      feedback = await cannon(
        service,
        {
          url,
          method: 'POST',
          headers: json,
          connections: settings.connections,
          duration: settings.duration,
          requests: [
            {
              method: 'POST',
              path: '/v1/classify',
              setupRequest: (request, context) => {
                (context as { n?: number }).n = pairs++;
                return { ...request, body: JSON.stringify({ text: answered[pairs % answered.length] }) };
              },
              onResponse: (_status, body, context) => {
                (context as { decisionId?: string }).decisionId = JSON.parse(body).decisionId;
              },
            },
            {
              method: 'POST',
              path: '/v1/feedback',
              setupRequest: (request, context) => {
                const state = context as { n: number; decisionId: string };
                return { ...request, body: JSON.stringify({ decisionId: state.decisionId, outcome: state.n % 3 === 0 ? 'escalated' : 'accepted' }) };
              },
            },
          ],
        },
        0.5,
      );
    } finally {
      await stop(service);
    }
    return { single, batch, feedback };
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

async function runOnce(texts: string[], run: number): Promise<{ single: Measure; bare: Measure; empty: Measure; batch: Measure; feedback: Measure; workersSingle?: Measure; workersBatch?: Measure }> {
  {
    const { single, batch, feedback } = await measureService(texts, 1);
    const workers = settings.workers > 1 ? await measureService(texts, settings.workers) : undefined;

    const bareRun = async (extra: string[]): Promise<Measure> => {
      const barePort = await freePort();
      const bareServer = spawn(process.execPath, [BARE, String(barePort), defaultPaths.model, ...extra], { stdio: ['ignore', 'ignore', 'inherit'] });
      try {
        await waitReady(barePort, bareServer);
        const url = `http://127.0.0.1:${barePort}/v1/classify`;
        await cannon(bareServer, { url, method: 'POST', headers: json, connections: settings.connections, duration: Math.min(2, settings.duration), requests: texts.slice(0, 64).map((text) => ({ body: JSON.stringify({ text }) })) }, 1);
        return await cannon(bareServer, { url, method: 'POST', headers: json, connections: settings.connections, duration: settings.duration, requests: texts.map((text) => ({ body: JSON.stringify({ text }) })) }, 1);
      } finally {
        await stop(bareServer);
      }
    };
    const bare = await bareRun([]);
    const empty = await bareRun(['--empty']);
    process.stderr.write(`run ${run}: single ${single.requestsPerSecond.toFixed(0)} req/s p99 ${single.p99} ms; bare ${bare.requestsPerSecond.toFixed(0)} req/s; empty route ${empty.requestsPerSecond.toFixed(0)} req/s; batch ${batch.questionsPerSecond.toFixed(0)} questions/s; feedback pairs ${feedback.requestsPerSecond.toFixed(0)} req/s${workers ? `; ${settings.workers} workers: single ${workers.single.requestsPerSecond.toFixed(0)} req/s p99 ${workers.single.p99} ms, batch ${workers.batch.questionsPerSecond.toFixed(0)} questions/s` : ''}\n`);
    return { single, bare, empty, batch, feedback, ...(workers ? { workersSingle: workers.single, workersBatch: workers.batch } : {}) };
  }
}

function medianOf(measures: Measure[]): Measure {
  const pick = (key: keyof Measure) => median(measures.map((measure) => measure[key]));
  return { requestsPerSecond: pick('requestsPerSecond'), questionsPerSecond: pick('questionsPerSecond'), questionsPerCpuSecond: pick('questionsPerCpuSecond'), serverCpuShare: pick('serverCpuShare'), p50: pick('p50'), p90: pick('p90'), p99: pick('p99'), max: pick('max'), requests: pick('requests'), failed: measures.reduce((sum, measure) => sum + measure.failed, 0) };
}

const texts = readLabelledData([defaultPaths.testData]).map((example) => example.text).filter((_, index) => index % 3 === 0).slice(0, 600);
const runs: Awaited<ReturnType<typeof runOnce>>[] = [];
const loadBefore = loadavg()[0];
for (let run = 1; run <= settings.runs; run++) runs.push(await runOnce(texts, run));
const loadAfter = loadavg()[0];
const result = {
  settings,
  machine: describeMachine(),
  single: medianOf(runs.map((run) => run.single)),
  bare: medianOf(runs.map((run) => run.bare)),
  empty: medianOf(runs.map((run) => run.empty)),
  batch: medianOf(runs.map((run) => run.batch)),
  feedback: medianOf(runs.map((run) => run.feedback)),
  ...(settings.workers > 1 ? { workersSingle: medianOf(runs.map((run) => run.workersSingle!)), workersBatch: medianOf(runs.map((run) => run.workersBatch!)) } : {}),
  ratio: median(runs.map((run) => run.single.requestsPerSecond / run.bare.requestsPerSecond)),
  cpuRatio: median(runs.map((run) => run.single.questionsPerCpuSecond / run.bare.questionsPerCpuSecond)),
  loadAverage: { before: loadBefore, after: loadAfter },
  runs,
};

const number = (value: number) => Math.round(value).toLocaleString('en-US');
type Scenario = 'single' | 'bare' | 'empty' | 'batch' | 'feedback' | 'workersSingle' | 'workersBatch';
const all = (key: Scenario, field: keyof Measure) => runs.map((run) => number(run[key]![field])).join(', ');
const share = (measure: Measure) => `${Math.round(measure.serverCpuShare * 100)}%`;
const row = (label: string, key: Scenario, target: string, runsOf: keyof Measure) => {
  const measure = result[key]!;
  return `| ${label} | ${number(measure.requestsPerSecond)} | ${number(measure.questionsPerSecond)} (${all(key, runsOf)}) | ${share(measure)} | ${number(measure.questionsPerCpuSecond)} | ${measure.p50} | ${measure.p90} | ${measure.p99} | ${measure.failed} | ${target} |`;
};
const table = [
  '| scenario | requests/s | questions/s (each run) | server CPU (share of one core; all its processes) | questions per server CPU-second | p50 ms | p90 ms | p99 ms | failed | target |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  row(`single question, ${settings.connections} connections, decision + request logging`, 'single', '≥ 8,000 requests/s, p99 ≤ 25 ms', 'questionsPerSecond'),
  row(`bare Fastify route, same decision, no logging, ${settings.connections} connections`, 'bare', '', 'questionsPerSecond'),
  row(`empty Fastify route (no classification: the HTTP ceiling), ${settings.connections} connections`, 'empty', '', 'questionsPerSecond'),
  row(`batch of ${settings.batch}, ${settings.batchConnections} connections`, 'batch', '≥ 50,000 questions/s', 'questionsPerSecond'),
  row(`classify + feedback pairs (202 after fdatasync), ${settings.connections} connections; questions = pairs`, 'feedback', '', 'questionsPerSecond'),
  ...(settings.workers > 1
    ? [
        row(`single question, \`--workers ${settings.workers}\`, ${settings.connections} connections, decision + request logging`, 'workersSingle', '≥ 8,000 requests/s, p99 ≤ 25 ms', 'questionsPerSecond'),
        row(`batch of ${settings.batch}, \`--workers ${settings.workers}\`, ${settings.batchConnections} connections`, 'workersBatch', '≥ 50,000 questions/s', 'questionsPerSecond'),
      ]
    : []),
].join('\n');
const cpuRatio = result.cpuRatio;
const summary = `Service / bare route: **${(result.ratio * 100).toFixed(0)}%** of its requests/s (median of the per-run ratios), **${(cpuRatio * 100).toFixed(0)}%** of its requests per server CPU-second. Machine load average (1 min) before / after: ${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} (other work on the machine shares its ${result.machine.cores} cores).`;

if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else process.stdout.write(`${table}\n\n${summary}\n`);

if (values.write) {
  const file = join(packageRoot(), 'BENCHMARKS.md');
  const section = `${MARK_START}\n_Generated by \`npm run bench:serve\` on ${new Date().toISOString().slice(0, 10)}: median of ${settings.runs} runs of ${settings.duration} s each (every run in brackets), autocannon ${settings.connections} connections against 127.0.0.1, client and server on this machine (${result.machine.cores} cores, ${result.machine.cpu}, Node ${result.machine.node})._\n\n${table}\n\n${summary}\n${MARK_END}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = current.indexOf(MARK_START);
  const end = current.indexOf(MARK_END);
  const next = start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + MARK_END.length) : `${current.trimEnd()}\n\n## The HTTP service (\`allina serve\`)\n\n${section}\n`;
  writeFileSync(file, next);
}
