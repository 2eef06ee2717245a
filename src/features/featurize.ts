import { FeatureExtractor } from './extractor.js';
import { foldDiacritics, normalizeText, tokenize } from '../text/normalize.js';

/**
 * Everything that decides which feature ids a message gets. Stored in the artifact; a service
 * reimplementing the featurizer reads these values from `allina.json`.
 */
export interface FeaturizerConfig {
  /** Number of hash buckets: feature id = fnv1a32(featureString) mod buckets. */
  buckets: number;
  /** Smallest and largest character n-gram length, counted on the word with its `<` `>` marks. */
  charNgramMin: number;
  charNgramMax: number;
  /** Emit `b:` features for adjacent token pairs. */
  wordBigrams: boolean;
  /** Emit `u:` features for words whose diacritics were folded away (a language cue). */
  unfoldedWords: boolean;
}

export const DEFAULT_FEATURIZER_CONFIG: FeaturizerConfig = {
  buckets: 1 << 16,
  // 4- and 5-grams only: as accurate on dev and the tuning split as 2–5-grams, with ~55% fewer
  // features per question, which is most of the time spent classifying one (docs/OPEN-WORLD.md).
  charNgramMin: 4,
  charNgramMax: 5,
  wordBigrams: true,
  unfoldedWords: true,
};

/**
 * The feature strings of a message, before hashing, in a fixed order:
 * 1. for each token of the folded text: `w:TOKEN`;
 * 2. for each adjacent token pair: `b:FIRST SECOND`;
 * 3. for each word token, every character n-gram of `<word>` (length min..max, left to right,
 *    shorter first): `c:GRAM`;
 * 4. for each word of the unfolded text that folding changes: `u:WORD`.
 * Folded text is used for 1–3 so that "przesyłka" and "przesylka" share all of them.
 *
 * @example
 * featureStrings('Faktura?', DEFAULT_FEATURIZER_CONFIG).slice(0, 3) // → ['w:faktura', 'c:<fak', 'c:fakt']
 */
export function featureStrings(text: string, config: FeaturizerConfig): string[] {
  const normalized = normalizeText(text);
  const folded = foldDiacritics(normalized);
  const tokens = tokenize(folded);
  const features: string[] = [];
  for (const token of tokens) features.push(`w:${token.text}`);
  if (config.wordBigrams) {
    for (let index = 1; index < tokens.length; index++) {
      features.push(`b:${tokens[index - 1].text} ${tokens[index].text}`);
    }
  }
  for (const token of tokens) {
    if (token.kind !== 'word') continue;
    const bounded = Array.from(`<${token.text}>`);
    for (let length = config.charNgramMin; length <= config.charNgramMax; length++) {
      for (let start = 0; start + length <= bounded.length; start++) {
        features.push(`c:${bounded.slice(start, start + length).join('')}`);
      }
    }
  }
  if (config.unfoldedWords) {
    for (const token of tokenize(normalized)) {
      if (token.kind === 'word' && foldDiacritics(token.text) !== token.text) features.push(`u:${token.text}`);
    }
  }
  return features;
}

/**
 * The hashed feature ids of a message: `fnv1a32(feature) mod buckets` for every string of
 * {@link featureStrings}, in the same order (a multiset: repeated n-grams repeat). An empty
 * array means the message has no words, numbers or emoji at all.
 *
 * @example
 * featurize('Gdzie jest moja paczka?', DEFAULT_FEATURIZER_CONFIG) // → Int32Array of ids in [0, config.buckets)
 */
export function featurize(text: string, config: FeaturizerConfig): Int32Array {
  return bucketIds(featureHashes(text, config), config.buckets);
}

/** Feature hashes → bucket ids (`hash mod buckets`) of the first `count` hashes, written into `out` when given. */
export function bucketIds(hashes: Uint32Array, buckets: number, out: Int32Array = new Int32Array(hashes.length), count = hashes.length): Int32Array {
  // A power-of-two modulus is a mask; `%` on hashes above 2^31 takes V8's slow floating-point path.
  if ((buckets & (buckets - 1)) === 0) {
    const mask = buckets - 1;
    for (let index = 0; index < count; index++) out[index] = hashes[index] & mask;
  } else {
    for (let index = 0; index < count; index++) out[index] = hashes[index] % buckets;
  }
  return out;
}

/**
 * The full 32-bit `fnv1a32` of every string of {@link featureStrings}, in the same order. The
 * bucket ids of {@link featurize} are these mod `buckets`; the full hashes tell whether a
 * feature was ever seen in training (runtime/familiarity.ts), which bucket ids cannot: with
 * 2^16 buckets most unseen n-grams share a bucket with a trained one.
 *
 * Computed by a {@link FeatureExtractor} (the runtime's hot path, which reuses its buffers);
 * this returns a copy. A test holds it equal to hashing `featureStrings`.
 *
 * @example
 * featureHashes('Faktura?', DEFAULT_FEATURIZER_CONFIG)[0] === fnv1a32('w:faktura') // → true
 */
export function featureHashes(text: string, config: FeaturizerConfig): Uint32Array {
  let extractor = extractors.get(config);
  if (!extractor) extractors.set(config, (extractor = new FeatureExtractor(config)));
  const count = extractor.extract(text);
  return extractor.hashes.slice(0, count);
}

const extractors = new WeakMap<FeaturizerConfig, FeatureExtractor>();
