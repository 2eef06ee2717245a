import { duplicateKey } from '../data/near-duplicates.js';
import { fnv1a32 } from '../features/hash.js';
import type { LabelledExample } from '../data/csv.js';
import type { WeightedExample } from '../train/train-model.js';
import { answeredWithoutComplaint, type EscalationEvent } from './events.js';
import type { ReviewedQuestion } from './review.js';

/** How log evidence becomes training data. */
export interface RetrainSetOptions {
  /** `accepted` answers at or above this calibrated confidence become weak positives. */
  weakConfidenceFloor: number;
  /** Loss weight of a weak positive (a gold label weighs 1). */
  weakWeight: number;
  /** Share of the gold (reviewed) questions held out for the promotion gate, never trained on. */
  holdoutFraction: number;
  seed: number;
}

export const RETRAIN_DEFAULTS: RetrainSetOptions = {
  weakConfidenceFloor: 0.9,
  weakWeight: 0.5,
  holdoutFraction: 0.2,
  seed: 42,
};

/** What happened to the log evidence, for the job's report. */
export interface RetrainSetCounts {
  goldQuestions: number;
  weakQuestions: number;
  holdoutQuestions: number;
  droppedTestDuplicates: number;
  droppedCorpusDuplicates: number;
  conflictingLabels: number;
  escalatedNotUsedAsPositive: number;
}

export interface RetrainSet {
  /** Added to the base corpus for training (gold weight 1, weak `weakWeight`). */
  extraExamples: WeightedExample[];
  /** Reviewed questions held out from training, for the gate. */
  holdout: LabelledExample[];
  counts: RetrainSetCounts;
}

interface Candidate {
  text: string;
  lang: string;
  intents: Map<string, number>;
}

function addCandidate(groups: Map<string, Candidate>, key: string, text: string, lang: string, intent: string): void {
  const group = groups.get(key) ?? { text, lang, intents: new Map<string, number>() };
  group.intents.set(intent, (group.intents.get(intent) ?? 0) + 1);
  groups.set(key, group);
}

/** The single label of a group, or undefined when reviewers disagree (then the question waits). */
function agreedIntent(group: Candidate): string | undefined {
  return group.intents.size === 1 ? [...group.intents.keys()][0] : undefined;
}

/**
 * Turns reviewed labels and escalation events into extra training examples:
 *
 * - gold: reviewer labels (review CSVs, or `label` on an event), weight 1;
 * - weak: `accepted` bot answers with confidence ≥ the floor, weight `weakWeight`, but only for
 *   questions that were never escalated: an escalated answer is never a positive for the intent
 *   the bot answered;
 * - every question is keyed after normalisation (`duplicateKey`), so the same question logged
 *   many times, or read again by a second run over the same logs, is added once;
 * - questions that duplicate a test row are dropped and counted (the test split is never trained
 *   on), as are questions already in the base corpus (nothing to add);
 * - a seeded, hash-based share of the gold questions is held out for the gate; the choice depends
 *   only on the question and the seed, so it is stable as more reviews arrive.
 *
 * @example
 * const set = buildRetrainSet({ events, reviewed, baseExamples, testExamples });
 * await trainModel({ dataPaths: ['data/train'], extraExamples: set.extraExamples });
 */
export function buildRetrainSet(input: {
  /** Log events; `count` > 1 stands for that many identical events (a row of a log aggregate). */
  events: (EscalationEvent & { count?: number })[];
  reviewed: ReviewedQuestion[];
  baseExamples: LabelledExample[];
  testExamples: LabelledExample[];
  options?: Partial<RetrainSetOptions>;
}): RetrainSet {
  const options = { ...RETRAIN_DEFAULTS, ...input.options };
  const testKeys = new Set(input.testExamples.map((example) => duplicateKey(example.text)));
  const corpusKeys = new Set(input.baseExamples.map((example) => duplicateKey(example.text)));

  const gold = new Map<string, Candidate>();
  for (const question of input.reviewed) addCandidate(gold, duplicateKey(question.text), question.text, question.lang, question.intent);
  for (const event of input.events) if (event.label) addCandidate(gold, duplicateKey(event.text), event.text, event.language, event.label);

  const escalatedKeys = new Set(input.events.filter((event) => event.outcome === 'escalated').map((event) => duplicateKey(event.text)));
  const weak = new Map<string, Candidate>();
  let escalatedNotUsedAsPositive = 0;
  for (const event of input.events) {
    if (!answeredWithoutComplaint(event.outcome) || !event.decision.answer || event.decision.intent === null) continue;
    if (event.decision.confidence < options.weakConfidenceFloor) continue;
    const key = duplicateKey(event.text);
    if (gold.has(key)) continue;
    if (escalatedKeys.has(key)) {
      escalatedNotUsedAsPositive += event.count ?? 1;
      continue;
    }
    addCandidate(weak, key, event.text, event.language, event.decision.intent);
  }

  const counts: RetrainSetCounts = { goldQuestions: 0, weakQuestions: 0, holdoutQuestions: 0, droppedTestDuplicates: 0, droppedCorpusDuplicates: 0, conflictingLabels: 0, escalatedNotUsedAsPositive };
  const extraExamples: WeightedExample[] = [];
  const holdout: LabelledExample[] = [];
  const source = (kind: string) => ({ file: `<${kind}>`, row: 0 });

  // Sorted keys: the output order (and so the trained model) does not depend on log order.
  for (const [kind, groups] of [['reviewed', gold], ['weak', weak]] as const) {
    for (const key of [...groups.keys()].sort()) {
      if (key === '') continue;
      const group = groups.get(key)!;
      if (testKeys.has(key)) {
        counts.droppedTestDuplicates++;
        continue;
      }
      if (corpusKeys.has(key)) {
        counts.droppedCorpusDuplicates++;
        continue;
      }
      const intent = agreedIntent(group);
      if (!intent) {
        counts.conflictingLabels++;
        continue;
      }
      const example = { text: group.text, lang: group.lang, intent, source: kind, ...source(kind) };
      if (kind === 'reviewed' && isHeldOut(key, options)) {
        holdout.push(example);
        counts.holdoutQuestions++;
      } else if (kind === 'reviewed') {
        extraExamples.push({ ...example, weight: 1 });
        counts.goldQuestions++;
      } else {
        extraExamples.push({ ...example, weight: options.weakWeight });
        counts.weakQuestions++;
      }
    }
  }
  return { extraExamples, holdout, counts };
}

function isHeldOut(key: string, options: RetrainSetOptions): boolean {
  return fnv1a32(`${options.seed}|${key}`) / 4294967296 < options.holdoutFraction;
}
