import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readCsvTable, readUtf8File } from '../data/csv.js';
import { loadModel, type Decision } from '../runtime/model.js';
import type { DecisionOptions } from '../runtime/decision.js';
import { DataError, UsageError } from '../util/errors.js';
import { defaultPaths, parseProbability } from './options.js';
import { formatNumber, renderTable } from './table.js';

/** A question with the id it came with (a CSV's `id` column), if any. */
export interface InputQuestion {
  text: string;
  id?: string;
}

/**
 * One question per line; every line counts, blank ones too (they get `empty_input`), so that
 * the n-th decision belongs to the n-th line. Only the newline that ends the file adds no line.
 */
function splitLines(content: string): InputQuestion[] {
  const lines = content.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((text) => ({ text }));
}

/** Questions from --input: a CSV with a `text` column (and optional `id`), or a text file with one question a line. */
export function readQuestions(file: string): InputQuestion[] {
  if (file.toLowerCase().endsWith('.csv')) {
    return readCsvTable(file, ['text']).rows.map((row) => (row.values.id !== undefined ? { text: row.values.text, id: row.values.id } : { text: row.values.text }));
  }
  return splitLines(readUtf8File(file));
}

function readStandardInput(): InputQuestion[] {
  try {
    const content = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(0));
    return splitLines(content);
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
Without TEXT or --input, questions are read from standard input, one a line. Every input line
gets one decision, in order (a blank line gets reason empty_input); a CSV's id column is copied
into each JSON decision.

Examples:
  $ allina classify "Gdzie jest moja paczka?" "kdy dorazí balík?"
  $ allina classify --input questions.csv --json > decisions.jsonl
  $ echo "hol van a csomagom" | allina classify --json`)
    .action((texts: string[], options) => {
      const model = loadModel(options.model);
      let questions: InputQuestion[];
      if (options.input && texts.length > 0) throw new UsageError('give questions either as arguments or with --input, not both');
      if (options.input) questions = readQuestions(options.input);
      else if (texts.length > 0) questions = texts.map((text) => ({ text }));
      else if (process.stdin.isTTY) throw new UsageError('no questions: pass TEXT arguments, --input FILE, or pipe questions on standard input');
      else questions = readStandardInput();

      let answerableIntents: string[] | undefined;
      if (options.answerable !== undefined) {
        answerableIntents = String(options.answerable).split(',').map((intent) => intent.trim()).filter(Boolean);
        const unknown = answerableIntents.filter((intent) => !model.manifest.intents.includes(intent));
        if (unknown.length) throw new UsageError(`--answerable: unknown intent '${unknown[0]}' (known: ${model.manifest.intents.join(', ')})`);
      }
      const decisionOptions: DecisionOptions = { threshold: options.threshold, margin: options.margin, answerableIntents, enabled: options.disabled ? false : undefined };
      const decisions = model.classifyBatch(questions.map((question) => question.text), decisionOptions);
      if (options.json) {
        process.stdout.write(decisions.map((decision, index) => JSON.stringify({ ...(questions[index].id !== undefined ? { id: questions[index].id } : {}), text: questions[index].text, ...decision })).join('\n') + (decisions.length ? '\n' : ''));
        return;
      }
      process.stdout.write(`${formatDecisions(questions.map((question) => question.text), decisions)}\n`);
    });
}

// Control characters (escape sequences included) from a question must not reach the terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/gu;

function formatDecisions(questions: string[], decisions: Decision[]): string {
  const clip = (raw: string) => {
    const text = raw.replace(CONTROL, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
    return text.length > 48 ? `${text.slice(0, 47)}…` : text;
  };
  return renderTable(
    ['question', 'intent', 'confidence', 'lang', 'familiar', 'answer', 'reason'],
    decisions.map((decision, index) => [clip(questions[index]), decision.intent ?? '-', formatNumber(decision.confidence), decision.language ?? '-', formatNumber(decision.familiarity, 2), decision.answer ? 'yes' : 'no', decision.reason]),
  );
}
