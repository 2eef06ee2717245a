import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readCsvTable, readUtf8File } from '../data/csv.js';
import { loadModel, type Decision } from '../runtime/model.js';
import type { DecisionOptions } from '../runtime/decision.js';
import { DataError, UsageError } from '../util/errors.js';
import { defaultPaths, parseProbability } from './options.js';
import { formatNumber, renderTable } from './table.js';

/** Questions from --input: a CSV with a `text` column, or a text file with one question a line. */
export function readQuestions(file: string): string[] {
  if (file.toLowerCase().endsWith('.csv')) return readCsvTable(file, ['text']).rows.map((row) => row.values.text);
  return readUtf8File(file).split(/\r?\n/).filter((line) => line.trim() !== '');
}

function readStandardInput(): string[] {
  try {
    const content = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(0));
    return content.split(/\r?\n/).filter((line) => line.trim() !== '');
  } catch (error) {
    if (error instanceof TypeError) throw new DataError('<stdin>', undefined, 'is not valid UTF-8');
    throw error;
  }
}

export function registerClassify(program: Command): void {
  program
    .command('classify')
    .description('classify buyer questions and decide whether the bot may answer')
    .argument('[text...]', 'questions to classify (quote each one)')
    .option('--model <dir>', 'model artifact directory', defaultPaths.model)
    .option('--input <file>', 'read questions from a CSV with a "text" column, or a .txt file with one question a line')
    .option('--json', 'write one JSON decision per line, in input order')
    .option('--threshold <t>', 'override the confidence threshold stored in the model', parseProbability)
    .option('--margin <m>', 'override the top-two margin stored in the model', parseProbability)
    .option('--answerable <intents>', 'comma-separated intents the bot may answer (default: the model\'s set)')
    .option('--disabled', 'the seller switched the bot off: classify but never answer')
    .addHelpText('after', `
Without TEXT or --input, questions are read from standard input, one a line.

Examples:
  $ allina classify "Gdzie jest moja paczka?" "kdy dorazí balík?"
  $ allina classify --input questions.csv --json > decisions.jsonl
  $ echo "hol van a csomagom" | allina classify --json`)
    .action((texts: string[], options) => {
      const model = loadModel(options.model);
      let questions: string[];
      if (options.input && texts.length > 0) throw new UsageError('give questions either as arguments or with --input, not both');
      if (options.input) questions = readQuestions(options.input);
      else if (texts.length > 0) questions = texts;
      else if (process.stdin.isTTY) throw new UsageError('no questions: pass TEXT arguments, --input FILE, or pipe questions on standard input');
      else questions = readStandardInput();

      let answerableIntents: string[] | undefined;
      if (options.answerable !== undefined) {
        answerableIntents = String(options.answerable).split(',').map((intent) => intent.trim()).filter(Boolean);
        const unknown = answerableIntents.filter((intent) => !model.manifest.intents.includes(intent));
        if (unknown.length) throw new UsageError(`--answerable: unknown intent '${unknown[0]}' (known: ${model.manifest.intents.join(', ')})`);
      }
      const decisionOptions: DecisionOptions = { threshold: options.threshold, margin: options.margin, answerableIntents, enabled: options.disabled ? false : undefined };
      const decisions = model.classifyBatch(questions, decisionOptions);
      if (options.json) {
        process.stdout.write(decisions.map((decision, index) => JSON.stringify({ text: questions[index], ...decision })).join('\n') + (decisions.length ? '\n' : ''));
        return;
      }
      process.stdout.write(`${formatDecisions(questions, decisions)}\n`);
    });
}

function formatDecisions(questions: string[], decisions: Decision[]): string {
  const clip = (text: string) => (text.length > 48 ? `${text.slice(0, 47)}…` : text);
  return renderTable(
    ['question', 'intent', 'confidence', 'lang', 'familiar', 'answer', 'reason'],
    decisions.map((decision, index) => [clip(questions[index]), decision.intent ?? '-', formatNumber(decision.confidence), decision.language ?? '-', formatNumber(decision.familiarity, 2), decision.answer ? 'yes' : 'no', decision.reason]),
  );
}
