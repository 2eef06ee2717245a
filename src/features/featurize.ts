import { fnv1a32AddCodePoint, fnv1a32Continue, FNV_OFFSET_BASIS } from './hash.js';
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

const PREFIX_WORD = fnv1a32Continue(FNV_OFFSET_BASIS, 'w:');
const PREFIX_BIGRAM = fnv1a32Continue(FNV_OFFSET_BASIS, 'b:');
const PREFIX_CHAR = fnv1a32Continue(FNV_OFFSET_BASIS, 'c:');
const PREFIX_UNFOLDED = fnv1a32Continue(FNV_OFFSET_BASIS, 'u:');
const SPACE = 0x20;
const WORD_START = 0x3c; // '<'
const WORD_END = 0x3e; // '>'
const NON_ASCII = /[^\x00-\x7f]/;

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

/** Feature hashes → bucket ids (`hash mod buckets`), written into `out` when given. */
export function bucketIds(hashes: Uint32Array, buckets: number, out: Int32Array = new Int32Array(hashes.length)): Int32Array {
  // A power-of-two modulus is a mask; `%` on hashes above 2^31 takes V8's slow floating-point path.
  if ((buckets & (buckets - 1)) === 0) {
    const mask = buckets - 1;
    for (let index = 0; index < hashes.length; index++) out[index] = hashes[index] & mask;
  } else {
    for (let index = 0; index < hashes.length; index++) out[index] = hashes[index] % buckets;
  }
  return out;
}

/**
 * The full 32-bit `fnv1a32` of every string of {@link featureStrings}, in the same order. The
 * bucket ids of {@link featurize} are these mod `buckets`; the full hashes tell whether a
 * feature was ever seen in training (runtime/familiarity.ts), which bucket ids cannot: with
 * 2^16 buckets most unseen n-grams share a bucket with a trained one.
 *
 * This is the hot path of classification, so it hashes each feature incrementally (prefix
 * state + code points) instead of building ~200 strings per message; a test holds it equal to
 * hashing `featureStrings`.
 *
 * @example
 * featureHashes('Faktura?', DEFAULT_FEATURIZER_CONFIG)[0] === fnv1a32('w:faktura') // → true
 */
export function featureHashes(text: string, config: FeaturizerConfig): Uint32Array {
  const normalized = normalizeText(text);
  const folded = foldDiacritics(normalized);
  const tokens = tokenize(folded);
  const { charNgramMin, charNgramMax } = config;

  // Count the features first so the ids can be written in place, in order, into one array.
  let count = tokens.length + (config.wordBigrams ? Math.max(0, tokens.length - 1) : 0);
  for (const token of tokens) {
    if (token.kind === 'word') count += characterNgramCount(codePointLength(token.text) + 2, charNgramMin, charNgramMax);
  }
  // Words that folding changed; ASCII words never change, and text folding left alone has none.
  const unfolded: string[] = [];
  if (config.unfoldedWords && folded !== normalized) {
    for (const token of tokenize(normalized)) {
      if (token.kind === 'word' && NON_ASCII.test(token.text) && foldDiacritics(token.text) !== token.text) unfolded.push(token.text);
    }
  }
  count += unfolded.length;

  const ids = new Uint32Array(count);
  let position = 0;
  for (const token of tokens) ids[position++] = fnv1a32Continue(PREFIX_WORD, token.text) >>> 0;
  if (config.wordBigrams) {
    for (let index = 1; index < tokens.length; index++) {
      const first = fnv1a32Continue(PREFIX_BIGRAM, tokens[index - 1].text);
      ids[position++] = fnv1a32Continue(fnv1a32AddCodePoint(first, SPACE), tokens[index].text) >>> 0;
    }
  }
  for (const token of tokens) {
    if (token.kind !== 'word') continue;
    const length = loadBoundedCodePoints(token.text);
    // All n-grams starting at `start` share their prefix: extend one running hash per start.
    // The n-gram of size n at `start` goes to offsetOf(n) + start: "shorter first" order.
    for (let start = 0; start < length; start++) {
      let hash = PREFIX_CHAR;
      let offset = position;
      for (let size = 1; size <= charNgramMax && start + size <= length; size++) {
        hash = fnv1a32AddCodePoint(hash, codePointBuffer[start + size - 1]);
        if (size >= charNgramMin) {
          ids[offset + start] = hash >>> 0;
          offset += length - size + 1;
        }
      }
    }
    position += characterNgramCount(length, charNgramMin, charNgramMax);
  }
  for (const word of unfolded) ids[position++] = fnv1a32Continue(PREFIX_UNFOLDED, word) >>> 0;
  return ids;
}

/** Number of character n-grams of sizes min..max in a string of `length` code points. */
function characterNgramCount(length: number, min: number, max: number): number {
  let count = 0;
  for (let size = min; size <= max; size++) count += Math.max(0, length - size + 1);
  return count;
}

function codePointLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index++, length++) if (text.codePointAt(index)! > 0xffff) index++;
  return length;
}

// Reused between calls (the runtime is single-threaded): classification allocates no per-word arrays.
let codePointBuffer = new Int32Array(64);

/** Writes `<word>` as code points into codePointBuffer and returns their number. */
function loadBoundedCodePoints(word: string): number {
  if (codePointBuffer.length < word.length + 2) codePointBuffer = new Int32Array(word.length * 2 + 2);
  let length = 0;
  codePointBuffer[length++] = WORD_START;
  for (let index = 0; index < word.length; index++) {
    const codePoint = word.codePointAt(index)!;
    if (codePoint > 0xffff) index++;
    codePointBuffer[length++] = codePoint;
  }
  codePointBuffer[length++] = WORD_END;
  return length;
}
