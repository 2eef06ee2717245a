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
 */

/**
 * A set of 32-bit feature hashes with O(1) membership: open addressing with linear probing in a
 * power-of-two table at most ~70% full. Built once when a model loads.
 */
export class KnownFeatureSet {
  private readonly table: Uint32Array;
  private readonly mask: number;
  /** 0 marks an empty slot, so the hash 0 itself is remembered apart. */
  private readonly hasZero: boolean;
  readonly size: number;

  constructor(hashes: Uint32Array) {
    let capacity = 16;
    // At most ~70% full: a smaller table stays in cache better than a half-empty one.
    while (capacity * 0.7 < hashes.length) capacity *= 2;
    this.table = new Uint32Array(capacity);
    this.mask = capacity - 1;
    let zero = false;
    let size = 0;
    for (let index = 0; index < hashes.length; index++) {
      const hash = hashes[index];
      if (hash === 0) {
        if (!zero) size++;
        zero = true;
        continue;
      }
      let slot = mix(hash) & this.mask;
      while (this.table[slot] !== 0 && this.table[slot] !== hash) slot = (slot + 1) & this.mask;
      if (this.table[slot] === 0) size++;
      this.table[slot] = hash;
    }
    this.hasZero = zero;
    this.size = size;
  }

  has(hash: number): boolean {
    if (hash === 0) return this.hasZero;
    let slot = mix(hash) & this.mask;
    for (;;) {
      const stored = this.table[slot];
      if (stored === hash) return true;
      if (stored === 0) return false;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** Spreads FNV's low bits, which alone would cluster in a power-of-two table. */
function mix(hash: number): number {
  return Math.imul(hash ^ (hash >>> 16), 0x45d9f3b) >>> 0;
}

/**
 * Share of the feature occurrences of a message (its full hashes, as from `featureHashes`) that
 * occurred in training: 1 = every n-gram was seen, 0 = none was.
 *
 * @example
 * const known = new KnownFeatureSet(new Uint32Array([7, 9]));
 * familiarity(new Uint32Array([7, 9, 11, 13]), known) // → 0.5
 */
export function familiarity(hashes: Uint32Array, known: KnownFeatureSet): number {
  if (hashes.length === 0) return 0;
  let seen = 0;
  for (let index = 0; index < hashes.length; index++) if (known.has(hashes[index])) seen++;
  return seen / hashes.length;
}
