import { PolicyError } from '../util/errors.js';
import { codePointClasses, LETTER, MARK, NUMBER } from '../text/code-points.js';

/**
 * The decision policy: given what the model made of a question, may the bot answer?
 * Checks run in this order, and the first that fails names the reason:
 *   empty_input → disabled → out_of_scope (no letters at all) → unsupported_language
 *   → out_of_scope (top intent is `other`) → unfamiliar (too few letters or words, or too little
 *   of the message seen in training) → low_confidence → ambiguous (top two closer than the margin)
 *   → unsupported_intent → answerable.
 *
 * This is the one home of the rule: the runtime, the threshold search and the risk–coverage
 * table all call {@link decide}.
 */
export const DECISION_REASONS = ['answerable', 'low_confidence', 'ambiguous', 'unsupported_intent', 'unfamiliar', 'unsupported_language', 'out_of_scope', 'empty_input', 'disabled'] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

/** Run-time overrides of the policy stored in the artifact. */
export interface DecisionOptions {
  /** Minimum calibrated confidence to answer (default: the artifact's, chosen on dev). */
  threshold?: number;
  /** Minimum gap between the top two intents' probabilities (default: the artifact's, 0.1). */
  margin?: number;
  /** Intents the bot may answer (default: the artifact's answerable set). */
  answerableIntents?: Iterable<string>;
  /** false = the seller switched the bot off: classify, but never answer. */
  enabled?: boolean;
}

export interface DecisionPolicy {
  threshold: number;
  margin: number;
  answerableIntents: Set<string>;
  enabled: boolean;
  otherIntent: string;
  /** The language class of every language the bot does not answer in. */
  unsupportedLanguage: string;
  /** Fewest letters a question needs to be answered. */
  minimumLetters: number;
  /** Fewest words a question needs to be answered: one word ("paczka?", "deliv") says too little. */
  minimumWords: number;
  /** Least share of the question's features seen in training (see runtime/familiarity.ts). */
  minimumFamiliarity: number;
  /** Least share of them seen in training rows of the predicted intent. */
  minimumIntentFamiliarity: number;
  /** Least word familiarity with the predicted intent (see runtime/familiarity.ts). */
  minimumWordFamiliarity: number;
}

/** What, besides the intent ranking, the decision looks at. */
export interface MessageEvidence {
  /** Letters in the message, counted up to {@link SHAPE_COUNTED}. */
  letters: number;
  /** Words (runs of letters and digits that start with a letter), up to {@link SHAPE_COUNTED}. */
  words: number;
  /** The language class the model found (`unsupportedLanguage` for any other language). */
  language: string;
  /** Share of the message's features seen in training, 0–1. */
  familiarity: number;
  /** Share of them seen in training rows of the predicted intent, 0–1 (≤ familiarity). */
  intentFamiliarity: number;
  /** Mean over its words of how much of each was seen in training rows of the predicted intent, 0–1. */
  wordFamiliarity: number;
}

/**
 * The policy in force: `defaults` with the given options. Throws a {@link PolicyError} for any
 * option that is not a valid setting, so that a mistake never makes the bot answer.
 *
 * @example
 * resolvePolicy(defaults, { threshold: Number.NaN }) // throws PolicyError: threshold must be a number from 0 to 1, got NaN
 */
export function resolvePolicy(defaults: DecisionPolicy, options: DecisionOptions = {}): DecisionPolicy {
  if (options === null || typeof options !== 'object') throw new PolicyError(`decision options must be an object, got ${describe(options)}`);
  for (const name of ['threshold', 'margin'] as const) {
    const value: unknown = options[name];
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) throw new PolicyError(`${name} must be a number from 0 to 1, got ${describe(value)}`);
  }
  if (options.enabled !== undefined && typeof options.enabled !== 'boolean') throw new PolicyError(`enabled must be true or false, got ${describe(options.enabled)}`);
  const intents: unknown = options.answerableIntents;
  if (intents !== undefined) {
    if (typeof intents === 'string' || typeof intents !== 'object' || intents === null || !(Symbol.iterator in intents)) {
      throw new PolicyError(`answerableIntents must be a list of intents, got ${describe(intents)}`);
    }
    for (const intent of intents as Iterable<unknown>) {
      if (typeof intent !== 'string') throw new PolicyError(`answerableIntents must hold intent names, got ${describe(intent)}`);
    }
  }
  return {
    ...defaults,
    threshold: options.threshold ?? defaults.threshold,
    margin: options.margin ?? defaults.margin,
    answerableIntents: options.answerableIntents ? new Set(options.answerableIntents) : defaults.answerableIntents,
    enabled: options.enabled ?? defaults.enabled,
  };
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** textShape stops counting here: the rules only need to know "at least a few". */
export const SHAPE_COUNTED = 16;
/**
 * Letters and words of a message, each up to {@link SHAPE_COUNTED}. Messages without letters
 * ("🙄🙄", "12345678") are never answered: every such message in the corpus is `other`, and
 * their few features are where hash collisions make the model confidently wrong.
 *
 * @example
 * textShape('🙏') // → { letters: 0, words: 0 }
 * textShape('kdy dorazí balík??') // → { letters: 14, words: 3 }
 */
export function textShape(text: string): { letters: number; words: number } {
  let letters = 0;
  let words = 0;
  let inWord = false;
  for (let index = 0; index < text.length && (letters < SHAPE_COUNTED || words < SHAPE_COUNTED); index++) {
    const code = text.charCodeAt(index);
    let kind: 'letter' | 'digit' | 'other';
    if (code < 0x80) {
      kind = (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a ? 'letter' : code >= 0x30 && code <= 0x39 ? 'digit' : 'other';
    } else {
      const codePoint = text.codePointAt(index)!;
      if (codePoint > 0xffff) index++;
      const classes = codePointClasses(codePoint);
      kind = (classes & LETTER) !== 0 ? 'letter' : (classes & (NUMBER | MARK)) !== 0 ? 'digit' : 'other';
    }
    if (kind === 'letter') {
      letters++;
      if (!inWord) words++;
      inWord = true;
    } else if (kind === 'other') {
      inWord = false;
    }
  }
  return { letters: Math.min(letters, SHAPE_COUNTED), words: Math.min(words, SHAPE_COUNTED) };
}

/**
 * Applies the policy to the top two intents of a question and its evidence. `top` undefined
 * means the message had no features at all.
 *
 * @example
 * decide(policy, { intent: 'delivery_status', confidence: 0.97 }, 0.01, { letters: 16, words: 3, language: 'pl', familiarity: 0.9, intentFamiliarity: 0.9, wordFamiliarity: 0.9 })
 * // → { answer: true, reason: 'answerable' } under a policy with threshold 0.7
 */
export function decide(
  policy: DecisionPolicy,
  top: { intent: string; confidence: number } | undefined,
  secondConfidence: number,
  evidence: MessageEvidence,
): { answer: boolean; reason: DecisionReason } {
  if (!top) return { answer: false, reason: 'empty_input' };
  if (!policy.enabled) return { answer: false, reason: 'disabled' };
  if (evidence.letters === 0) return { answer: false, reason: 'out_of_scope' };
  if (evidence.language === policy.unsupportedLanguage) return { answer: false, reason: 'unsupported_language' };
  if (top.intent === policy.otherIntent) return { answer: false, reason: 'out_of_scope' };
  if (evidence.letters < policy.minimumLetters || evidence.words < policy.minimumWords || !(evidence.familiarity >= policy.minimumFamiliarity) || !(evidence.intentFamiliarity >= policy.minimumIntentFamiliarity) || !(evidence.wordFamiliarity >= policy.minimumWordFamiliarity)) return { answer: false, reason: 'unfamiliar' };
  if (!(top.confidence >= policy.threshold)) return { answer: false, reason: 'low_confidence' };
  if (top.confidence - secondConfidence < policy.margin) return { answer: false, reason: 'ambiguous' };
  if (!policy.answerableIntents.has(top.intent)) return { answer: false, reason: 'unsupported_intent' };
  return { answer: true, reason: 'answerable' };
}

/** Reasons decided before the confidence threshold is looked at: refused at every threshold. */
export const THRESHOLD_INDEPENDENT_REASONS: ReadonlySet<DecisionReason> = new Set(['empty_input', 'disabled', 'out_of_scope', 'unsupported_language', 'unfamiliar']);
