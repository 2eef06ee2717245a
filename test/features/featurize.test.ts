import { describe, expect, it } from 'vitest';
import { fnv1a32 } from '../../src/features/hash.js';
import { join } from 'node:path';
import { DEFAULT_FEATURIZER_CONFIG, featureStrings, featurize, type FeaturizerConfig } from '../../src/features/featurize.js';
import { readLabelledData } from '../../src/data/csv.js';
import { packageRoot } from '../../src/util/package-root.js';

// Golden vectors: another implementation of the artifact format must reproduce these exactly.
const CONFIG: FeaturizerConfig = { buckets: 1024, charNgramMin: 2, charNgramMax: 5, wordBigrams: true, unfoldedWords: true };

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test values', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes, including characters outside the BMP', () => {
    expect(fnv1a32('c:<pł')).toBe(1445212019);
    expect(fnv1a32('📦')).toBe(1536559373);
  });
});

describe('featurize', () => {
  it('emits word, bigram, character n-gram and unfolded-word features in a fixed order', () => {
    expect(featureStrings('Číslo účtu 📦', CONFIG)).toEqual([
      'w:cislo', 'w:uctu', 'w:📦', 'b:cislo uctu', 'b:uctu 📦',
      'c:<c', 'c:ci', 'c:is', 'c:sl', 'c:lo', 'c:o>', 'c:<ci', 'c:cis', 'c:isl', 'c:slo', 'c:lo>', 'c:<cis', 'c:cisl', 'c:islo', 'c:slo>', 'c:<cisl', 'c:cislo', 'c:islo>',
      'c:<u', 'c:uc', 'c:ct', 'c:tu', 'c:u>', 'c:<uc', 'c:uct', 'c:ctu', 'c:tu>', 'c:<uct', 'c:uctu', 'c:ctu>', 'c:<uctu', 'c:uctu>',
      'u:číslo', 'u:účtu',
    ]);
  });

  it('maps feature strings to pinned bucket ids', () => {
    expect(Array.from(featurize('Číslo účtu 📦', CONFIG))).toEqual([
      828, 43, 648, 810, 114, 893, 888, 592, 583, 553, 785, 124, 593, 116, 248, 565, 925, 519, 641, 946, 99, 440, 685,
      827, 700, 1007, 387, 171, 904, 216, 878, 135, 436, 87, 752, 723, 331, 315, 279,
    ]);
  });

  it('masks ids before featurising so order numbers do not become features', () => {
    expect(featureStrings('Paczka #48213?', CONFIG).slice(0, 3)).toEqual(['w:paczka', 'w:<id>', 'b:paczka <id>']);
  });

  it('gives spellings with and without diacritics the same word and n-gram features', () => {
    for (const [withMarks, without] of [['przesyłka', 'przesylka'], ['zásielka', 'zasielka'], ['számla', 'szamla']]) {
      const shared = featureStrings(withMarks, CONFIG).filter((feature) => !feature.startsWith('u:'));
      expect(shared).toEqual(featureStrings(without, CONFIG));
      expect(featureStrings(withMarks, CONFIG)).toContain(`u:${withMarks}`);
    }
  });

  it('computes exactly the ids of hashing featureStrings (the fast path equals the specification)', () => {
    const texts = [
      ...readLabelledData([join(packageRoot(), 'data', 'test')]).map((example) => example.text),
      'Ｆａｋｔｕｒａ', 'ß straße', 'a', 'ÉÁŐŰ 📦📦 <b>', 'x'.repeat(40), 'Číslo účtu 📦 ǅ ﬁ', '\u0063\u030c', 'przesyłka żółta 1 299,00 zł',
    ];
    for (const config of [CONFIG, DEFAULT_FEATURIZER_CONFIG, { ...CONFIG, wordBigrams: false, unfoldedWords: false, charNgramMin: 3, charNgramMax: 3 }]) {
      for (const text of texts) {
        expect(Array.from(featurize(text, config)), text).toEqual(featureStrings(text, config).map((feature) => fnv1a32(feature) % config.buckets));
      }
    }
  });

  it('returns no ids for empty or punctuation-only input', () => {
    expect(featurize('', CONFIG).length).toBe(0);
    expect(featurize(' ?? ', CONFIG).length).toBe(0);
  });
});
