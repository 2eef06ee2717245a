import { duplicateKey } from '../data/near-duplicates.js';
import type { ReviewItem } from '../learning/review.js';
import type { AllinaModel } from '../runtime/model.js';
import { DataError } from '../util/errors.js';
import { readAssignments, readTopicLabels } from './output.js';

/**
 * Turns topic labels into per-question review rows: every question assigned to a labelled
 * topic gets the topic's label, with the model's guesses beside it so a reviewer can still
 * spot the odd one out. Questions already labelled elsewhere (`labelledKeys`, by duplicate
 * key) are left out, as in the ordinary review queue. Rows come topic by topic, each topic's
 * questions nearest its centre first.
 *
 * @example
 * const items = reviewItemsFromTopics(loadModel(), 'topics.csv', 'topics.assignments.csv');
 * writeReviewCsv('review-topics.csv', items);   // label column filled; retrain --reviewed reads it
 */
export function reviewItemsFromTopics(model: AllinaModel, topicsFile: string, assignmentsFile: string, options: { labelledKeys?: ReadonlySet<string> } = {}): { items: ReviewItem[]; topics: number; skippedLabelled: number } {
  const labels = readTopicLabels(topicsFile, new Set(model.manifest.intents));
  const labelOf = new Map(labels.map((entry) => [entry.topic, entry.label]));
  const assigned = readAssignments(assignmentsFile);
  const known = new Set(assigned.map((question) => question.topic));
  for (const entry of labels) {
    if (!known.has(entry.topic)) throw new DataError(topicsFile, entry.row, `topic ${entry.topic} has no questions in ${assignmentsFile} (was it written by another run?)`);
  }
  const items: ReviewItem[] = [];
  let skippedLabelled = 0;
  for (const question of assigned) {
    const label = labelOf.get(question.topic);
    if (!label) continue;
    if (options.labelledKeys?.has(duplicateKey(question.text))) {
      skippedLabelled++;
      continue;
    }
    const decision = model.classify(question.text);
    const [first, second] = decision.alternatives;
    items.push({
      text: question.text,
      language: question.lang || decision.language || '',
      count: question.count,
      escalated: question.escalated,
      notShown: question.abstained,
      confidence: decision.confidence,
      margin: first ? first.confidence - (second?.confidence ?? 0) : 0,
      guesses: decision.alternatives,
      priority: 0,
      label,
    });
  }
  return { items, topics: labelOf.size, skippedLabelled };
}
