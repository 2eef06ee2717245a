import { foldDiacritics, normalizeText, tokenize } from '../text/normalize.js';

/** How a question becomes hashed terms for topic discovery. */
export interface TermSettings {
  /** Hash space (a power of two); collisions are rare at 2^20 for a million questions. */
  buckets: number;
  /** Character n-gram lengths inside `<word>` (on diacritic-folded text). */
  charMin: number;
  charMax: number;
  /** Word prefixes of these lengths (a crude stemmer across inflections and related languages); 0 = none. */
  prefixMin: number;
  prefixMax: number;
}

export const DEFAULT_TERM_SETTINGS: TermSettings = { buckets: 1 << 20, charMin: 3, charMax: 5, prefixMin: 0, prefixMax: 0 };

/**
 * Whether a discovery word is a marker rather than something the buyer wrote letter by letter:
 * a placeholder (`<id>`, `<amount>`) or a concept token of the lexicon (`<=invoice>`). Markers
 * are whole terms: their letters are not n-grams, not topic terms, not looked up as words.
 */
export function isMarkerToken(word: string): boolean {
  return word.startsWith('<');
}

/** The words of a question as discovery sees them: normalised, folded, placeholders kept. */
export function discoveryWords(text: string): string[] {
  return tokenize(foldDiacritics(normalizeText(text))).map((token) => token.text);
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_SEED = fnvString(FNV_OFFSET, 'w:');
const CHAR_SEED = fnvString(FNV_OFFSET, 'c:');
const PREFIX_SEED = fnvString(FNV_OFFSET, 'p:');

function fnvString(hash: number, text: string): number {
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), FNV_PRIME);
  return hash;
}

/**
 * The hashed terms of one question, in two blocks: whole words (placeholders and emoji
 * included) and character n-grams of each `<word>`. Character n-grams on folded text are what
 * lets "reklamacja", "reklamace", "reklamácia" and "reklamáció" share terms across languages.
 * Buckets are returned sorted, repeated once per occurrence.
 *
 * @example
 * const { words, chars } = hashTerms(['faktura', 'vat'], DEFAULT_TERM_SETTINGS);
 * words.length // → 2
 */
export function hashTerms(words: readonly string[], settings: TermSettings): { words: Uint32Array; chars: Uint32Array } {
  const mask = settings.buckets - 1;
  const wordBuckets = new Uint32Array(words.length);
  let charCount = 0;
  for (const word of words) {
    const padded = word.length + 2;
    if (settings.charMin > 0) for (let n = settings.charMin; n <= settings.charMax; n++) if (padded >= n) charCount += padded - n + 1;
    if (settings.prefixMin > 0) charCount += settings.prefixMax - settings.prefixMin + 1;
  }
  const charBuckets = new Uint32Array(charCount);
  let next = 0;
  words.forEach((word, wordIndex) => {
    wordBuckets[wordIndex] = (fnvString(WORD_SEED, word) >>> 0) & mask;
    // Placeholders (<id>, <amount>, …) are whole-word terms only: their letters mean nothing.
    if (isMarkerToken(word)) return;
    const padded = `<${word}>`;
    if (settings.prefixMin > 0) {
      for (let length = settings.prefixMin; length <= settings.prefixMax; length++) {
        // A word shorter than the prefix counts whole, so "vat" and "nip" still count.
        if (length > word.length && length > settings.prefixMin) break;
        let hash = PREFIX_SEED;
        const end = Math.min(length + 1, padded.length);
        for (let offset = 0; offset < end; offset++) hash = Math.imul(hash ^ padded.charCodeAt(offset), FNV_PRIME);
        charBuckets[next++] = (hash >>> 0) & mask;
      }
    }
    if (settings.charMin > 0) for (let n = settings.charMin; n <= settings.charMax; n++) {
      for (let start = 0; start + n <= padded.length; start++) {
        let hash = CHAR_SEED;
        for (let offset = 0; offset < n; offset++) hash = Math.imul(hash ^ padded.charCodeAt(start + offset), FNV_PRIME);
        charBuckets[next++] = (hash >>> 0) & mask;
      }
    }
  });
  return { words: wordBuckets.sort(), chars: charBuckets.subarray(0, next).sort() };
}
