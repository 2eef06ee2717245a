import { actionableIntent } from '../data/taxonomy.js';
import type { KnownFeatureColumns } from '../runtime/familiarity.js';

/**
 * Every feature hash occurring at least `minimumCount` times in the rows, with the intents
 * (bit = index in `intents`) of the rows it occurred in; a row in an unsupported language
 * counts as `other`. Written to the artifact as `known-features.bin`.
 *
 * @example
 * collectKnownFeatures([{ lang: 'en', intent: 'other' }], [new Uint32Array([5, 5, 9])], ['other'], 1)
 * // → { hashes: Uint32Array [5, 9], intentMasks: Uint32Array [1, 1] }
 */
export function collectKnownFeatures(rows: { lang: string; intent: string }[], hashes: Uint32Array[], intents: string[], minimumCount: number): KnownFeatureColumns {
  const seen = new Map<number, { count: number; intents: number }>();
  for (const [index, row] of rows.entries()) {
    const bit = 1 << intents.indexOf(actionableIntent(row));
    for (const hash of hashes[index]) {
      const entry = seen.get(hash);
      if (entry) {
        entry.count++;
        entry.intents |= bit;
      } else {
        seen.set(hash, { count: 1, intents: bit });
      }
    }
  }
  const kept = [...seen].filter(([, entry]) => entry.count >= minimumCount).sort((a, b) => a[0] - b[0]);
  return { hashes: Uint32Array.from(kept, ([hash]) => hash), intentMasks: Uint32Array.from(kept, ([, entry]) => entry.intents >>> 0) };
}
