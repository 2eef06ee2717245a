import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { fnv1a32 } from '../../src/features/hash.js';
import { DEFAULT_FEATURIZER_CONFIG, featureStrings, type FeaturizerConfig } from '../../src/features/featurize.js';
import { FeatureExtractor } from '../../src/features/extractor.js';
import { readLabelledData } from '../../src/data/csv.js';
import { packageRoot } from '../../src/util/package-root.js';
import { SHAPE_COUNTED, textShape } from '../../src/runtime/decision.js';

const VARIANT: FeaturizerConfig = { buckets: 1024, charNgramMin: 3, charNgramMax: 4, wordBigrams: false, unfoldedWords: false };

/** The specification: hash every feature string. */
function specified(text: string, config: FeaturizerConfig): number[] {
  return featureStrings(text, config).map((feature) => fnv1a32(feature));
}

function extracted(extractor: FeatureExtractor, text: string): number[] {
  const count = extractor.extract(text); // first: it may replace `hashes` with a larger buffer
  return Array.from(extractor.hashes.subarray(0, count));
}

// Pieces buyers' text is made of, and the special cases of Unicode that the one-pass scan must
// leave to the reference normaliser: combining marks, final sigma, dotted İ, ligatures,
// full-width letters, jamo, variation selectors, emoji sequences, typed placeholders.
const PIECES = [
  'Gdzie', 'jest', 'moja', 'PACZKA', 'przesyłka', 'żółć', 'Łódź', 'kdy', 'dorazí', 'balík', 'Účet', 'zásielka', 'hol', 'van', 'a', 'csomagom', 'Számla', 'ŐRÜLT',
  'straße', 'ß', 'æ', 'Œuvre', 'ΟΔΟΣ', 'σ', 'İstanbul', 'ﬁ', 'Ｆａｋｔｕｒａ', 'ǅ', 'e\u0301', 'q\u0303', 'ᄀ', 'ᅡ', '한국', 'Привет', 'ЁЖ', 'ﷺ',
  '📦', '❤️', '☺\ufe0f', 'a\ufe0fb', '👍🏻', '👨\u200d👩\u200d👧', '1️⃣', '™', '©', '½', '²', 'Ⅻ', '٣',
  '<url>', '<URL>', '<id>', '<Num>', '<b>', '<', '>', '#48213', '149,99 zł', '12.03.', 'http://x.pl/a', 'www.allegro.pl', 'a@b.cz', 'HTTP', 'wWw.', '@',
  ' ', '  ', '?', '!!', ',', '-', '_', '\t', '\n', '\u00a0', '\u200b', '\ud800', '\udc00',
];

describe('FeatureExtractor (the hot path) equals the specification (featureStrings + fnv1a32)', () => {
  it('on every question of the test and open-world splits (and 500 in another configuration)', () => {
    const root = packageRoot();
    const texts = readLabelledData([join(root, 'data', 'test'), join(root, 'data', 'openworld')]).map((example) => example.text);
    const extractor = new FeatureExtractor(DEFAULT_FEATURIZER_CONFIG);
    for (const text of texts) expect(extracted(extractor, text), text).toEqual(specified(text, DEFAULT_FEATURIZER_CONFIG));
    const variant = new FeatureExtractor(VARIANT);
    for (const text of texts.slice(0, 500)) expect(extracted(variant, text), text).toEqual(specified(text, VARIANT));
  });

  it('on random mixtures of buyer text and Unicode special cases', () => {
    const extractor = new FeatureExtractor(DEFAULT_FEATURIZER_CONFIG);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }), fc.array(fc.constantFrom('', ' ', ''), { maxLength: 12 }), (pieces, gaps) => {
        const text = pieces.map((piece, index) => piece + (gaps[index] ?? '')).join('');
        expect(extracted(extractor, text)).toEqual(specified(text, DEFAULT_FEATURIZER_CONFIG));
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('on arbitrary strings of any script', () => {
    const extractor = new FeatureExtractor(DEFAULT_FEATURIZER_CONFIG);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        expect(extracted(extractor, text)).toEqual(specified(text, DEFAULT_FEATURIZER_CONFIG));
      }),
      { numRuns: 1000, seed: 11 },
    );
  });

  it('reuses its buffers: a long message after short ones, then a short one again', () => {
    const extractor = new FeatureExtractor(DEFAULT_FEATURIZER_CONFIG);
    const long = 'przesyłka '.repeat(200);
    for (const text of ['a b', long, 'kdy dorazí balík?']) expect(extracted(extractor, text)).toEqual(specified(text, DEFAULT_FEATURIZER_CONFIG));
  });
});

describe("FeatureExtractor's letter and word counts", () => {
  const shapeOf = (extractor: FeatureExtractor, text: string) => {
    extractor.extract(text);
    return extractor.plainLetters < 0 ? null : { letters: Math.min(extractor.plainLetters, SHAPE_COUNTED), words: Math.min(extractor.plainWords, SHAPE_COUNTED) };
  };

  it('equal textShape whenever the scan read the raw message, and are left to textShape otherwise', () => {
    const extractor = new FeatureExtractor(DEFAULT_FEATURIZER_CONFIG);
    let counted = 0;
    const check = (text: string) => {
      const shape = shapeOf(extractor, text);
      if (shape === null) return;
      counted++;
      expect(shape).toEqual(textShape(text));
    };
    fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((pieces) => pieces.join(' ')), check), { numRuns: 1000, seed: 5 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }), check), { numRuns: 1000, seed: 13 });
    for (const text of readLabelledData([join(packageRoot(), 'data', 'test')]).map((example) => example.text)) check(text);
    expect(counted).toBeGreaterThan(1500);
    // Digits go to the normaliser, and a typed placeholder is letters to textShape: no counts.
    expect(shapeOf(extractor, 'paczka 48213')).toBeNull();
    expect(shapeOf(extractor, 'gdzie <id> jest')).toBeNull();
    expect(shapeOf(extractor, 'kdy dorazí balík? 📦')).toEqual({ letters: 14, words: 3 });
    expect(shapeOf(extractor, 'Gdzie jest moja paczka? 📦 Łódź')).toEqual({ letters: SHAPE_COUNTED, words: 5 });
  });
});
