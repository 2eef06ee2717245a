import type { Command } from 'commander';
import { readLabelledData } from '../data/csv.js';
import { DataError, UsageError } from '../util/errors.js';
import { assertCreatable } from '../util/atomic-write.js';
import { loadModel } from '../runtime/model.js';
import { evaluateModel } from '../eval/evaluate-model.js';
import { defaultPaths, parseProbability } from './options.js';
import { formatEvaluationReport } from './report.js';
import { Progress } from './progress.js';
import { relative } from 'node:path';

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a model on labelled CSV: accuracy, macro-F1, per intent and language, calibration, abstention')
    .option('--model <dir>', 'model artifact directory', defaultPaths.model)
    .requiredOption('--data <paths...>', 'labelled CSV files or directories (text,lang,intent)')
    .option('--threshold <t>', 'override the confidence threshold stored in the model', parseProbability)
    .option('--margin <m>', 'override the top-two margin stored in the model', parseProbability)
    .option('--json', 'print the full report as one JSON object')
    .option('--report <file>', 'also write an HTML report: charts, confusions, wrong answers; one file that opens offline')
    .option('--compare <dir>', 'with --report: a second model evaluated on the same data, side by side')
    .addHelpText('after', `
Coverage = questions with an answerable intent that the bot answered correctly / all such questions.
Answered precision = correct answers / all answers.

Examples:
  $ allina eval --data data/test
  $ allina eval --model models/mine --data data/test/hu.csv --json > hu-report.json
  $ allina eval --data data/test --report report.html
  $ allina eval --model models/candidates/2026-12-06 --compare models/live/current --data data/test --report compare.html`)
    .action(async (options) => {
      if (options.compare && !options.report) throw new UsageError('--compare needs --report <file> (the comparison is an HTML report)');
      if (options.report) assertCreatable(options.report);
      const model = loadModel(options.model);
      const compared = options.compare ? loadModel(options.compare) : undefined;
      const examples = readLabelledData(options.data);
      // Metrics of nothing ("100% precision on 0 answered") would read as a pass.
      if (examples.length === 0) throw new DataError(options.data.join(', '), undefined, 'no labelled questions to evaluate (only a header?)');
      const report = evaluateModel(model, examples, { threshold: options.threshold, margin: options.margin });
      if (options.report) {
        const progress = new Progress();
        progress.update(`writing ${options.report}`);
        const { writeModelsReport } = await import('../report/eval-report.js');
        const models = [{ directory: options.model, model }, ...(compared ? [{ directory: options.compare, model: compared }] : [])];
        await writeModelsReport(options.report, models.map((entry) => ({ ...entry, directory: relative(process.cwd(), entry.directory) || '.' })), examples, options.data.join(', '), { threshold: options.threshold, margin: options.margin });
        progress.succeed(`report → ${options.report}`);
      }
      if (options.json) process.stdout.write(`${JSON.stringify({ model: model.manifest.modelVersion, threshold: model.policy({ threshold: options.threshold }).threshold, ...(options.report ? { reportFile: options.report } : {}), ...report })}\n`);
      else process.stdout.write(`${formatEvaluationReport(report, `model ${model.manifest.modelVersion} on ${options.data.join(', ')}`)}\n`);
    });
}
