import type { Command } from 'commander';
import { assertModelDestination } from '../artifact/save.js';
import { assertCreatable } from '../util/atomic-write.js';
import { describeEpoch, Progress } from './progress.js';
import { readLabelledData } from '../data/csv.js';
import { duplicateKey } from '../data/near-duplicates.js';
import type { SkippedLine } from '../learning/events.js';
import { readLogEvidence } from '../logs/evidence.js';
import { addEngineOptions, engineOptions, reportSkippedLines, requireLogSource } from './logs.js';
import { buildReviewQueue, writeReviewCsv } from '../learning/review.js';
import { readReviewedStream } from '../logs/reviewed-stream.js';
import { readHoldout, retrainModel } from '../learning/retrain.js';
import { RETRAIN_DEFAULTS } from '../learning/retrain-set.js';
import { compareModels, type GateReport } from '../learning/gate.js';
import { currentVersion, promoteModel, rollbackModel } from '../learning/registry.js';
import { loadModel } from '../runtime/model.js';
import { expandPaths } from '../util/expand-paths.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { AllinaError, UsageError } from '../util/errors.js';
import { existsSync } from 'node:fs';
import { DEFAULT_REVIEW_PORT, parsePort } from '../review-ui/options.js';
import type { LabelInBrowserOptions } from '../review-ui/label-in-browser.js';
import { writeTopicReview } from './discover.js';
import { defaultPaths, parsePositiveInteger, parseProbability } from './options.js';
import { formatNumber, formatPercent, plural, renderTable } from './table.js';

/** `review --ui`, loaded only when asked for: the server's dependencies cost other commands nothing. */
async function labelInBrowser(settings: LabelInBrowserOptions): Promise<void> {
  await (await import('../review-ui/label-in-browser.js')).labelInBrowser(settings);
}

/** Skipped log lines go to standard error, one line each, so a job's log shows them. */
function reportSkipped(skipped: SkippedLine[]): void {
  for (const line of skipped) process.stderr.write(`allina: skipped ${line.file}${line.line ? `:${line.line}` : ''}: ${line.problem}\n`);
}

/** 'ok' or 'FAIL', with how often the candidate was lower when a drop past the limit was tested. */
function gateResult(check: GateReport['checks'][number]): string {
  const result = check.passed ? 'ok' : 'FAIL';
  return check.shareOfDrawsLower === undefined ? result : `${result} (lower in ${formatPercent(check.shareOfDrawsLower)} of bootstrap draws)`;
}

function formatGateReport(report: GateReport): string {
  const value = (name: string, number: number) => (/answered|accuracy/.test(name) ? formatPercent(number) : formatNumber(number));
  const table = renderTable(
    ['check', `current ${report.current}`, `candidate ${report.candidate}`, 'rule', 'result'],
    report.checks.map((check) => [check.name, value(check.name, check.current), value(check.name, check.candidate), check.rule, gateResult(check)]),
  );
  return `${table}\n\ngate: ${report.passed ? 'PASSED' : 'REJECTED'} (${report.testQuestions} test questions, ${report.holdoutQuestions} held-out log questions)`;
}

/** The gate, then promotion if it passes; exit code 1 and `current` untouched if it does not. */
function gateAndPromote(candidateDirectory: string, currentPointer: string, report: GateReport | undefined, reportFile: string | undefined, json = false): void {
  if (report) {
    if (!json) process.stdout.write(`${formatGateReport(report)}\n`);
    if (reportFile) writeFileAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    if (!report.passed) {
      if (json) process.stdout.write(`${JSON.stringify({ promoted: false, current: currentPointer, gate: report })}\n`);
      throw new AllinaError(`candidate ${report.candidate} rejected by the promotion gate; ${currentPointer} unchanged`);
    }
  }
  const { version, previous } = promoteModel(candidateDirectory, currentPointer);
  if (json) process.stdout.write(`${JSON.stringify({ promoted: true, current: currentPointer, version, previous, ...(report ? { gate: report } : {}) })}\n`);
  else process.stdout.write(`promoted ${version} → ${currentPointer}${previous ? ` (previous: ${previous}; undo with allina rollback --current ${currentPointer})` : ' (first version in this store)'}\n`);
}

export function registerLearningCommands(program: Command): void {
  addEngineOptions(program
    .command('review')
    .description('build the review queue: escalated and abstained questions most worth a human label first (--ui: label it in the browser; --topics: label whole topics)')
    .option('--logs <paths...>', 'escalation logs (JSON Lines, v1 and v2 lines) or directories of *.jsonl (required unless --aggregates or --topics is given or --ui labels an existing --out)')
    .option('--aggregates <files...>', 'log aggregates (Parquet, from allina logs aggregate) instead of, or besides, --logs')
    .option('--topics <file>', 'instead of --logs: a topics CSV from allina discover with some labels filled; every question of a labelled topic gets its label')
    .option('--assignments <file>', 'with --topics: its assignments CSV (default: topics.csv → topics.assignments.csv)')
    .requiredOption('--out <file>', 'review CSV to write; fill its empty "label" column')
    .option('--model <dir>', 'model whose guesses are prefilled', defaultPaths.model)
    .option('--reviewed <files...>', 'earlier review CSVs (or directories of them): questions labelled there are not asked again')
    .option('--data <paths...>', 'labelled corpus: questions already in it are not asked again (default: data/train and data/test)')
    .option('--limit <n>', 'at most this many questions', parsePositiveInteger)
    .option('--json', 'print the outcome as one JSON object')
    .option('--ui', 'label --out in the browser: a page on 127.0.0.1, one question at a time, keyboard only; each label saved at once')
    .option('--port <n>', 'with --ui: port on 127.0.0.1 (0 = any free port)', parsePort, DEFAULT_REVIEW_PORT)
    .addHelpText('after', `
Questions are de-duplicated after normalisation (count = how often asked) and ranked by
uncertainty (small margin between the top two intents, escalated after an answer counts extra)
times 1 + ln(count). Malformed log lines are skipped and reported on standard error.

With --ui, the file is labelled in the browser: keys 1–9 and - pick an intent (the model's
guesses first), 0 = other, s = skip, u = undo. Each label is written to the file at once; the
next start resumes after the last labelled question.

With --topics, a whole topic is labelled at once: the rows come with the label filled in.

Examples:
  $ allina review --model models/live/current --logs logs/ --out review-2026-11.csv --limit 300
  $ allina review --aggregates aggregates/2026-w48.parquet --out review-w48.csv
  $ allina review --model models/live/current --logs logs/ --out review-2026-11.csv --ui   # build, then label
  $ allina review --model models/live/current --out review-2026-11.csv --ui                # resume labelling
  $ allina review --topics topics.csv --out review-topics.csv                              # after allina discover`))
    .action(async (options) => {
      const fromLogs = Boolean(options.logs?.length || options.aggregates?.length);
      if (options.topics && fromLogs) throw new UsageError('review takes --topics instead of --logs/--aggregates, not with them');
      const resumeLabelling = options.ui && !fromLogs && !options.topics;
      if (!resumeLabelling && !fromLogs && !options.topics) throw new UsageError('give --logs (JSON Lines logs or directories), --aggregates (files written by allina logs aggregate) or --topics (from allina discover), or --ui to label an existing --out');
      if (options.ui && !resumeLabelling && existsSync(options.out)) throw new UsageError(`${options.out} already exists and may hold labels: resume with 'allina review --ui --out ${options.out}' (without --logs), or choose a new --out`);
      if (!resumeLabelling) assertCreatable(options.out);
      const model = loadModel(options.model);
      if (resumeLabelling) {
        await labelInBrowser({ file: options.out, model, port: options.port, json: options.json === true });
        return;
      }
      const intents = new Set(model.manifest.intents);
      const languages = new Set(model.manifest.languages);
      const labelledKeys = new Set<string>();
      for (const example of readLabelledData(options.data ?? [defaultPaths.trainData, defaultPaths.testData])) labelledKeys.add(duplicateKey(example.text));
      const reviewed = await readReviewedStream(expandPaths(options.reviewed ?? [], '.csv'), intents, languages);
      reportSkipped(reviewed.skipped);
      for (const question of reviewed.reviewed) labelledKeys.add(duplicateKey(question.text));
      if (options.topics) {
        const written = writeTopicReview(model, options.topics, options.assignments, options.out, labelledKeys);
        if (options.json) process.stdout.write(`${JSON.stringify({ out: options.out, ...written })}\n`);
        else process.stdout.write(`${options.out}: ${plural(written.questions, 'labelled question')} from ${plural(written.topics, 'labelled topic')} (${written.skippedLabelled} already labelled elsewhere left out)\n`);
        if (options.ui) await labelInBrowser({ file: options.out, model, port: options.port, json: options.json === true });
        return;
      }
      const logs = await readLogEvidence({ logPaths: options.logs, aggregateFiles: options.aggregates, engine: engineOptions(options) }, { intents, languages }, { review: true });
      reportSkippedLines(logs.summary);
      const queue = buildReviewQueue(model, logs.events, { limit: options.limit, labelledKeys });
      writeReviewCsv(options.out, queue);
      if (options.json) process.stdout.write(`${JSON.stringify({ out: options.out, questions: queue.length, events: logs.summary.events, skipped: logs.summary.skippedLines + reviewed.skipped.length })}\n`);
      else process.stdout.write(`${options.out}: ${plural(queue.length, 'question')} to review (from ${plural(logs.summary.events, 'event')}; ${plural(logs.summary.skippedLines, 'line')} skipped)\n`);
      if (options.ui) await labelInBrowser({ file: options.out, model, port: options.port, json: options.json === true });
    });

  addEngineOptions(program
    .command('retrain')
    .description('train a candidate on the corpus + reviewed labels + confident accepted answers, then run the promotion gate')
    .requiredOption('--model <dir>', 'the current model (its recipe is reused; the gate compares against it)')
    .option('--logs <paths...>', 'escalation logs (JSON Lines, v1 and v2 lines) or directories of *.jsonl')
    .option('--aggregates <files...>', 'log aggregates (Parquet, from allina logs aggregate) instead of, or besides, --logs')
    .requiredOption('--out <dir>', 'candidate artifact directory to write: must not exist, or hold a model and --force be given')
    .option('--force', 'replace the model already in --out')
    .option('--data <paths...>', 'base training corpus (default: data/train)')
    .option('--test <paths...>', 'fixed test split, never trained on (default: data/test)')
    .option('--reviewed <files...>', 'review CSVs (or directories of them) with the label column filled in (gold labels)')
    .option('--weak-floor <p>', 'accepted answers at or above this confidence become weak positives', parseProbability, RETRAIN_DEFAULTS.weakConfidenceFloor)
    .option('--weak-weight <w>', 'loss weight of a weak positive (gold = 1)', parseProbability, RETRAIN_DEFAULTS.weakWeight)
    .option('--holdout <fraction>', 'share of reviewed questions held out for the gate', parseProbability, RETRAIN_DEFAULTS.holdoutFraction)
    .option('--promote <current>', 'if the gate passes, promote the candidate to this version pointer (e.g. models/live/current)')
    .option('--report <file>', 'also write the gate report as JSON here')
    .option('--json', 'print the retrain report (and the promotion, with --promote) as JSON, one object a line')
    .addHelpText('after', `
Rules: an escalated answer is never a positive for the intent that was answered; log questions
that duplicate a test row (after normalisation) are dropped and counted; the same question is
added once however often it was logged; same inputs + same seed → same candidate.
The candidate directory also gets holdout.csv and retrain-report.json.

Example (a weekly cron job):
  $ allina retrain --model models/live/current --logs logs/ --reviewed reviews/*.csv \\
      --out models/candidates/$(date +%F) --promote models/live/current`))
    .action(async (options) => {
      requireLogSource(options);
      assertModelDestination(options.out, options.force === true);
      const progress = new Progress();
      progress.update('reading data and logs');
      let outcome;
      try {
        outcome = await retrainModel({
          currentModel: options.model,
          dataPaths: options.data ?? [defaultPaths.trainData],
          testPaths: options.test ?? [defaultPaths.testData],
          tuningPaths: [defaultPaths.tuneData],
          logPaths: options.logs ?? [],
          aggregateFiles: options.aggregates,
          engine: engineOptions(options),
          reviewedFiles: options.reviewed ?? [],
          outDir: options.out,
          retrainSet: { weakConfidenceFloor: options.weakFloor, weakWeight: options.weakWeight, holdoutFraction: options.holdout },
          onEpoch: (epoch) => progress.update(describeEpoch(epoch)),
        });
        progress.succeed(`candidate ${outcome.report.candidate} → ${options.out}`);
      } catch (error) {
        progress.fail('retraining failed');
        throw error;
      }
      const { report } = outcome;
      reportSkipped(report.skipped);
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        const counts = report.counts;
        process.stdout.write(`added ${counts.goldQuestions} reviewed + ${counts.weakQuestions} weak questions; held out ${counts.holdoutQuestions}; dropped ${counts.droppedTestDuplicates} test duplicates, ${counts.droppedCorpusDuplicates} already in the corpus, ${counts.conflictingLabels} with conflicting labels; ${counts.escalatedNotUsedAsPositive} escalated answers not used as positives; ${report.skipped.length} log/review lines skipped\n`);
      }
      if (options.promote) gateAndPromote(options.out, options.promote, report.gate, options.report, options.json === true);
      else {
        if (!options.json) process.stdout.write(`${formatGateReport(report.gate)}\n`);
        if (options.report) writeFileAtomic(options.report, `${JSON.stringify(report.gate, null, 2)}\n`);
      }
    });

  program
    .command('promote')
    .description('compare a candidate with the current model and switch the current pointer only if the gate passes')
    .requiredOption('--candidate <dir>', 'candidate model directory')
    .requiredOption('--current <pointer>', 'version pointer in a model store, e.g. models/live/current (created on first promotion)')
    .option('--test <paths...>', 'fixed test split both are compared on (default: data/test)')
    .option('--report <file>', 'write the side-by-side report as JSON')
    .option('--json', 'print the outcome (and the gate report) as one JSON object')
    .addHelpText('after', `
Gate: test macro-F1 drops ≤ 0.5 points; no language drops > 2 points; answered precision ≥ the
target; the 'other' answer rate rises ≤ 0.5 points and stays ≤ 1%; accuracy on the candidate's held-out reviewed
log questions (holdout.csv) does not fall. Exit code 1 when rejected, and current is untouched.

Examples:
  $ allina promote --candidate models/default --current models/live/current   # start a store
  $ allina promote --candidate models/candidates/2026-12-06 --current models/live/current --report gate.json`)
    .action((options) => {
      const candidate = loadModel(options.candidate);
      if (currentVersion(options.current) === null) {
        gateAndPromote(options.candidate, options.current, undefined, undefined, options.json === true);
        return;
      }
      const report = compareModels(candidate, loadModel(options.current), readLabelledData(options.test ?? [defaultPaths.testData]), readHoldout(options.candidate));
      gateAndPromote(options.candidate, options.current, report, options.report, options.json === true);
    });

  program
    .command('rollback')
    .description('switch the current pointer back to the version before it')
    .requiredOption('--current <pointer>', 'version pointer in a model store, e.g. models/live/current')
    .option('--json', 'print the outcome as one JSON object')
    .action((options) => {
      const { version, previous } = rollbackModel(options.current);
      if (options.json) process.stdout.write(`${JSON.stringify({ current: options.current, version, previous })}\n`);
      else process.stdout.write(`rolled back ${options.current}: ${previous} → ${version}\n`);
    });
}
