import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KnownFeatureSet, measureFamiliarity, measureWordFamiliarity } from '../../src/runtime/familiarity.js';
import { FeatureExtractor } from '../../src/features/extractor.js';

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

  it('answers every lookup as a map of the merged columns would, whatever their order and repeats', () => {
    // Hashes drawn from a few narrow ranges crowd the same slots, the last one past the table's end.
    const crowdedHash = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0xffffff00, max: 0xffffffff }), fc.integer({ min: 0x7ffffff0, max: 0x80000010 }), fc.nat({ max: 0xffffffff }));
    fc.assert(
      fc.property(fc.array(fc.tuple(crowdedHash, fc.nat({ max: 0xffff })), { maxLength: 300 }), fc.array(crowdedHash, { maxLength: 50 }), (entries, probes) => {
        const expected = new Map<number, number>();
        for (const [hash, mask] of entries) expected.set(hash, (expected.get(hash) ?? 0) | mask);
        const set = new KnownFeatureSet({ hashes: Uint32Array.from(entries, ([hash]) => hash), intentMasks: Uint32Array.from(entries, ([, mask]) => mask) });
        for (const hash of [...expected.keys(), ...probes]) expect(set.intentsOf(hash)).toBe(expected.get(hash) ?? 0);
        expect(set.size).toBe([...expected.values()].filter((mask) => mask !== 0).length);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses file-order pairs that are not strictly ascending, naming the entry', () => {
    expect(() => new KnownFeatureSet({ pairs: Uint32Array.of(5, 1, 9, 1, 9, 2) })).toThrow(new RangeError('is not sorted at entry 2'));
    expect(() => new KnownFeatureSet({ pairs: Uint32Array.of(0xffffffff, 1, 3, 1) })).toThrow(/entry 1/);
    // An empty slot inside a run would end the lookups of the pairs after it.
    expect(() => new KnownFeatureSet({ pairs: Uint32Array.of(5, 1, 9, 0, 12, 1) })).toThrow(new RangeError('has no intents at entry 1'));
  });

  it('finds every pair of a run longer than the table\'s margin at its very end', () => {
    const hashes = Uint32Array.from({ length: 500 }, (_, index) => 0xffffffff - 499 + index);
    const set = new KnownFeatureSet({ hashes, intentMasks: new Uint32Array(500).fill(0b10) });
    expect([...hashes].every((hash) => set.intentsOf(hash) === 0b10)).toBe(true);
    expect(set.intentsOf(0xffffffff - 500)).toBe(0);
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

describe('measureWordFamiliarity', () => {
  // With 2–5-grams (not the default 4–5), so that the layout's shorter n-grams are skipped too.
  const config = { ...DEFAULT_FEATURIZER_CONFIG, charNgramMin: 2 };
  /** Known features made from feature strings, each seen with the intents of `mask`. */
  const knownFrom = (features: string[], mask = 0b1) => new KnownFeatureSet({ hashes: Uint32Array.from(features.map(fnv1a32)), intentMasks: new Uint32Array(features.length).fill(mask) });
  const wordFamiliarity = (text: string, known: KnownFeatureSet, intent = 0) => {
    const extractor = new FeatureExtractor(config);
    const count = extractor.extract(text);
    const masks = new Uint32Array(count);
    measureFamiliarity(extractor.hashes, known, intent, count, masks);
    return measureWordFamiliarity(masks, extractor.words, intent, config.charNgramMin, config.charNgramMax);
  };

  it('lays out each word: its w: hash and its character n-grams, as featureStrings orders them', () => {
    const text = 'Gdzie paczka 😀 nr <id>?';
    const extractor = new FeatureExtractor(config);
    extractor.extract(text);
    const strings = featureStrings(text, config);
    const words = extractor.words;
    expect(words.count).toBe(3); // gdzie, paczka, nr: not the emoji, not the placeholder
    expect(strings[words.hashIndex[1]]).toBe('w:paczka');
    // "<paczka>" is 8 code points: 7 bigrams, then 6 trigrams, 5 four-grams, 4 five-grams.
    expect(words.boundedLength[1]).toBe(8);
    expect(strings.slice(words.gramStart[1], words.gramStart[1] + 2)).toEqual(['c:<p', 'c:pa']);
    expect(strings[words.gramStart[1] + 7 + 6 + 5]).toBe('c:<pacz');
  });

  it('counts a word seen with the intent as 1, else the share of its 4- and 5-grams seen with it', () => {
    // "<kot>" has two 4-grams (<kot, kot>) and one 5-gram (<kot>).
    const known = knownFrom(['w:jest', 'c:<kot', 'c:<kot>']);
    expect(wordFamiliarity('jest kot', known)).toBeCloseTo((1 + 2 / 3) / 2, 12);
    // Seen, but with another intent, counts as unseen.
    expect(wordFamiliarity('jest kot', known, 1)).toBe(0);
    // A word too short for 4-grams and not itself seen counts 0; no words at all is 0.
    expect(wordFamiliarity('jest a', known)).toBe(0.5);
    expect(wordFamiliarity('😀', known)).toBe(0);
  });

  it('keeps a typo in a known word mostly familiar, and a new name not', () => {
    const word = 'przesylka';
    const grams = featureStrings(word, config).filter((feature) => feature.startsWith('c:'));
    const known = knownFrom([`w:${word}`, ...grams, 'w:gdzie']);
    expect(wordFamiliarity('gdzie przesylka', known)).toBe(1);
    expect(wordFamiliarity('gdzie przesylak', known)).toBeGreaterThan(0.75); // typo: most 4/5-grams still known
    expect(wordFamiliarity('gdzie revolut', known)).toBe(0.5); // the name shares no 4/5-gram
  });
});

describe('KnownFeatureSet from the stored pairs', () => {
  it('answers like the one built from columns', () => {
    const hashes = Uint32Array.from([3, 8, 0xfffffff0]);
    const intentMasks = Uint32Array.from([1, 6, 2]);
    const pairs = Uint32Array.from([3, 1, 8, 6, 0xfffffff0, 2]);
    const fromColumns = new KnownFeatureSet({ hashes, intentMasks });
    const fromPairs = new KnownFeatureSet({ pairs });
    expect(fromPairs.size).toBe(3);
    for (const probe of [0, 3, 8, 9, 0xfffffff0, 0xffffffff]) expect(fromPairs.intentsOf(probe)).toBe(fromColumns.intentsOf(probe));
  });
});
