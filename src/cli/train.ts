import type { Command } from 'commander';
import { describeEpoch, Progress } from './progress.js';
import { TRAINING_DEFAULTS } from '../train/recipe.js';
import { importTrainer } from '../train/import-trainer.js';
import { assertModelDestination } from '../artifact/save.js';
import { defaultPaths, parseNonNegativeInteger, parsePositiveInteger, parseProbability } from './options.js';
import { formatNumber, formatPercent, renderTable } from './table.js';

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train, calibrate and export an intent model from labelled CSV files')
    .option('--data <paths...>', 'training CSV files or directories of *.csv; split into train/dev by --seed')
    .option('--test <paths...>', 'held-out test CSV files or directories; evaluated and recorded, never trained on')
    .option('--no-test', 'do not evaluate on a test split')
    .option('--tune <paths...>', 'open-world tuning CSVs: used with dev to choose the threshold and the familiarity cuts, never trained on')
    .option('--no-tune', 'choose the cuts on the corpus dev split alone')
    .requiredOption('--out <dir>', 'artifact directory to write: must not exist, or hold a model and --force be given')
    .option('--force', 'replace the model already in --out (atomically: a crash leaves the old or the new one)')
    .option('--seed <n>', 'seed for the split, initialisation, shuffling and augmentation', parseNonNegativeInteger, TRAINING_DEFAULTS.seed)
    .option('--epochs <n>', 'maximum epochs (early stopping on dev usually stops sooner)', parsePositiveInteger)
    .option('--target-precision <p>', 'answered precision the threshold is chosen for on dev', parseProbability, TRAINING_DEFAULTS.targetPrecision)
    .option('--margin <m>', 'abstain when the top two intents are closer than this', parseProbability, TRAINING_DEFAULTS.margin)
    .option('--dimension <n>', 'embedding dimension', parsePositiveInteger, TRAINING_DEFAULTS.dimension)
    .option('--json', 'print the artifact manifest as one JSON object instead of a summary table')
    .addHelpText('after', `
Data: CSV with a header containing text,lang,intent (extra columns allowed), UTF-8.
Defaults: --data data/train --test data/test --tune data/tune (inside the allina package).
Rows whose lang is an unsupported language (data/intents.json "unsupportedLanguages") train the
language class "other": the model then refuses them with reason unsupported_language.

Examples:
  $ allina train --out models/mine                  # train on data/ into a new directory
  $ allina train --out models/default --force      # retrain the shipped model (npm run train:default)
  $ allina train --data my.csv --no-test --out models/mine
  $ allina train --seed 7 --target-precision 0.98 --out /tmp/strict-model`)
    .action(async (options) => {
      const testPaths: string[] = options.test === false ? [] : Array.isArray(options.test) ? options.test : [defaultPaths.testData];
      const tuningPaths: string[] = options.tune === false ? [] : Array.isArray(options.tune) ? options.tune : [defaultPaths.tuneData];
      assertModelDestination(options.out, options.force === true);
      const progress = new Progress();
      progress.update('reading data');
      try {
        const { trainModel } = await importTrainer();
        const result = await trainModel({
          dataPaths: options.data ?? [defaultPaths.trainData],
          testPaths,
          tuningPaths,
          outDir: options.out,
          seed: options.seed,
          maxEpochs: options.epochs,
          targetPrecision: options.targetPrecision,
          margin: options.margin,
          dimension: options.dimension,
          onEpoch: (epoch) => progress.update(describeEpoch(epoch)),
        });
        const manifest = result.manifest;
        progress.succeed(`trained in ${manifest.training.seconds} s (${manifest.training.epochsRun} epochs, best ${manifest.training.bestEpoch}, backend ${manifest.training.backend}) → ${options.out}`);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(manifest)}\n`);
          return;
        }
        const rows: (string | number)[][] = [];
        for (const [name, metrics] of Object.entries(manifest.metrics)) {
          if (!metrics) continue;
          rows.push([name, metrics.examples, formatPercent(metrics.accuracy), formatNumber(metrics.macroF1), ...manifest.languages.map((language) => formatNumber(metrics.perLanguageMacroF1[language] ?? NaN)), formatPercent(metrics.answeredPrecision), formatPercent(metrics.coverage), formatPercent(metrics.otherAnswerRate)]);
        }
        process.stdout.write(`${renderTable(['split', 'questions', 'accuracy', 'macro-F1', ...manifest.languages.map((language) => `F1 ${language}`), 'answered prec.', 'coverage', 'other answered'], rows)}\n\n`);
        process.stdout.write(`temperature ${formatNumber(manifest.calibration.temperature)} (dev ECE ${formatNumber(manifest.calibration.devEceBefore)} → ${formatNumber(manifest.calibration.devEceAfter)}); threshold ${formatNumber(manifest.decision.threshold)} and familiarity ≥ ${formatNumber(manifest.decision.minimumFamiliarity ?? 0)} (intent ≥ ${formatNumber(manifest.decision.minimumIntentFamiliarity ?? 0)}, words ≥ ${formatNumber(manifest.decision.minimumWordFamiliarity ?? 0)}) for ${formatPercent(manifest.decision.targetPrecision)} answered precision${manifest.decision.thresholdReachable ? ` (dev ${formatPercent(manifest.decision.devAnsweredPrecision)}, 95% lower bound ${formatPercent(manifest.decision.devAnsweredPrecisionLowerBound ?? 0)})` : ' (NOT reachable on dev: the model will never answer)'}; margin ${manifest.decision.margin}\n`);
        process.stdout.write(`model ${manifest.modelVersion}: ${manifest.training.trainExamples} train / ${manifest.training.devExamples} dev / ${manifest.training.tuningExamples ?? 0} tuning questions (${manifest.training.augmentedExamples} after augmentation), seed ${manifest.training.seed}\n`);
      } catch (error) {
        progress.fail('training failed');
        throw error;
      }
    });
}
