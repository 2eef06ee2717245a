/**
 * The decision policy: given calibrated intent probabilities, may the bot answer?
 * Checks run in this order, and the first that fails names the reason:
 *   empty_input → disabled → out_of_scope (top intent is `other`, or the message has no
 *   letters at all) → low_confidence → ambiguous (top two closer than the margin)
 *   → unsupported_intent → answerable.
 */
export type DecisionReason =
  | 'answerable'
  | 'low_confidence'
  | 'ambiguous'
  | 'unsupported_intent'
  | 'out_of_scope'
  | 'empty_input'
  | 'disabled';

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
}

export function resolvePolicy(defaults: DecisionPolicy, options: DecisionOptions = {}): DecisionPolicy {
  return {
    threshold: options.threshold ?? defaults.threshold,
    margin: options.margin ?? defaults.margin,
    answerableIntents: options.answerableIntents ? new Set(options.answerableIntents) : defaults.answerableIntents,
    enabled: options.enabled ?? defaults.enabled,
    otherIntent: defaults.otherIntent,
  };
}

const LETTER = /\p{L}/u;

/**
 * Whether a message has at least one letter. Messages of only emoji, numbers and punctuation
 * ("🙄🙄", "12345678") are never answered: every such message in the corpus is `other`, and
 * their few features are where hash collisions make the model confidently wrong (measured:
 * "🙄🙄" → payment_retry at 1.00 on a batch from a new writer).
 *
 * @example
 * hasLetters('🙏') // → false
 * hasLetters('#A-88123') // → true
 */
export function hasLetters(text: string): boolean {
  return LETTER.test(text);
}

/**
 * Applies the policy to the top two intents of a question. `withLetters` is
 * {@link hasLetters} of the question's text.
 */
export function decide(
  policy: DecisionPolicy,
  top: { intent: string; confidence: number } | undefined,
  secondConfidence: number,
  withLetters = true,
): { answer: boolean; reason: DecisionReason } {
  if (!top) return { answer: false, reason: 'empty_input' };
  if (!policy.enabled) return { answer: false, reason: 'disabled' };
  if (top.intent === policy.otherIntent || !withLetters) return { answer: false, reason: 'out_of_scope' };
  if (top.confidence < policy.threshold) return { answer: false, reason: 'low_confidence' };
  if (top.confidence - secondConfidence < policy.margin) return { answer: false, reason: 'ambiguous' };
  if (!policy.answerableIntents.has(top.intent)) return { answer: false, reason: 'unsupported_intent' };
  return { answer: true, reason: 'answerable' };
}
