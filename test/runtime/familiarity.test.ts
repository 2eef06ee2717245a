import { describe, expect, it } from 'vitest';
import { KnownFeatureSet, measureFamiliarity } from '../../src/runtime/familiarity.js';

const familiarity = (hashes: Uint32Array, known: KnownFeatureSet) => measureFamiliarity(hashes, known, -1).overall;

/** Known features that all occurred with intent 0. */
const knownSet = (hashes: Uint32Array) => new KnownFeatureSet({ hashes, intentMasks: new Uint32Array(hashes.length).fill(1) });
import { DEFAULT_FEATURIZER_CONFIG, featureHashes, featureStrings, featurize } from '../../src/features/featurize.js';
import { fnv1a32 } from '../../src/features/hash.js';
import { SeededRandom } from '../../src/util/random.js';

describe('KnownFeatureSet', () => {
  it('holds exactly the hashes it was built from, 0 and 2^32−1 included', () => {
    const random = new SeededRandom(3);
    const members = new Set<number>([0, 0xffffffff]);
    while (members.size < 5000) members.add(Math.floor(random.next() * 2 ** 32));
    const set = knownSet(Uint32Array.from(members));
    expect(set.size).toBe(5000);
    for (const hash of members) expect(set.has(hash)).toBe(true);
    let falsePositives = 0;
    for (let index = 0; index < 5000; index++) {
      const probe = Math.floor(random.next() * 2 ** 32);
      if (!members.has(probe) && set.has(probe)) falsePositives++;
    }
    expect(falsePositives).toBe(0);
  });

  it('is empty when built from nothing', () => {
    const set = knownSet(new Uint32Array(0));
    expect(set.has(0)).toBe(false);
    expect(set.has(12345)).toBe(false);
  });
});

describe('familiarity', () => {
  it('is the share of feature occurrences whose full hash is known', () => {
    const known = knownSet(Uint32Array.from([1, 2]));
    expect(familiarity(Uint32Array.from([1, 2, 3, 4]), known)).toBe(0.5);
    expect(familiarity(Uint32Array.from([1, 1, 1, 9]), known)).toBe(0.75);
    expect(familiarity(new Uint32Array(0), known)).toBe(0);
  });

  it('tells apart features that share a bucket id', () => {
    const text = 'gdzie jest paczka';
    const hashes = featureHashes(text, DEFAULT_FEATURIZER_CONFIG);
    // Hashes are the full fnv1a32 of the feature strings; ids are the same mod buckets.
    expect(Array.from(hashes)).toEqual(featureStrings(text, DEFAULT_FEATURIZER_CONFIG).map(fnv1a32));
    expect(Array.from(featurize(text, DEFAULT_FEATURIZER_CONFIG))).toEqual(Array.from(hashes, (hash) => hash % DEFAULT_FEATURIZER_CONFIG.buckets));
    // A hash that lands in a known bucket but is not itself known counts as unseen.
    const collider = (hashes[0] + DEFAULT_FEATURIZER_CONFIG.buckets) >>> 0;
    const known = knownSet(hashes);
    expect(familiarity(Uint32Array.from([collider]), known)).toBe(0);
    expect(familiarity(hashes, known)).toBe(1);
  });
});

describe('measureFamiliarity', () => {
  it('counts, in one pass, what was seen at all and what was seen with one intent', () => {
    const known = new KnownFeatureSet({ hashes: Uint32Array.from([0, 5, 7]), intentMasks: Uint32Array.from([0b10, 0b01, 0b11]) });
    expect(known.intentsOf(0)).toBe(0b10);
    expect(known.intentsOf(9)).toBe(0);
    expect(measureFamiliarity(Uint32Array.from([0, 5, 7, 9]), known, 0)).toEqual({ overall: 0.75, intent: 0.5 });
    expect(measureFamiliarity(Uint32Array.from([0, 5, 7, 9]), known, 1)).toEqual({ overall: 0.75, intent: 0.5 });
    expect(measureFamiliarity(Uint32Array.from([0, 5, 7, 9]), known, -1)).toEqual({ overall: 0.75, intent: 0 });
  });
});
