import { loadModel } from '../../src/index.js';
import { readLabelledData } from '../../src/data/csv.js';
import type { EscalationEvent } from '../../src/learning/events.js';
import { buildReviewQueue, writeReviewCsv } from '../../src/learning/review.js';
import { defaultPaths } from '../../src/cli/options.js';

/**
 * Writes a real review queue of `count` questions, as `allina review` builds it: test-split
 * questions from every language logged as abstained or escalated, ranked and guessed by the
 * shipped model.
 */
export function writeReviewFixture(file: string, count: number): void {
  const model = loadModel();
  const examples = readLabelledData([defaultPaths.testData]);
  const step = Math.floor(examples.length / (2 * count));
  const events: EscalationEvent[] = Array.from({ length: 2 * count }, (_, index) => {
    const example = examples[index * step];
    const decision = model.classify(example.text);
    return {
      id: `event-${index}`,
      timestamp: '2026-12-01T10:00:00.000Z',
      text: example.text,
      language: example.lang,
      modelVersion: model.manifest.modelVersion,
      decision: { intent: decision.intent, confidence: decision.confidence, answer: decision.answer, reason: decision.reason },
      outcome: decision.answer ? 'escalated' : 'not_shown',
    };
  });
  const queue = buildReviewQueue(model, events, { limit: count });
  if (queue.length !== count) throw new Error(`fixture: ${queue.length} questions, wanted ${count}`);
  writeReviewCsv(file, queue);
}
