import { fnv1a32 } from './hash.js';
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
  buckets: 1 << 17,
  charNgramMin: 2,
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
 * featureStrings('Faktura?', DEFAULT_FEATURIZER_CONFIG).slice(0, 3) // → ['w:faktura', 'c:<f', 'c:fa']
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
 * The hashed feature ids of a message (a multiset: repeated n-grams repeat). An empty array
 * means the message has no words, numbers or emoji at all.
 *
 * @example
 * featurize('Gdzie jest moja paczka?', DEFAULT_FEATURIZER_CONFIG) // → Int32Array of ids in [0, config.buckets)
 */
export function featurize(text: string, config: FeaturizerConfig): Int32Array {
  const strings = featureStrings(text, config);
  const ids = new Int32Array(strings.length);
  for (let index = 0; index < strings.length; index++) ids[index] = fnv1a32(strings[index]) % config.buckets;
  return ids;
}
