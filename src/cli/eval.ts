import type { Command } from 'commander';
import { readLabelledData } from '../data/csv.js';
import { DataError } from '../util/errors.js';
import { loadModel } from '../runtime/model.js';
import { evaluateModel } from '../eval/evaluate-model.js';
import { defaultPaths, parseProbability } from './options.js';
import { formatEvaluationReport } from './report.js';

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a model on labelled CSV: accuracy, macro-F1, per intent and language, calibration, abstention')
    .option('--model <dir>', 'model artifact directory', defaultPaths.model)
    .requiredOption('--data <paths...>', 'labelled CSV files or directories (text,lang,intent)')
    .option('--threshold <t>', 'override the confidence threshold stored in the model', parseProbability)
    .option('--margin <m>', 'override the top-two margin stored in the model', parseProbability)
    .option('--json', 'print the full report as one JSON object')
    .addHelpText('after', `
Coverage = questions with an answerable intent that the bot answered correctly / all such questions.
Answered precision = correct answers / all answers.

Examples:
  $ allina eval --data data/test
  $ allina eval --model models/mine --data data/test/hu.csv --json > hu-report.json`)
    .action((options) => {
      const model = loadModel(options.model);
      const examples = readLabelledData(options.data);
      // Metrics of nothing ("100% precision on 0 answered") would read as a pass.
      if (examples.length === 0) throw new DataError(options.data.join(', '), undefined, 'no labelled questions to evaluate (only a header?)');
      const report = evaluateModel(model, examples, { threshold: options.threshold, margin: options.margin });
      if (options.json) process.stdout.write(`${JSON.stringify({ model: model.manifest.modelVersion, threshold: model.policy({ threshold: options.threshold }).threshold, ...report })}\n`);
      else process.stdout.write(`${formatEvaluationReport(report, `model ${model.manifest.modelVersion} on ${options.data.join(', ')}`)}\n`);
    });
}
