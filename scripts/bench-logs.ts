/**
 * Log benchmark: `allina review` and `allina report` over generated logs of 1, 3 and 10 million
 * events (10 files of 1 million; the smaller sizes read the first 1 and 3 of them), and over one
 * ~2 GB file (the first generated files, concatenated). Each command runs in its own process under /usr/bin/time: wall time and peak RSS
 * (median of --runs runs). Writes the table into BENCHMARKS.md between the log-bench markers.
 *
 *   npm run build && npm run bench:logs -- [--work /tmp/allina-bench-logs] [--runs 3] [--sizes 1,3,10]
 *                                           [--single-gb 2] [--keep] [--no-write]
 *
 * The generated logs (several GB) go under --work and are deleted at the end unless --keep.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTable } from '../src/cli/table.js';
import { loadModel } from '../src/runtime/model.js';
import { generateLogs } from './logs/generator.js';
import { logsSection, LOGS_END, LOGS_START, withLogsSection } from './logs/markdown.js';
import { median } from './bench/stats.js';
import { describeMachine } from './bench/system-info.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const { values } = parseArgs({
  options: {
    work: { type: 'string', default: '/tmp/allina-bench-logs' },
    runs: { type: 'string', default: '3' },
    sizes: { type: 'string', default: '1,3,10' },
    'single-gb': { type: 'string', default: '2' },
    distinct: { type: 'string', default: '300000' },
    keep: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const sizes = values.sizes.split(',').map(Number);
const singleGb = Number(values['single-gb']);
const distinct = Number(values.distinct);
if (!Number.isInteger(runs) || runs < 1 || sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 10) || !(singleGb >= 0) || !Number.isInteger(distinct)) {
  process.stderr.write('bench-logs: --runs N ≥ 1, --sizes from 1..10 (millions), --single-gb ≥ 0, --distinct N\n');
  process.exit(2);
}
if (!existsSync('/usr/bin/time')) {
  process.stderr.write('bench-logs: needs /usr/bin/time (apt-get install time) to measure peak RSS\n');
  process.exit(1);
}

const log = (message: string) => process.stderr.write(`[bench:logs] ${message}\n`);
const gigabytes = (bytes: number) => bytes / 1e9;

interface Measured {
  seconds: number;
  peakRssMb: number;
}

/** One CLI run under /usr/bin/time: wall seconds and peak RSS. Fails loudly if the command fails. */
function measure(args: string[]): Measured {
  const result = spawnSync('/usr/bin/time', ['-f', '@@time %e %M', process.execPath, CLI, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const match = /@@time ([\d.]+) (\d+)/.exec(result.stderr);
  if (result.status !== 0 || !match) throw new Error(`allina ${args.join(' ')} failed (${result.status}): ${result.stderr.split('\n').filter((line) => !line.startsWith('allina: skipped')).slice(-5).join(' | ')}`);
  return { seconds: Number(match[1]), peakRssMb: Number(match[2]) / 1024 };
}

function medianOf(samples: Measured[]): Measured & { runs: number; min: number; max: number } {
  const seconds = samples.map((sample) => sample.seconds);
  return { seconds: median(seconds), peakRssMb: median(samples.map((sample) => sample.peakRssMb)), runs: samples.length, min: Math.min(...seconds), max: Math.max(...seconds) };
}

interface Row {
  label: string;
  files: number;
  events: number;
  gb: number;
  distinctTexts: number;
  review: ReturnType<typeof medianOf>;
  report: ReturnType<typeof medianOf>;
}

function distinctTexts(files: string[], work: string): number {
  const out = join(work, 'count.parquet');
  const result = spawnSync(process.execPath, [CLI, 'logs', 'aggregate', '--logs', ...files, '--out', out, '--json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (result.status !== 0) throw new Error(`logs aggregate failed: ${result.stderr.slice(-500)}`);
  rmSync(out, { force: true });
  return JSON.parse(result.stdout).questions as number;
}

function bench(label: string, files: string[], events: number, work: string): Row {
  const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  log(`${label}: ${events.toLocaleString('en')} events, ${files.length} file(s), ${gigabytes(bytes).toFixed(2)} GB`);
  const reviewRuns: Measured[] = [];
  const reportRuns: Measured[] = [];
  for (let run = 0; run < runs; run++) {
    // Interleaved, so that a slow stretch of a shared machine hits both commands alike.
    reviewRuns.push(measure(['review', '--logs', ...files, '--out', join(work, 'review.csv'), '--limit', '300']));
    log(`  review run ${run + 1}: ${reviewRuns.at(-1)!.seconds} s, ${reviewRuns.at(-1)!.peakRssMb.toFixed(0)} MB`);
    reportRuns.push(measure(['report', '--logs', ...files, '--html', join(work, 'report.html'), '--json']));
    log(`  report run ${run + 1}: ${reportRuns.at(-1)!.seconds} s, ${reportRuns.at(-1)!.peakRssMb.toFixed(0)} MB`);
  }
  let distinctCount = Number.NaN;
  try {
    distinctCount = distinctTexts(files, work);
  } catch (error) {
    log(`  counting distinct texts failed: ${(error as Error).message}`);
  }
  return { label, files: files.length, events, gb: gigabytes(bytes), distinctTexts: distinctCount, review: medianOf(reviewRuns), report: medianOf(reportRuns) };
}

async function main(): Promise<void> {
  const work = resolve(values.work);
  if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const model = loadModel();
  const rows: Row[] = [];
  const started = Date.now();
  const loadBefore = loadavg()[0];
  try {
    const largest = Math.max(...sizes);
    log(`generating ${largest} × 1,000,000 events in ${largest} files (pool of ${distinct.toLocaleString('en')} distinct questions)`);
    const multi = await generateLogs({ outDir: join(work, 'logs'), events: largest * 1_000_000, files: largest, distinct, seed: 1, model, onProgress: (written) => log(`  ${written.toLocaleString('en')} events written`) });
    for (const size of sizes) rows.push(bench(`${size}M events, ${size} file${size === 1 ? '' : 's'}`, multi.files.slice(0, size), size * 1_000_000, work));
    if (singleGb > 0) {
      // One file of at least singleGb: the first generated files, one after the other.
      const single = join(work, 'single', 'escalations.jsonl');
      mkdirSync(join(work, 'single'), { recursive: true });
      let files = 0;
      for (let bytes = 0; bytes < singleGb * 1e9 && files < multi.files.length; files++) {
        await pipeline(createReadStream(multi.files[files]), createWriteStream(single, { flags: 'a' }));
        bytes = statSync(single).size;
      }
      log(`one file of ${gigabytes(statSync(single).size).toFixed(2)} GB from the first ${files} generated files`);
      rows.push(bench(`one file of ${gigabytes(statSync(single).size).toFixed(1)} GB`, [single], files * 1_000_000, work));
    }
  } finally {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  }

  const header = ['logs', 'events', 'size', 'distinct texts', 'review', 'review peak RSS', 'report (+HTML)', 'report peak RSS'];
  const table = rows.map((row) => [
    row.label,
    `${(row.events / 1e6).toFixed(1)}M`,
    `${row.gb.toFixed(2)} GB`,
    row.distinctTexts.toLocaleString('en'),
    `${row.review.seconds.toFixed(0)} s (${row.review.min.toFixed(0)}–${row.review.max.toFixed(0)})`,
    `${row.review.peakRssMb.toFixed(0)} MB`,
    `${row.report.seconds.toFixed(0)} s (${row.report.min.toFixed(0)}–${row.report.max.toFixed(0)})`,
    `${row.report.peakRssMb.toFixed(0)} MB`,
  ]);
  process.stdout.write(`${renderTable(header, table)}\n`);
  const machine = describeMachine();
  const section = `${LOGS_START}
## Logs at scale (\`npm run bench:logs\`)

\`allina review --logs … --limit 300\` and \`allina report --logs … --html …\` over generated logs
(\`scripts/generate-logs.ts\`: questions drawn from \`data/train\` with variations, Zipf-like repeats over a pool of
${distinct.toLocaleString('en')} distinct questions, the shipped model's decisions, half the events as v2
decision/outcome pairs, bad lines sprinkled through). Each command in a fresh process under \`/usr/bin/time\`; wall time
median (min–max) of ${runs} run${runs === 1 ? '' : 's'}, peak RSS median. Events are spread over 10 files of 1M; the 1M and 3M rows read
the first 1 and 3 of them. Targets: 10M events in 10 files, review ≤ 180 s and ≤ 1.5 GB, report ≤ 60 s.

| ${header.join(' | ')} |
|${header.map(() => '---').join('|')}|
${table.map((row) => `| ${row.join(' | ')} |`).join('\n')}

Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; load average ${loadBefore.toFixed(1)} at the start
(the machine is shared: other jobs ran at the same time). Total bench time ${((Date.now() - started) / 60_000).toFixed(0)} min.
Reproduce: \`npm run build && npm run bench:logs\` (writes and then deletes ~6 GB under \`/tmp/allina-bench-logs\`: 10 files of 1M events and one ~2 GB file).
${LOGS_END}`;
  if (!values['no-write']) {
    const file = join(ROOT, 'BENCHMARKS.md');
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
    writeFileSync(file, withLogsSection(current, section));
    log(`wrote the log section of ${file}${logsSection(file) ? '' : ' (appended)'}`);
  } else process.stdout.write(`${section}\n`);
}

await main();
