/**
 * Familiarity: how much of a message the model has actually seen in training.
 *
 * Softmax confidence has no notion of "nothing like this was ever seen": the network's weights
 * live in 2^16 hashed buckets, so most n-grams of an unfamiliar message (another language, a
 * bank's jargon, random characters) land in a bucket that some trained n-gram also uses and
 * borrow its confident weights. The artifact therefore also stores the full 32-bit hashes of
 * every feature that occurred in training (`known-features.bin`), and a message's familiarity is
 * the share of its feature occurrences whose full hash is among them. Two unseen features
 * collide with a known one with probability (known features / 2^32).
 *
 * Each known feature also carries the intents of the training rows it occurred in, so the same
 * lookup tells how much of a message was seen *with the intent the model predicts*: a bank's
 * "card limit for online payments" shares its payment words with `payment_retry` rows, but less
 * of its n-grams were ever seen in them than a real payment-retry question's.
 *
 * Word familiarity asks the same per word: a word counts as seen with the intent when the word
 * itself was, and otherwise by the share of its longest character n-grams that were (so that a
 * typo in a known word still counts mostly as known, and another business's name does not).
 * Its mean over the words weighs a short unknown name as much as a long one, where the share of
 * feature occurrences lets the many n-grams of a message's familiar long words outvote it.
 */

import type { WordLayout } from '../features/extractor.js';

/**
 * The features seen in training: full 32-bit hashes, and for each a bit mask of the intents
 * (bit i = `manifest.intents[i]`) in whose training rows it occurred. Either as two columns (what
 * training collects; any order) or as the interleaved `hash, mask, hash, mask, …` words of
 * `known-features.bin`, sorted by hash with distinct hashes (what the loader checked).
 */
export type KnownFeatures = KnownFeatureColumns | { pairs: Uint32Array };

/** Known features as training collects them: a hash and its intent mask at the same index. */
export interface KnownFeatureColumns {
  hashes: Uint32Array;
  intentMasks: Uint32Array;
}

/**
 * The known features as a sparse sorted table: each (hash, intent mask) pair sits at the slot
 * given by the hash's top bits, or just after the pair before it, in a table of 1.25 to 2.5 slots
 * per pair (a power of two; FNV-1a spreads the top bits evenly). A lookup reads the hash's slot and
 * usually one or two after it, where a binary search or a directory scan costs a cache miss per
 * step; building it from the sorted file is one pass that writes front to back. An empty slot has
 * mask 0, which no stored feature has (a feature seen in training occurred in some intent's rows;
 * a mask of 0 says "never seen" and is not stored).
 */
export class KnownFeatureSet {
  /** slot * 2 = hash, slot * 2 + 1 = intent mask (0 = empty); hashes ascend along the table. */
  private readonly slots: Uint32Array;
  private readonly shift: number;
  /** The stored features as `known-features.bin` lays them out (hash, mask, …; sorted by hash): what saving writes. */
  readonly pairs: Uint32Array;
  readonly size: number;

  /**
   * Throws a `RangeError` naming the entry when file-order pairs are not strictly ascending or one
   * has no intents (the lookup relies on both; the artifact loader turns it into an error naming
   * the file).
   */
  constructor(known: KnownFeatures) {
    // Hand-made columns may be in any order and repeat a hash, whose intents must merge into one slot.
    const pairs = 'pairs' in known ? known.pairs : interleave(isStrictlyAscending(known.hashes) ? known : sortedAndMerged(known));
    const count = pairs.length / 2;
    let bits = 4;
    while (1 << bits < count * 1.25) bits++;
    const shift = 32 - bits;
    // Pairs past the last slot only come from a run at the very end: a small margin nearly always
    // holds them, and a table that overflowed it is built again with room for all.
    let margin = 64;
    for (;;) {
      const slots = new Uint32Array(((1 << bits) + margin) * 2);
      const last = placeInOrder(pairs, slots, shift);
      // Keep an empty slot after the last pair: it ends every lookup.
      if ((last + 2) * 2 <= slots.length) {
        this.slots = slots;
        break;
      }
      margin = last + 2 - (1 << bits);
    }
    this.shift = shift;
    this.pairs = pairs;
    this.size = count;
  }

  /** The intent mask of a feature hash (an unsigned 32-bit integer): 0 when it never occurred in training. */
  intentsOf(hash: number): number {
    const slots = this.slots;
    for (let slot = hash >>> this.shift; ; slot++) {
      const stored = slots[slot * 2];
      const mask = slots[slot * 2 + 1];
      // Pairs ascend along the table and none sits before its hash's slot: a larger hash or an
      // empty slot means this hash is not there.
      if (mask === 0 || stored > hash) return 0;
      if (stored === hash) return mask;
    }
  }

  has(hash: number): boolean {
    return this.intentsOf(hash) !== 0;
  }

  /**
   * The intent masks of the first `count` hashes, into `masks`. Reads every hash's slot once
   * before looking any up: those reads do not depend on each other, so the processor has many of
   * its cache misses under way at once, where the lookups' branches would wait for each in turn.
   */
  intentsOfAll(hashes: Uint32Array, count: number, masks: Uint32Array): void {
    const slots = this.slots;
    const shift = this.shift;
    let touched = 0;
    for (let index = 0; index < count; index++) touched ^= slots[(hashes[index] >>> shift) * 2];
    this.lastTouched = touched;
    for (let index = 0; index < count; index++) masks[index] = this.intentsOf(hashes[index]);
  }

  /** Keeps the reads of {@link intentsOfAll}'s first pass from being optimised away. */
  lastTouched = 0;
}

/**
 * Writes each pair at its hash's slot or just after the pair before it and returns the last slot
 * used; writes past the table's end are dropped (the caller sees it from the slot returned).
 * Throws a `RangeError` at the first pair out of order or with no intents (an empty slot inside
 * a run would end lookups early). One branch per pair: it runs at every load.
 */
function placeInOrder(pairs: Uint32Array, slots: Uint32Array, shift: number): number {
  let last = -1;
  let previous = -1;
  for (let index = 0; index < pairs.length; index += 2) {
    const hash = pairs[index];
    const mask = pairs[index + 1];
    if (hash <= previous || mask === 0) throw new RangeError(hash <= previous ? `is not sorted at entry ${index / 2}` : `has no intents at entry ${index / 2}`);
    previous = hash;
    const home = hash >>> shift;
    last = home > last ? home : last + 1;
    slots[last * 2] = hash;
    slots[last * 2 + 1] = mask;
  }
  return last;
}

/** Sorted columns as file-order pairs, less any feature with no intents (never seen: nothing to store). */
function interleave(columns: KnownFeatureColumns): Uint32Array {
  let stored = 0;
  for (const mask of columns.intentMasks) if (mask !== 0) stored++;
  const pairs = new Uint32Array(stored * 2);
  let position = 0;
  for (let index = 0; index < columns.hashes.length; index++) {
    if (columns.intentMasks[index] === 0) continue;
    pairs[position++] = columns.hashes[index];
    pairs[position++] = columns.intentMasks[index];
  }
  return pairs;
}

function isStrictlyAscending(values: Uint32Array): boolean {
  for (let index = 1; index < values.length; index++) if (values[index] <= values[index - 1]) return false;
  return true;
}

/** Hand-made sets (tests, tools) need not be sorted; repeated hashes merge their intents. */
function sortedAndMerged(known: KnownFeatureColumns): KnownFeatureColumns {
  const merged = new Map<number, number>();
  known.hashes.forEach((hash, index) => merged.set(hash >>> 0, (merged.get(hash >>> 0) ?? 0) | known.intentMasks[index]));
  const entries = [...merged].sort((a, b) => a[0] - b[0]);
  return { hashes: Uint32Array.from(entries, ([hash]) => hash), intentMasks: Uint32Array.from(entries, ([, mask]) => mask) };
}

/** How familiar a message is: overall, and with the rows of one intent. */
export interface Familiarity {
  /** Share of the feature occurrences that occurred anywhere in training. */
  overall: number;
  /** Share that occurred in training rows of the given intent (the predicted one). */
  intent: number;
}

/**
 * Familiarity of a message's features (full hashes, as from `featureHashes`), overall and for
 * intent number `intentIndex` (-1: none), over the first `count` hashes. 1 = every n-gram was
 * seen, 0 = none was. With `masks`, each hash's intent mask is also written there (index for
 * index), so that {@link measureWordFamiliarity} needs no second lookup.
 *
 * @example
 * const known = new KnownFeatureSet({ hashes: new Uint32Array([7, 9]), intentMasks: new Uint32Array([0b01, 0b10]) });
 * measureFamiliarity(new Uint32Array([7, 9, 11, 13]), known, 0) // → { overall: 0.5, intent: 0.25 }
 */
export function measureFamiliarity(hashes: Uint32Array, known: KnownFeatureSet, intentIndex: number, count = hashes.length, masks?: Uint32Array): Familiarity {
  if (count === 0) return { overall: 0, intent: 0 };
  const bit = intentIndex >= 0 ? 1 << intentIndex : 0;
  const intentMasks = masks && masks.length >= count ? masks : new Uint32Array(count);
  known.intentsOfAll(hashes, count, intentMasks);
  let seen = 0;
  let seenWithIntent = 0;
  for (let index = 0; index < count; index++) {
    const intents = intentMasks[index];
    if (intents !== 0) seen++;
    if ((intents & bit) !== 0) seenWithIntent++;
  }
  return { overall: seen / count, intent: seenWithIntent / count };
}

/**
 * Word familiarity with intent number `intentIndex`: the mean over the message's words of 1 for
 * a word seen in training rows of that intent, else the share of its character n-grams of the
 * two longest sizes (`charNgramMax - 1` and `charNgramMax`, at least `charNgramMin`) seen there.
 * 0 for a message without words. `masks` holds each feature's intent mask, as
 * {@link measureFamiliarity} writes them, for the hashes of the `FeatureExtractor.extract` that
 * laid out `words`.
 *
 * @example
 * // one word, "ab": its w: feature (mask 0b1) was seen with intent 0, its three n-grams were not
 * const words = { count: 1, hashIndex: Int32Array.of(0), gramStart: Int32Array.of(1), boundedLength: Int32Array.of(4) };
 * measureWordFamiliarity(Uint32Array.of(0b1, 0, 0, 0), words, 0, 2, 5) // → 1
 */
export function measureWordFamiliarity(masks: Uint32Array, words: WordLayout, intentIndex: number, charNgramMin: number, charNgramMax: number): number {
  if (words.count === 0 || intentIndex < 0) return 0;
  const bit = 1 << intentIndex;
  const smallest = Math.max(charNgramMin, charNgramMax - 1);
  let sum = 0;
  for (let word = 0; word < words.count; word++) {
    if ((masks[words.hashIndex[word]] & bit) !== 0) {
      sum += 1;
      continue;
    }
    const length = words.boundedLength[word];
    let position = words.gramStart[word];
    for (let size = charNgramMin; size < smallest; size++) position += Math.max(0, length - size + 1);
    let grams = 0;
    let seen = 0;
    for (let size = smallest; size <= charNgramMax; size++) {
      for (let start = 0; start + size <= length; start++, position++) {
        grams++;
        if ((masks[position] & bit) !== 0) seen++;
      }
    }
    if (grams > 0) sum += seen / grams;
  }
  return sum / words.count;
}
