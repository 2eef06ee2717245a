import type { Command } from 'commander';
import { checkCorpus, MINIMUM_OTHER, MINIMUM_PER_INTENT } from '../data/check.js';
import { defaultPaths, parseNonNegativeInteger } from './options.js';
import { renderTable } from './table.js';
import { AllinaError } from '../util/errors.js';

export function registerDataCheck(program: Command): void {
  const data = program.command('data').description('work with labelled corpora');
  data
    .command('check')
    .description('validate a corpus: labels, languages, empty/over-long text, exact and near duplicates, per-cell minimums')
    .option('--train <paths...>', 'training CSV files or directories', [defaultPaths.trainData])
    .option('--test <paths...>', 'test CSV files or directories', [defaultPaths.testData])
    .option('--json', 'print totals, counts and problems as one JSON object')
    .option('--max-problems <n>', 'how many problems to list (all are counted)', parseNonNegativeInteger, 40)
    .option('--min-per-intent <n>', 'rows (train+test) each language × intent needs', parseNonNegativeInteger, MINIMUM_PER_INTENT)
    .option('--min-other <n>', "rows (train+test) each language's `other` needs", parseNonNegativeInteger, MINIMUM_OTHER)
    .addHelpText('after', `
Every problem is found in one run (bad rows do not stop it) and the counts table is always
printed. Exits 1 when any problem is found. Near duplicates: character-trigram Jaccard ≥ 0.8 after
normalisation, compared within each language, inside each split and across train and test.

Examples:
  $ allina data check
  $ allina data check --train my-train.csv --test my-test.csv --min-per-intent 20 --min-other 40 --json`)
    .action((options) => {
      const report = checkCorpus(options.train, options.test, { perIntent: options.minPerIntent, other: options.minOther });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ passed: report.problems.length === 0, totals: report.totals, cells: report.cells, problems: report.problems })}\n`);
      } else {
        const languages = [...new Set(report.cells.map((cell) => cell.lang))];
        const intents = [...new Set(report.cells.map((cell) => cell.intent))];
        const cell = (lang: string, intent: string) => report.cells.find((entry) => entry.lang === lang && entry.intent === intent)!;
        const rows = intents.map((intent) => [intent, ...languages.map((lang) => {
          const { train, test, minimum } = cell(lang, intent);
          return `${train}+${test}${train + test < minimum ? '!' : ''}`;
        })]);
        const total = (lang: string) => report.cells.filter((entry) => entry.lang === lang).reduce((sum, entry) => sum + entry.train + entry.test, 0);
        const testShare = (lang: string) => {
          const cells = report.cells.filter((entry) => entry.lang === lang);
          const test = cells.reduce((sum, entry) => sum + entry.test, 0);
          return `${((100 * test) / Math.max(1, total(lang))).toFixed(1)}%`;
        };
        rows.push(['total', ...languages.map((lang) => String(total(lang)))], ['test share', ...languages.map(testShare)]);
        process.stdout.write(`${renderTable(['intent (train+test)', ...languages], rows)}\n`);
        process.stdout.write(`\n${report.totals.train} train + ${report.totals.test} test rows; minimum per cell: ${options.minPerIntent} (other: ${options.minOther}); '!' marks a cell below it\n`);
        const limit: number = options.maxProblems;
        for (const problem of report.problems.slice(0, limit)) process.stdout.write(`problem: ${problem}\n`);
        if (report.problems.length > limit) process.stdout.write(`… and ${report.problems.length - limit} more problems\n`);
      }
      if (report.problems.length) throw new AllinaError(`data check failed: ${report.problems.length} problem(s)`);
      if (!options.json) process.stdout.write('data check passed\n');
    });
}
