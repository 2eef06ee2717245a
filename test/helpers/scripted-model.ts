import type { AllinaModel, Decision } from '../../src/runtime/model.js';
import type { DecisionReason } from '../../src/runtime/decision.js';
import { handMadeModel } from './hand-made-model.js';

/** What a scripted model answers for one question: its top intents and whether it answers. */
export interface ScriptedAnswer {
  /** The top intents, most probable first, with their confidences. */
  ranking: [string, number][];
  answer?: boolean;
  reason?: DecisionReason;
  language?: string;
}

/**
 * A model whose decisions are written by hand: `answers` maps each question's text to its
 * decision. It has the hand-made model's manifest (the taxonomy, target precision 0.95) and
 * policy, and its own version, so the gate, the review queue and the metrics can be checked
 * against numbers worked out on paper. Asking it anything not in `answers` is a test error.
 *
 * @example
 * const model = scriptedModel('m1', new Map([['hol van', { ranking: [['delivery_status', 0.6], ['other', 0.3]] }]]));
 */
export function scriptedModel(version: string, answers: ReadonlyMap<string, ScriptedAnswer>): AllinaModel {
  const base = handMadeModel();
  const decisionFor = (text: string): Decision => {
    const scripted = answers.get(text);
    if (!scripted) throw new Error(`scripted model ${version} has no answer for ${JSON.stringify(text)}`);
    const answer = scripted.answer ?? false;
    return {
      intent: scripted.ranking[0][0],
      confidence: scripted.ranking[0][1],
      language: scripted.language ?? 'en',
      languageConfidence: 1,
      familiarity: 1,
      intentFamiliarity: 1,
      wordFamiliarity: 1,
      answer,
      reason: scripted.reason ?? (answer ? 'answerable' : 'low_confidence'),
      alternatives: scripted.ranking.map(([intent, confidence]) => ({ intent, confidence })),
      modelVersion: version,
    };
  };
  return {
    manifest: { ...base.manifest, modelVersion: version },
    policy: (options?: Parameters<AllinaModel['policy']>[0]) => base.policy(options),
    classify: (text: string) => decisionFor(text),
    classifyBatch: (texts: readonly string[]) => texts.map(decisionFor),
  } as unknown as AllinaModel;
}
