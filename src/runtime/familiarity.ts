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
 */

/**
 * The features seen in training: full 32-bit hashes, sorted, and for each a bit mask of the
 * intents (bit i = `manifest.intents[i]`) in whose training rows it occurred.
 */
export interface KnownFeatures {
  hashes: Uint32Array;
  intentMasks: Uint32Array;
}

/**
 * The known features as a hash map from feature hash to intent mask: open addressing with
 * linear probing in a power-of-two table at most ~70% full, hash and mask side by side so that
 * one lookup touches one cache line. Built once when a model loads.
 */
export class KnownFeatureSet {
  private readonly table: Uint32Array;
  private readonly mask: number;
  /** A hash of 0 marks an empty slot, so the mask of the hash 0 itself is kept apart. */
  private readonly zeroMask: number;
  readonly size: number;

  constructor(known: KnownFeatures) {
    let capacity = 16;
    // At most ~70% full: a smaller table stays in cache better than a half-empty one.
    while (capacity * 0.7 < known.hashes.length) capacity *= 2;
    this.table = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
    let zeroMask = 0;
    let size = 0;
    for (let index = 0; index < known.hashes.length; index++) {
      const hash = known.hashes[index];
      const intents = known.intentMasks[index];
      if (hash === 0) {
        if (zeroMask === 0) size++;
        zeroMask |= intents;
        continue;
      }
      let slot = mix(hash) & this.mask;
      while (this.table[slot * 2] !== 0 && this.table[slot * 2] !== hash) slot = (slot + 1) & this.mask;
      if (this.table[slot * 2] === 0) size++;
      this.table[slot * 2] = hash;
      this.table[slot * 2 + 1] |= intents;
    }
    this.zeroMask = zeroMask;
    this.size = size;
  }

  /** The intent mask of a feature hash: 0 when it never occurred in training. */
  intentsOf(hash: number): number {
    if (hash === 0) return this.zeroMask;
    let slot = mix(hash) & this.mask;
    for (;;) {
      const stored = this.table[slot * 2];
      if (stored === hash) return this.table[slot * 2 + 1];
      if (stored === 0) return 0;
      slot = (slot + 1) & this.mask;
    }
  }

  has(hash: number): boolean {
    return this.intentsOf(hash) !== 0;
  }
}

/** Spreads FNV's low bits, which alone would cluster in a power-of-two table. */
function mix(hash: number): number {
  return Math.imul(hash ^ (hash >>> 16), 0x45d9f3b) >>> 0;
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
 * intent number `intentIndex` (-1: none). 1 = every n-gram was seen, 0 = none was.
 *
 * @example
 * const known = new KnownFeatureSet({ hashes: new Uint32Array([7, 9]), intentMasks: new Uint32Array([0b01, 0b10]) });
 * measureFamiliarity(new Uint32Array([7, 9, 11, 13]), known, 0) // → { overall: 0.5, intent: 0.25 }
 */
export function measureFamiliarity(hashes: Uint32Array, known: KnownFeatureSet, intentIndex: number): Familiarity {
  if (hashes.length === 0) return { overall: 0, intent: 0 };
  const bit = intentIndex >= 0 ? 1 << intentIndex : 0;
  let seen = 0;
  let seenWithIntent = 0;
  for (let index = 0; index < hashes.length; index++) {
    const intents = known.intentsOf(hashes[index]);
    if (intents !== 0) seen++;
    if ((intents & bit) !== 0) seenWithIntent++;
  }
  return { overall: seen / hashes.length, intent: seenWithIntent / hashes.length };
}
