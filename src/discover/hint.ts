import type { AllinaModel } from '../runtime/model.js';

/** Which existing intent a topic is closest to, as the model sees its questions. */
export interface IntentHint {
  intent: string;
  /** Mean calibrated probability of `intent` over the topic's questions, 0–1. */
  closeness: number;
  /** Share of the topic's questions whose most likely intent is `intent`. */
  agreement: number;
}

/**
 * The nearest existing intent of a group of questions: the intent with the highest mean
 * calibrated probability under `model` (null when no question has any words the model reads).
 *
 * @example
 * nearestIntent(loadModel(), ['proszę o fakturę', 'faktura VAT na firmę'])
 * // → { intent: 'invoice_request', closeness: 0.9…, agreement: 1 }
 */
export function nearestIntent(model: AllinaModel, texts: readonly string[]): IntentHint | null {
  const intents = model.manifest.intents;
  const sums = new Float64Array(intents.length);
  const wins = new Int32Array(intents.length);
  let counted = 0;
  for (const text of texts) {
    const probabilities = model.probabilities(text);
    if (!probabilities) continue;
    let best = 0;
    for (let index = 0; index < intents.length; index++) {
      sums[index] += probabilities[index];
      if (probabilities[index] > probabilities[best]) best = index;
    }
    wins[best]++;
    counted++;
  }
  if (counted === 0) return null;
  let best = 0;
  for (let index = 1; index < intents.length; index++) if (sums[index] > sums[best]) best = index;
  return { intent: intents[best], closeness: sums[best] / counted, agreement: wins[best] / counted };
}
