import { extname } from 'node:path';
import { readCsvTable } from '../data/csv.js';
import { formatCsv, neutralizeSpreadsheetText, restoreSpreadsheetText } from '../data/csv-write.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { DataError } from '../util/errors.js';
import type { DiscoveryResult, Topic } from './discover.js';
import type { DiscoveryQuestion } from './questions.js';

export const TOPIC_COLUMNS = ['topic', 'size', 'distinct', 'escalated_share', 'abstained_share', 'languages', 'top_terms', 'example_1', 'example_2', 'example_3', 'example_4', 'example_5', 'nearest_intent', 'closeness', 'agreement', 'cohesion', 'label'];
export const ASSIGNMENT_COLUMNS = ['topic', 'similarity', 'text', 'lang', 'count', 'escalated', 'not_shown'];

/** Where the assignments of a topics file live: `topics.csv` → `topics.assignments.csv`. */
export function assignmentsPathFor(topicsFile: string): string {
  const extension = extname(topicsFile);
  return `${extension ? topicsFile.slice(0, -extension.length) : topicsFile}.assignments.csv`;
}

/** "pl 52%; cs 31%; hu 17%". */
export function formatLanguages(topic: Topic): string {
  return topic.languages.map(({ language, share }) => `${language} ${Math.round(share * 100)}%`).join('; ');
}

/** Shares of the topic's questions that were escalated / abstained ('' when the input did not say). */
export function outcomeShares(topic: Topic): { escalated: string; abstained: string } {
  const known = topic.escalated + topic.abstained;
  if (known === 0) return { escalated: '', abstained: '' };
  return { escalated: (topic.escalated / known).toFixed(3), abstained: (topic.abstained / known).toFixed(3) };
}

/**
 * Writes the topics (one row each, largest first, with an empty `label` column for a
 * reviewer) and the assignments (one row per distinct question: its topic and how close it is
 * to the topic's centre), each atomically.
 */
export function writeDiscovery(topicsFile: string, assignmentsFile: string, result: DiscoveryResult, questions: readonly DiscoveryQuestion[]): void {
  const topicRows = result.topics.map((topic) => {
    const shares = outcomeShares(topic);
    const examples = Array.from({ length: 5 }, (_, index) => neutralizeSpreadsheetText(topic.examples[index] ?? ''));
    return [topic.id, topic.size, topic.distinct, shares.escalated, shares.abstained, formatLanguages(topic), topic.terms.join(', '), ...examples, topic.hint?.intent ?? '', topic.hint ? topic.hint.closeness.toFixed(3) : '', topic.hint ? topic.hint.agreement.toFixed(3) : '', topic.cohesion.toFixed(3), ''];
  });
  const order = [...questions.keys()].sort((a, b) => result.assignments[a] - result.assignments[b] || result.similarity[b] - result.similarity[a] || a - b);
  const assignmentRows = order.map((index) => {
    const question = questions[index];
    return [result.assignments[index], result.similarity[index].toFixed(3), neutralizeSpreadsheetText(question.text), question.language, question.count, question.escalated, question.abstained];
  });
  writeFileAtomic(assignmentsFile, formatCsv(ASSIGNMENT_COLUMNS, assignmentRows));
  writeFileAtomic(topicsFile, formatCsv(TOPIC_COLUMNS, topicRows));
}

/** A topic a reviewer labelled in the topics file. */
export interface TopicLabel {
  topic: number;
  label: string;
  row: number;
}

/**
 * Reads the reviewer's labels from a topics file: rows with an empty `label` are not labelled
 * yet; a label that is not one of `intents`, or a topic id that is not a number, is an error
 * naming the row (a typo must not put a hundred questions under the wrong intent).
 */
export function readTopicLabels(file: string, intents: ReadonlySet<string>): TopicLabel[] {
  const labels: TopicLabel[] = [];
  for (const { line, values } of readCsvTable(file, ['topic', 'label']).rows) {
    const label = values.label.trim();
    if (label === '') continue;
    const topic = Number(values.topic);
    if (!Number.isInteger(topic) || topic < 1) throw new DataError(file, line, `'topic' must be a topic number, got '${values.topic}'`);
    if (!intents.has(label)) throw new DataError(file, line, `unknown intent in label '${label}' (known: ${[...intents].join(', ')})`);
    labels.push({ topic, label, row: line });
  }
  return labels;
}

/** One row of an assignments file. */
export interface AssignedQuestion {
  topic: number;
  text: string;
  lang: string;
  count: number;
  escalated: number;
  abstained: number;
  line: number;
}

/** Reads an assignments file written by {@link writeDiscovery}. */
export function readAssignments(file: string): AssignedQuestion[] {
  return readCsvTable(file, ASSIGNMENT_COLUMNS).rows.map(({ line, values }) => {
    const numbers = [values.topic, values.count, values.escalated, values.not_shown].map(Number);
    if (numbers.some((value) => !Number.isInteger(value) || value < 0)) throw new DataError(file, line, 'topic, count, escalated and not_shown must be whole numbers');
    return { topic: numbers[0], text: restoreSpreadsheetText(values.text), lang: values.lang.trim(), count: numbers[1], escalated: numbers[2], abstained: numbers[3], line };
  });
}
