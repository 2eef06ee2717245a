import { InvalidArgumentError, type Command } from 'commander';
import type { LogSummary } from '../logs/aggregate.js';
import { aggregateLogs } from '../logs/evidence.js';
import { DEFAULT_MEMORY_LIMIT, type EngineOptions } from '../logs/engine.js';
import type { LogVocabulary } from '../logs/sql.js';
import { buildLogReport, type DeflectionCounts, type LogReport } from '../report/logs-report.js';
import { renderLogReportHtml } from '../report/logs-report-html.js';
import { loadModel } from '../runtime/model.js';
import { assertCreatable, writeFileAtomic } from '../util/atomic-write.js';
import { UsageError } from '../util/errors.js';
import { defaultPaths, parsePositiveInteger } from './options.js';
import { Progress } from './progress.js';
import { formatPercent, plural, renderTable } from './table.js';

/** Adds the engine's limits (--memory-limit, --temp-dir, --threads) to a command that reads logs. */
export function addEngineOptions(command: Command): Command {
  return command
    .option('--memory-limit <size>', `memory the log engine (DuckDB) may use before it spills to disk, e.g. 500MB or 2GB`, parseMemoryLimit, DEFAULT_MEMORY_LIMIT)
    .option('--temp-dir <dir>', 'where the log engine keeps its working files (default: the system temporary directory)')
    .option('--threads <n>', 'log engine threads (default: one per core)', parsePositiveInteger);
}

function parseMemoryLimit(value: string): string {
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(value.trim())) throw new InvalidArgumentError('expected a size such as 500MB or 2GB');
  return value.trim();
}

/** The engine options of a parsed command. */
export function engineOptions(options: { memoryLimit?: string; tempDir?: string; threads?: number }): EngineOptions {
  return { memoryLimit: options.memoryLimit, tempDirectory: options.tempDir, threads: options.threads };
}

/** Intents and languages the log checks accept: the model's. */
export function modelVocabulary(modelDirectory: string): LogVocabulary {
  const { manifest } = loadModel(modelDirectory);
  return { intents: new Set(manifest.intents), languages: new Set(manifest.languages) };
}

/** Either raw logs or aggregates (or both) must be given: a usage error otherwise. */
export function requireLogSource(options: { logs?: string[]; aggregates?: string[] }): void {
  if (!options.logs?.length && !options.aggregates?.length) throw new UsageError('give --logs (JSON Lines logs or directories) or --aggregates (files written by allina logs aggregate)');
}

/**
 * Skipped log lines go to standard error, one line each, so a job's log shows them; when only
 * the first ones per file were listed, a last line says how many more there were.
 */
export function reportSkippedLines(summary: Pick<LogSummary, 'skipped' | 'skippedLines'>, write: (line: string) => void = (line) => process.stderr.write(line)): void {
  for (const line of summary.skipped) write(`allina: skipped ${line.file}${line.line ? `:${line.line}` : ''}: ${line.problem}\n`);
  if (summary.skippedLines > summary.skipped.length) write(`allina: … and ${summary.skippedLines - summary.skipped.length} more bad lines skipped (the first of each file are listed)\n`);
}

function describeSource(summary: LogSummary): string {
  const extras = [
    summary.duplicateIds ? `${plural(summary.duplicateIds, 'repeated id')} counted once` : '',
    summary.outcomesWithoutDecision ? `${plural(summary.outcomesWithoutDecision, 'outcome')} without decision` : '',
  ].filter(Boolean);
  return `${plural(summary.events, 'event')} from ${plural(summary.files.length, 'file')}; ${plural(summary.skippedLines, 'line')} skipped${extras.length ? `; ${extras.join(', ')}` : ''}`;
}

const rate = (value: number | null) => (value === null ? '-' : formatPercent(value));
const countRow = (counts: DeflectionCounts) => [counts.questions, rate(counts.deflection), rate(counts.escalationAfterAnswer), rate(counts.abstention), counts.accepted, counts.noFeedback, counts.escalated, counts.abstained];
const COUNT_HEADER = ['questions', 'deflection', 'escalated after answer', 'abstention', 'accepted', 'no feedback', 'escalated', 'abstained'];

/** The report for people (`allina report` without --json / --html). */
export function formatLogReport(report: LogReport, segmentRows = 25): string {
  const sections: string[] = [];
  const totals = report.totals;
  sections.push(
    [
      `${report.source.events} questions, ${report.from ?? '-'} to ${report.to ?? '-'}`,
      `  deflection ${rate(totals.deflection)} (answered and accepted ${totals.accepted}, answered with no feedback ${totals.noFeedback})`,
      `  escalated after an answer ${rate(totals.escalationAfterAnswer)} (${totals.escalated} of ${totals.answered} answers)`,
      `  abstention ${rate(totals.abstention)} (${totals.abstained} questions went to the seller)`,
    ].join('\n'),
  );
  sections.push(`by ${report.by}\n${renderTable([report.by, ...COUNT_HEADER], report.byPeriod.map((row) => [row.period, ...countRow(row)]))}`);
  const segments = report.bySegment.slice(0, segmentRows);
  const more = report.bySegment.length - segments.length;
  sections.push(`by intent × language × model version${more > 0 ? ` (largest ${segments.length}; ${more} more in --json / --html)` : ''}\n${renderTable(['intent', 'lang', 'model version', ...COUNT_HEADER], segments.map((row) => [row.intent, row.language, row.modelVersion, ...countRow(row)]))}`);
  if (report.abstentionReasons.length) sections.push(`abstention reasons\n${renderTable(['reason', 'questions'], report.abstentionReasons.map((row) => [row.reason, row.count]))}`);
  const clip = (text: string) => (text.length > 70 ? `${text.slice(0, 69)}…` : text).replace(/\s+/g, ' ');
  sections.push(`top abstained questions\n${renderTable(['times', 'lang', 'intent', 'reason', 'question'], report.topAbstained.map((question) => [question.count, question.language, question.intent, question.reason ?? '', clip(question.text)]))}`);
  sections.push(`top escalated questions\n${renderTable(['times', 'lang', 'intent', 'question'], report.topEscalated.map((question) => [question.count, question.language, question.intent, clip(question.text)]))}`);
  return sections.join('\n\n');
}

export function registerLogCommands(program: Command): void {
  const logs = program.command('logs').description('work with outcome logs at scale (aggregate them for review and retrain)');
  addEngineOptions(
    logs
      .command('aggregate')
      .description('count outcome logs per exact question text into one Parquet file that review and retrain read with --aggregates')
      .option('--logs <paths...>', 'outcome logs (JSON Lines, v1 and v2 lines) or directories of *.jsonl')
      .option('--aggregates <files...>', 'earlier aggregates to add in (e.g. yesterday’s)')
      .requiredOption('--out <file>', 'Parquet file to write (replaced atomically)')
      .option('--model <dir>', 'model whose intents and languages the log checks accept', defaultPaths.model)
      .option('--json', 'print the outcome as one JSON object'),
  )
    .addHelpText('after', `
One row per exact question text: events, answered, accepted, no_feedback, escalated, not_shown,
labelled, first_seen, last_seen, and 'breakdown' (counts per language × model version × decision
× outcome × label). Version 2 decision lines are joined with their outcome lines by id; repeated
ids count once; bad lines are skipped and reported (file:line) on standard error.

Examples:
  $ allina logs aggregate --logs logs/ --out aggregates/2026-w48.parquet
  $ allina review --aggregates aggregates/ --out review.csv --limit 300
  $ allina logs aggregate --logs logs/today/ --aggregates aggregates/week.parquet --out aggregates/week.parquet`)
    .action(async (options) => {
      requireLogSource(options);
      assertCreatable(options.out);
      const vocabulary = modelVocabulary(options.model);
      const progress = new Progress();
      progress.update('reading logs');
      const { summary, questions } = await aggregateLogs({ logPaths: options.logs, aggregateFiles: options.aggregates, engine: engineOptions(options) }, options.out, vocabulary);
      progress.succeed(`${options.out}: ${plural(questions, 'distinct question')}`);
      reportSkippedLines(summary);
      if (options.json) process.stdout.write(`${JSON.stringify({ out: options.out, questions, events: summary.events, lines: summary.lines, skipped: summary.skippedLines, duplicateIds: summary.duplicateIds, outcomesWithoutDecision: summary.outcomesWithoutDecision, noFeedback: summary.noFeedback })}\n`);
      else process.stdout.write(`${options.out}: ${plural(questions, 'distinct question')} (${describeSource(summary)})\n`);
    });

  addEngineOptions(
    program
      .command('report')
      .description('deflection, escalation after an answer and abstention from outcome logs: by day or week, by intent × language × model version, top questions')
      .requiredOption('--logs <paths...>', 'outcome logs (JSON Lines, v1 and v2 lines) or directories of *.jsonl')
      .option('--by <period>', 'group by day or week (UTC; weeks start on Monday)', (value: string) => {
        if (value !== 'day' && value !== 'week') throw new InvalidArgumentError("expected 'day' or 'week'");
        return value;
      }, 'day')
      .option('--top <n>', 'how many top abstained and top escalated questions', parsePositiveInteger, 20)
      .option('--html <file>', 'also write the report as one self-contained HTML file with charts')
      .option('--model <dir>', 'model whose intents and languages the log checks accept', defaultPaths.model)
      .option('--json', 'print the report as one JSON object'),
  )
    .addHelpText('after', `
deflection = answered and accepted (or answered, no feedback) / all questions
escalated after an answer = escalated / answered;  abstention = not answered / all questions
Version 2 decisions without an outcome line count as 'no feedback' when answered (shown apart)
and as abstained when not. Bad lines are skipped and reported (file:line) on standard error.

Examples:
  $ allina report --logs logs/
  $ allina report --logs logs/ --by week --html reports/deflection.html
  $ allina report --logs logs/ --json | jq .totals`)
    .action(async (options) => {
      if (options.html) assertCreatable(options.html);
      const progress = new Progress();
      progress.update('reading logs');
      const { report, summary } = await buildLogReport(options.logs, modelVocabulary(options.model), { by: options.by, top: options.top, engine: engineOptions(options) });
      if (options.html) writeFileAtomic(options.html, await renderLogReportHtml(report, { generatedAt: new Date() }));
      progress.succeed(`${describeSource(summary)}${options.html ? `; ${options.html} written` : ''}`);
      reportSkippedLines(summary);
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else process.stdout.write(`${formatLogReport(report)}\n`);
    });
}
