import type { Command } from 'commander';
import { readEscalationLogs, type SkippedLine } from '../learning/events.js';
import { writeReviewCsv } from '../learning/review.js';
import { loadModel, type AllinaModel } from '../runtime/model.js';
import { assertCreatable, writeFileAtomic } from '../util/atomic-write.js';
import { expandPaths } from '../util/expand-paths.js';
import { UsageError } from '../util/errors.js';
import { discoverTopics, DISCOVER_DEFAULTS } from '../discover/discover.js';
import { groupQuestions, questionsFromCsv, questionsFromEvents, type DiscoveryQuestion } from '../discover/questions.js';
import { assignmentsPathFor, formatLanguages, writeDiscovery } from '../discover/output.js';
import { renderTopicsHtml } from '../discover/html.js';
import { readConceptLexicon, SHIPPED_LEXICON_PATH } from '../discover/lexicon.js';
import { reviewItemsFromTopics } from '../discover/review-topics.js';
import { defaultPaths, parsePositiveInteger, parseNonNegativeInteger } from './options.js';
import { Progress } from './progress.js';
import { plural, renderTable } from './table.js';

function parseK(value: string): number | 'auto' {
  if (value.trim() === 'auto') return 'auto';
  return parsePositiveInteger(value);
}

function reportSkipped(skipped: SkippedLine[]): void {
  for (const line of skipped) process.stderr.write(`allina: skipped ${line.file}${line.line ? `:${line.line}` : ''}: ${line.problem}\n`);
}

function truncate(text: string, length: number): string {
  const single = text.replace(/\s+/g, ' ');
  return single.length > length ? `${single.slice(0, length - 1)}…` : single;
}

/** Reads the questions to group from logs and/or CSV files; languages the input lacks come from the model. */
function readQuestions(model: AllinaModel, logs: string[] | undefined, data: string[] | undefined): { questions: DiscoveryQuestion[]; skipped: SkippedLine[] } {
  let parts: DiscoveryQuestion[] = [];
  let skipped: SkippedLine[] = [];
  if (logs) {
    const read = readEscalationLogs(expandPaths(logs, '.jsonl'), new Set(model.manifest.intents), new Set(model.manifest.languages));
    skipped = skipped.concat(read.skipped);
    parts = parts.concat(questionsFromEvents(read.events));
  }
  for (const file of data ? expandPaths(data, '.csv') : []) {
    const read = questionsFromCsv(file);
    skipped = skipped.concat(read.skipped);
    parts = parts.concat(read.questions);
  }
  const questions = logs && data ? groupQuestions(parts) : parts;
  for (const question of questions) if (question.language === '') question.language = model.classify(question.text).language ?? '';
  return { questions, skipped };
}

export function registerDiscover(program: Command): void {
  program
    .command('discover')
    .description('group the questions the bot could not answer (or any CSV of questions) into topics: the next intents to add')
    .option('--logs <paths...>', 'escalation logs (JSON Lines) or directories of *.jsonl: abstained and escalated questions are grouped')
    .option('--data <paths...>', 'CSV files (or directories of *.csv) with a text column; optional lang, count, escalated, not_shown (a review CSV works as it is)')
    .requiredOption('--out <file>', 'topics CSV to write (one row per topic, largest first, with an empty label column)')
    .option('--assignments <file>', 'question → topic CSV to write (default: beside --out, topics.csv → topics.assignments.csv)')
    .option('--html <file>', 'also write a self-contained HTML page of the topics (opens offline)')
    .option('--model <dir>', 'model whose intents give each topic its nearest-intent hint (and the language, where the input has none)', defaultPaths.model)
    .option('--k <auto|n>', 'number of topics, or auto (best silhouette on a sample)', parseK, 'auto' as const)
    .option('--max-k <n>', 'largest k tried by --k auto', parsePositiveInteger, DISCOVER_DEFAULTS.maxK)
    .option('--language <code>', 'only questions in this language (pl, cs, sk, hu, en, other) or all', 'all')
    .option('--seed <n>', 'seed of every random choice: same input + same seed → same topics', parseNonNegativeInteger, DISCOVER_DEFAULTS.seed)
    .option('--lexicon <dir|none>', 'concept lexicon (*.tsv: concept, tab, word forms) that joins the same words across languages; none = words alone', SHIPPED_LEXICON_PATH)
    .option('--json', 'print a summary as one JSON object instead of a table')
    .addHelpText('after', `
How: TF-IDF of character 3–5-grams on diacritic-folded text (so "reklamacja", "reklamace" and
"reklamáció" share terms) reduced by a seeded randomised SVD to 100 dimensions, beside word
vectors from which words are asked about together (so "broken" and "defective" meet), both
centred on each language's mean. A concept lexicon (data/lexicon: ~480 concepts with their
word forms in the five languages) adds each question's concepts to its words before the word
vectors are fitted, so "számla", "faktura" and "invoice" share their company (--lexicon none:
words alone). Then spherical k-means (seeded k-means++); k by silhouette unless given.
Fitted on a sample of 20,000 of the questions (no labels, nothing downloaded), then every
question goes to its nearest topic, so a million questions take minutes.
Repeated questions (same words after normalisation) are grouped once and counted.

Choosing k: short questions have low silhouettes that rise slowly and unevenly with k, so --k auto
can pick anything from about 12 to 25 topics, depending on the seed. If the topics come out
too fine (one intent split by language or by product), give about twice the number of new
intents you expect, e.g. --k 12 (BENCHMARKS.md, topic discovery).

Then: fill the label column of the topics you recognise and run
  $ allina review --topics topics.csv --out review-topics.csv
to get one review row per question, labelled; retrain --reviewed reads it.

Examples:
  $ allina discover --logs logs/ --out topics.csv --html topics.html
  $ allina discover --logs logs/ --language hu --k 12 --out topics-hu.csv
  $ allina discover --data questions.csv --model models/live/current --out topics.csv --json`)
    .action((options) => {
      if (!options.logs && !options.data) throw new UsageError('discover needs --logs <paths...> or --data <files...> (or both)');
      const model = loadModel(options.model);
      const languages = ['all', ...model.manifest.languages];
      if (!languages.includes(options.language)) throw new UsageError(`--language must be one of ${languages.join(', ')}, got '${options.language}'`);
      const lexicon = options.lexicon === 'none' ? null : readConceptLexicon(options.lexicon);
      const assignmentsFile: string = options.assignments ?? assignmentsPathFor(options.out);
      for (const file of [options.out, assignmentsFile, options.html].filter(Boolean)) assertCreatable(file);
      const progress = new Progress();
      progress.update('reading questions');
      const { questions: all, skipped } = readQuestions(model, options.logs, options.data);
      reportSkipped(skipped);
      const questions = options.language === 'all' ? all : all.filter((question) => question.language === options.language);
      let result;
      try {
        result = discoverTopics(questions, { k: options.k, maxK: options.maxK, seed: options.seed, model, lexicon, onProgress: (message) => progress.update(message) });
      } catch (error) {
        progress.fail('discovery failed');
        throw error;
      }
      writeDiscovery(options.out, assignmentsFile, result, questions);
      if (options.html) writeFileAtomic(options.html, renderTopicsHtml(result, { source: [...(options.logs ?? []), ...(options.data ?? [])].join(', ') }));
      progress.succeed(`${plural(result.topics.length, 'topic')} in ${plural(questions.length, 'distinct question')} → ${options.out}`);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({
          out: options.out,
          assignments: assignmentsFile,
          html: options.html ?? null,
          questions: questions.length,
          asked: questions.reduce((sum, question) => sum + question.count, 0),
          k: result.k,
          automatic: result.automatic,
          kScores: result.kScores,
          skipped: skipped.length,
          topics: result.topics.map((topic) => ({ id: topic.id, size: topic.size, distinct: topic.distinct, escalated: topic.escalated, abstained: topic.abstained, languages: topic.languages, terms: topic.terms, examples: topic.examples, nearestIntent: topic.hint?.intent ?? null, closeness: topic.hint?.closeness ?? null })),
        })}\n`);
        return;
      }
      const rows = result.topics.map((topic) => [topic.id, topic.size, truncate(formatLanguages(topic), 22), topic.hint ? `${topic.hint.intent} ${topic.hint.closeness.toFixed(2)}` : '', truncate(topic.terms.slice(0, 4).join(', '), 34), truncate(topic.examples[0] ?? '', 50)]);
      process.stdout.write(`${renderTable(['topic', 'size', 'languages', 'nearest intent', 'top terms', 'example'], rows)}\n\n`);
      process.stdout.write(`k = ${result.k}${result.automatic ? ' (chosen by silhouette)' : ''}; assignments → ${assignmentsFile}${options.html ? `; page → ${options.html}` : ''}; ${plural(skipped.length, 'input line')} skipped\n`);
    });
}

/**
 * `allina review --topics`: one review row per question of every labelled topic, written to
 * `out`; returns what was written for the command's summary.
 */
export function writeTopicReview(model: AllinaModel, topicsFile: string, assignmentsFile: string | undefined, out: string, labelledKeys: ReadonlySet<string>): { questions: number; topics: number; skippedLabelled: number; assignments: string } {
  const assignments = assignmentsFile ?? assignmentsPathFor(topicsFile);
  const { items, topics, skippedLabelled } = reviewItemsFromTopics(model, topicsFile, assignments, { labelledKeys });
  writeReviewCsv(out, items);
  return { questions: items.length, topics, skippedLabelled, assignments };
}
