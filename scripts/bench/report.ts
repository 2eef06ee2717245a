/**
 * Renders a bench run: tables for the terminal and BENCHMARKS.md. The "Reading" section of an
 * existing BENCHMARKS.md (between the reading markers) is kept, so a re-run does not erase the
 * maintainer's interpretation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { formatNumber, formatPercent, renderTable } from '../../src/cli/table.js';
import { SMOKE_ROWS_PER_CELL } from './dataset.js';
import { formatBytes } from './system-info.js';
import type { BenchRun, SystemResult } from './results.js';
import type { GroupView } from '../../src/eval/metrics.js';

const READING_START = '<!-- reading:start -->';
const READING_END = '<!-- reading:end -->';
const READING_TODO = '**TODO (maintainer): the reading of these numbers is written by hand after the final run.**';

interface Table {
  header: string[];
  rows: string[][];
}

const dash = '-';

function count(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : dash;
}

function unavailable(system: SystemResult, columns: number): string[] | null {
  if (system.status === 'ok') return null;
  // The reason is printed below the tables: it is too long for a cell.
  return [system.label, system.status, ...Array.from({ length: columns - 2 }, () => '')];
}

function qualityTable(run: BenchRun): Table {
  const header = ['system', 'accuracy', 'macro-F1', 'threshold (dev)', 'answered precision', 'coverage', '`other` answered', 'answered'];
  const rows = run.systems.map((system) => {
    const skipped = unavailable(system, header.length);
    if (skipped || !system.test || !system.threshold) return skipped ?? [system.label, 'no results', '', '', '', '', '', ''];
    const { abstention } = system.test;
    const threshold = system.threshold.reachable ? formatNumber(system.threshold.threshold) : 'unreachable';
    return [
      system.label,
      formatPercent(system.test.accuracy),
      formatNumber(system.test.macroF1),
      threshold,
      abstention.answered ? formatPercent(abstention.answeredPrecision) : dash,
      formatPercent(abstention.coverage),
      formatPercent(abstention.otherAnswerRate),
      `${abstention.answered} / ${system.test.examples}`,
    ];
  });
  return { header, rows };
}

function openWorldTable(run: BenchRun): Table {
  const header = ['system', 'threshold / familiarity / intent / word familiarity', 'answered precision', 'coverage', '`other` answered', 'worst language `other` answered', 'unsupported-language answered', 'refused as unsupported_language', 'coverage at 95% (oracle)'];
  const rows = run.systems.map((system) => {
    const skipped = unavailable(system, header.length);
    if (skipped || !system.openWorld || !system.threshold) return skipped ?? [system.label, 'no results', '', '', '', '', '', '', ''];
    const open = system.openWorld;
    const supported = open.byLanguageCode.filter((view) => run.languages.includes(view.group));
    const worst = supported.reduce<GroupView | undefined>((worst, view) => (!worst || view.otherAnswerRate > worst.otherAnswerRate ? view : worst), undefined);
    const share = (count: number) => (open.unsupported.questions ? formatPercent(count / open.unsupported.questions) : dash);
    return [
      system.label,
      `${system.threshold.reachable ? formatNumber(system.threshold.threshold) : 'unreachable'} / ${formatNumber(system.minimumFamiliarity ?? 0)} / ${formatNumber(system.minimumIntentFamiliarity ?? 0)} / ${formatNumber(system.minimumWordFamiliarity ?? 0)}`,
      open.abstention.answered ? `${formatPercent(open.abstention.answeredPrecision)} (${open.abstention.answered})` : dash,
      formatPercent(open.abstention.coverage),
      formatPercent(open.abstention.otherAnswerRate),
      worst ? `${formatPercent(worst.otherAnswerRate)} (${worst.group})` : dash,
      share(open.unsupported.answered),
      share(open.unsupported.refusedAsUnsupported),
      open.coverageAt95.reachable ? formatPercent(open.coverageAt95.coverage) : '0% (unreachable)',
    ];
  });
  return { header, rows };
}

function openWorldKindTable(run: BenchRun): Table {
  const kinds = [...new Set(run.systems.flatMap((system) => system.openWorld?.byKind.map((view) => view.group) ?? []))];
  const header = ['system', ...kinds.map((kind) => `${kind}: answered / wrong`)];
  const rows = run.systems.filter((system) => system.openWorld).map((system) => [
    system.label,
    ...kinds.map((kind) => {
      const view = system.openWorld!.byKind.find((entry) => entry.group === kind);
      return view ? `${view.answered} / ${view.answeredWrong} of ${view.examples}` : dash;
    }),
  ]);
  return { header, rows };
}

function perLanguageTable(run: BenchRun): Table {
  const header = ['system', ...run.languages.map((language) => `${language} accuracy / F1`)];
  const rows = run.systems.map((system) => {
    const skipped = unavailable(system, header.length);
    if (skipped || !system.test) return skipped ?? [system.label, ...run.languages.map(() => dash)];
    return [
      system.label,
      ...run.languages.map((language) => {
        const scores = system.test!.perLanguage[language];
        return scores ? `${formatPercent(scores.accuracy)} / ${formatNumber(scores.macroF1)}` : dash;
      }),
    ];
  });
  return { header, rows };
}

function costTable(run: BenchRun): Table {
  const header = ['system', 'training', 'load', 'latency median', 'latency p99', 'batch throughput', 'model on disk', 'peak RSS serving', 'peak RSS training'];
  const rss = (bytes: number | null | undefined, of: 'worker' | 'external' | undefined) => `${formatBytes(bytes)}${of === 'external' ? '*' : ''}`;
  const rows = run.systems.map((system) => {
    const skipped = unavailable(system, header.length);
    if (skipped) return skipped;
    const serving = system.serving;
    return [
      system.label,
      system.training ? `${count(system.training.seconds, 1)} s` : dash,
      serving ? `${count(serving.loadMs, 0)} ms` : dash,
      serving ? `${count(serving.latency.medianMicroseconds, 0)} µs` : dash,
      serving ? `${count(serving.latency.p99Microseconds, 0)} µs` : dash,
      serving ? `${count(serving.throughput.medianQuestionsPerSecond, 0)} q/s` : dash,
      formatBytes(system.modelBytes),
      rss(system.rss?.peakRssBytes, system.rss?.rssOf),
      rss(system.training?.peakRssBytes, system.training?.rssOf),
    ];
  });
  return { header, rows };
}

function markdownTable(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [`| ${table.header.map(escape).join(' | ')} |`, `|${table.header.map(() => ' --- ').join('|')}|`, ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`)].join('\n');
}

/** The tables for the terminal. */
export function renderConsole(run: BenchRun): string {
  const plain = (table: Table) => renderTable(table.header, table.rows);
  return [
    `test split: ${run.data.test} questions; threshold chosen on ${run.data.dev} dev questions for ${formatPercent(run.rule.targetPrecision)} answered precision, margin ${run.rule.margin}${run.smoke ? '  [SMOKE RUN: tiny subset, not a result]' : ''}`,
    '',
    plain(qualityTable(run)),
    '',
    plain(perLanguageTable(run)),
    '',
    `open-world split: ${run.data.openWorld} questions; cuts chosen on dev + ${run.data.tune} open-world tuning questions`,
    plain(openWorldTable(run)),
    '',
    plain(openWorldKindTable(run)),
    '',
    plain(costTable(run)),
    '* RSS of the fastText process itself (the Node driver is not counted)',
    ...run.systems.filter((system) => system.status !== 'ok').map((system) => `${system.label}: ${system.status} — ${system.reason ?? ''}`),
  ].join('\n');
}

function previousReading(file: string): string | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(READING_START);
  const end = text.indexOf(READING_END);
  return start >= 0 && end > start ? text.slice(start + READING_START.length, end).trim() : null;
}

/** BENCHMARKS.md for `run`, keeping the Reading section of the file it replaces. */
export function renderMarkdown(run: BenchRun, existingFile: string): string {
  const reading = previousReading(existingFile) ?? READING_TODO;
  const runs = run.systems.find((system) => system.serving)?.serving?.throughput.runs ?? 0;
  const baseline = run.systems.find((system) => system.rss?.rssOf === 'worker')?.rss?.workerBaselineBytes;
  const notes = run.systems.map((system) => {
    if (system.status !== 'ok') return `- **${system.label}** — ${system.status}: ${system.reason ?? ''}`;
    const lines = [...(system.training?.notes ?? [])];
    if (system.serving && system.serving.batchAgreement < 1) lines.push(`batch and single answers differ on ${formatPercent(1 - system.serving.batchAgreement)} of the test questions`);
    return `- **${system.label}** (${system.version}): ${lines.join('; ')}`;
  });
  return `# Benchmarks

Allina against NLP.js and fastText on Allina's corpus: every system trains on the same train
split, has its answer cuts chosen on the same dev and open-world tuning splits, and is scored on
the held-out test split and the open-world evaluation split by the same functions (\`src/eval/metrics.ts\`).${run.smoke ? '\n\n> **Smoke run** (`--smoke`): a tiny subset and a few epochs, to check that the script works. These numbers mean nothing.' : ''}

Generated by \`${run.command}\` on ${run.date.slice(0, 10)}. Raw numbers: \`${run.resultsFile}\` (not committed).

## Results

Test split: ${run.data.test} questions (${run.languages.join(', ')}). Answer cuts: chosen on the
${run.data.dev} dev questions plus the ${run.data.tune} open-world tuning questions by \`chooseDecisionCuts\`, the function
Allina's training uses: the lowest confidence at which answered precision reaches
${formatPercent(run.rule.targetPrecision)}, with Allina's margin rule (the top two intents at least ${run.rule.margin} apart), and — for a
system with a familiarity signal — the familiarity cut that keeps the tuning questions' \`other\`
answered at or under its limit with the most coverage; then applied to test.

${markdownTable(qualityTable(run))}

Per language (test):

${markdownTable(perLanguageTable(run))}

### Open world

The open-world split (\`${run.data.openWorldPaths.join(' ')}\`, ${run.data.openWorld} questions; see data/README.md): other businesses'
customer-service questions, questions for the marketplace platform, seller-side messages, fragments
and noise, hard in-domain questions from new writers, and buyer questions in unsupported languages
(scored as \`other\`: never to be answered). Every system's cuts are the ones chosen on dev + the
${run.data.tune} open-world tuning questions (\`${run.data.tunePaths.join(' ')}\`) by \`chooseDecisionCuts\`; systems without a
familiarity or language signal get letters only. "Coverage at 95%" moves the threshold on the split
itself (an oracle) to the lowest value with ≥ 95% answered precision.

${markdownTable(openWorldTable(run))}

By kind (answered / answered wrongly, of all questions of that kind):

${markdownTable(openWorldKindTable(run))}

Cost:

${markdownTable(costTable(run))}

\\* RSS of the fastText process itself; the Node process that drives it is not counted.

## Reading

${READING_START}
${reading}
${READING_END}

## How it was measured

- **Data.** Train and dev: \`${run.data.trainPaths.join(' ')}\`, split with \`stratifiedSplit\` by language × intent,
  seed ${run.data.seed}, dev fraction ${run.data.devFraction} — the split \`trainModel\` makes itself, so Allina's
  own dev set is the bench's (${run.data.train} train / ${run.data.dev} dev questions). Tuning: \`${run.data.tunePaths.join(' ')}\` (${run.data.tune} questions), used
  only to choose cuts. Test: \`${run.data.testPaths.join(' ')}\` (${run.data.test} questions) and open world: \`${run.data.openWorldPaths.join(' ')}\`
  (${run.data.openWorld} questions), never trained or tuned on. Questions in unsupported languages are trained and scored
  as \`other\` for the peers (they have no language class); Allina trains them as its language class \`other\`.
- **Quality.** Accuracy and macro-F1 over the intents of \`data/intents.json\`, overall and per language, counting every
  question (also those the bot would not answer). Abstention view with the dev threshold:
  answered precision (share of answered questions whose intent is right), coverage (right
  answers / questions whose true intent is answerable) and the share of \`other\` questions answered.
  Only questions predicted as an answerable intent (${run.rule.answerableIntents.map((intent) => `\`${intent}\``).join(', ')}) can be answered.
  Where no confidence cut with at least 30 answered questions reaches ${formatPercent(run.rule.targetPrecision)} answered precision on dev,
  the threshold is "unreachable" and the system answers nothing. Messages without any letter
  (emoji, numbers only), with fewer than 3 letters or fewer than 2 words are never answered, for every system, as in Allina's runtime.
- **Each system in its own processes.** Training, timing and RSS each run in a fresh child
  process (\`scripts/bench/worker.ts\`) holding only that system's code.
- **Training**: wall time of the whole training step (Allina: the full \`trainModel\` recipe —
  augmentation, training with early stopping, calibration, writing the artifact).
- **Load**: from the start of loading (library import included) until ready to classify; for
  fastText, from starting the \`fasttext predict-prob\` process until its first answer.
- **Latency**: every test question classified one call at a time, timed with
  \`process.hrtime.bigint\`, after the dev questions as warm-up; three passes over the test set
  (one in a smoke run), each with a freshly loaded model so that no system answers a repeat from
  memory; median and p99 over all calls. Allina: \`model.classify(text)\`
  (normalisation and featurisation included); NLP.js: \`await nlp.process(...)\`; fastText: one line
  written to a persistent \`fasttext predict-prob model.bin - 3\` process and its answer line read
  back — **a round trip through two pipes**, which an in-process call would not pay.
- **Batch throughput**: the whole test set through the batch API (Allina: \`classifyBatch\`;
  NLP.js: a loop of awaited \`process\` calls, it has no batch API; fastText: all lines written at
  once, time to the last answer), median of ${runs} run${runs === 1 ? '' : 's'}, each with a freshly loaded model
  (NLP.js memoises answers per text; a fresh model cannot answer repeats from memory).
- **Model on disk**: the files a service needs (Allina: the artifact directory; NLP.js: the
  exported \`model.nlp\`; fastText: \`model.bin\`).
- **Peak RSS**: VmHWM from \`/proc/PID/status\`. Serving: a process that loads the model and
  classifies the test set once. For the Node systems that is the whole worker process, which
  stood at ${formatBytes(baseline)} before loading the system (Node itself plus the bench's data);
  for fastText the \`fasttext\` process alone. Training: the training process (Allina: Node with
  TensorFlow.js; fastText: the \`fasttext supervised\` process, read every 20 ms while it runs).

Systems and settings:

${notes.join('\n')}

## Machine and versions

- ${run.machine.cpu}, ${run.machine.cores} cores, ${run.machine.memoryGiB} GiB; Linux ${run.machine.kernel}; Node ${run.machine.node}
- load average (1 min) at start ${run.loadAverage.start.toFixed(2)}, at end ${run.loadAverage.end.toFixed(2)} — anything else running on the machine shows up in the timings
${run.systems.filter((system, index, all) => all.findIndex((other) => other.version === system.version) === index).map((system) => `- ${system.version}`).join('\n')}

## Reproduce

\`\`\`sh
${FASTTEXT_PREREQUISITE}
npm ci && npm run build
${run.command}
\`\`\`

\`--smoke\` runs every system but fastText autotune on a tiny subset (${SMOKE_ROWS_PER_CELL.train} questions per language × intent
for training, ${SMOKE_ROWS_PER_CELL.test} for test; 2 epochs for Allina and fastText) in well under a minute; \`--systems allina,fasttext\` runs the systems named;
\`--skip-autotune\` leaves out the fastText autotune run (${run.autotuneSeconds} s budget here, \`--autotune-seconds N\`).
`;
}

const FASTTEXT_PREREQUISITE = 'apt-get install -y fasttext   # fastText is a prerequisite (Debian package); without it the bench skips fastText';
