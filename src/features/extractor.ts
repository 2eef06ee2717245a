import { fnv1a32AddCodePoint, FNV_OFFSET_BASIS, fnv1a32Continue } from './hash.js';
import { foldDiacritics, normalizeText, tokenize } from '../text/normalize.js';
import { codePointClasses, foldedCodePoint, foldedSecondCodePoint, lowerCodePoint, LETTER, NUMBER, PICTOGRAPHIC, SIMPLE, VARIATION_SELECTOR } from '../text/code-points.js';
import type { FeaturizerConfig } from './featurize.js';

const PREFIX_WORD = fnv1a32Continue(FNV_OFFSET_BASIS, 'w:');
const PREFIX_BIGRAM = fnv1a32Continue(FNV_OFFSET_BASIS, 'b:');
const PREFIX_CHAR = fnv1a32Continue(FNV_OFFSET_BASIS, 'c:');
const PREFIX_UNFOLDED = fnv1a32Continue(FNV_OFFSET_BASIS, 'u:');
const SPACE = 0x20;
const WORD_START = 0x3c; // '<'
const WORD_END = 0x3e; // '>'
const AT_SIGN = 0x40;

/**
 * Where the features of each word token of a message are in the extractor's `hashes`: word i
 * has its `w:` hash at `hashIndex[i]` and its character n-grams from `gramStart[i]` on (in the
 * specification's order: shorter first, left to right), for a word of `boundedLength[i]` code
 * points with its `<` `>` marks. The first `count` entries are valid.
 */
export interface WordLayout {
  count: number;
  hashIndex: Int32Array;
  gramStart: Int32Array;
  boundedLength: Int32Array;
}

const WORD = 0;
const PLACEHOLDER = 1;
const EMOJI = 2;

/** The placeholder tokens a buyer may also type literally ("<url>"), without the leading '<'. */
const PLACEHOLDER_TAILS = ['url>', 'email>', 'amount>', 'date>', 'id>', 'num>'].map((tail) => Array.from(tail, (character) => character.charCodeAt(0)));

/** The last four lower-cased ASCII characters, packed: what "contains http / www." checks. */
const HTTP = packed('http');
const WWW_DOT = packed('www.');
function packed(text: string): number {
  let value = 0;
  for (const character of text) value = ((value << 8) | character.charCodeAt(0)) >>> 0;
  return value;
}

/**
 * The featurizer's hot path: the full 32-bit hash of every feature of a message, in the order
 * of `featureStrings` (the specification; a test holds the two equal on the corpus and on
 * random text). Buffers are reused between calls, so one extractor serves one thread.
 *
 * Most questions are plain text (no digits, no e-mail address or URL, nothing NFKC changes):
 * those are lower-cased, folded and split into tokens in one pass over their code points with
 * per-code-point tables. Anything else — order numbers, amounts, dates, other scripts' special
 * cases — first goes through the reference normaliser (`normalizeText`), whose placeholder
 * rules need its regular expressions.
 *
 * @example
 * const extractor = new FeatureExtractor(DEFAULT_FEATURIZER_CONFIG);
 * const count = extractor.extract('Gdzie jest moja paczka?');
 * extractor.hashes.subarray(0, count); // the message's feature hashes
 */
export class FeatureExtractor {
  /** The hashes of the last message extracted, in `[0, count)`. */
  hashes = new Uint32Array(512);
  /**
   * Letters and words of the last message as `textShape` counts them, when the one-pass scan
   * read the raw message (plain text: the usual case); -1 when it did not, and `textShape` must
   * read the message itself. The decision needs them, and the scan has already classified
   * every code point.
   */
  plainLetters = -1;
  plainWords = -1;
  /** Where each word token of the last message has its features in `hashes`. */
  readonly words: WordLayout = { count: 0, hashIndex: new Int32Array(64), gramStart: new Int32Array(64), boundedLength: new Int32Array(64) };
  private readonly config: FeaturizerConfig;
  /** Folded code points of every token, back to back. */
  private tokenPoints = new Int32Array(256);
  private tokenStart = new Int32Array(64);
  private tokenEnd = new Int32Array(64);
  private tokenKind = new Uint8Array(64);
  private tokenCount = 0;
  private pointCount = 0;
  /** Lower-case code points of the words that folding changes (the `u:` features). */
  private unfoldedPoints = new Int32Array(128);
  private unfoldedStart = new Int32Array(32);
  private unfoldedEnd = new Int32Array(32);
  private unfoldedCount = 0;
  private unfoldedPointCount = 0;
  private boundedWord = new Int32Array(64);

  constructor(config: FeaturizerConfig) {
    this.config = config;
  }

  /** Extracts the features of `text` into `hashes` and returns how many there are. */
  extract(text: string): number {
    this.plainLetters = -1;
    this.plainWords = -1;
    if (!this.scan(text, false)) {
      const normalized = normalizeText(text);
      if (!this.scan(normalized, true)) this.scanNormalized(normalized);
    }
    return this.hashTokens();
  }

  /**
   * One pass over plain text, or over text `normalizeText` already normalised (whose digits,
   * e-mail and URL leftovers are ordinary characters by then). False, with nothing usable
   * scanned, when the text needs the reference normaliser or, normalised, the reference tokeniser.
   */
  private scan(text: string, normalized: boolean): boolean {
    this.tokenCount = 0;
    this.pointCount = 0;
    this.unfoldedCount = 0;
    this.unfoldedPointCount = 0;
    let inWord = false;
    let changed = false;
    let wordUnfoldedStart = 0;
    let window = 0;
    // In raw text every word character is a letter (a number sends the text to the normaliser),
    // so textShape's letters and words are the word characters and word tokens seen here.
    let letters = 0;
    let words = 0;
    let placeholders = false;
    for (let index = 0; index < text.length; index++) {
      let codePoint = text.charCodeAt(index);
      if (codePoint >= 0xd800 && codePoint <= 0xdbff && index + 1 < text.length) {
        const low = text.charCodeAt(index + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          codePoint = ((codePoint - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          index++;
        }
      }
      const classes = codePointClasses(codePoint);
      if ((classes & SIMPLE) === 0) {
        // An emoji's variation selector is dropped by folding; between letters it would join two words.
        if ((classes & VARIATION_SELECTOR) !== 0 && !inWord) {
          window = 0;
          continue;
        }
        return false;
      }
      const lower = codePoint < 0x80 ? (codePoint >= 0x41 && codePoint <= 0x5a ? codePoint + 0x20 : codePoint) : lowerCodePoint(codePoint);
      if (!normalized) {
        // What the normaliser's placeholder rules look for: leave those messages to it.
        if ((classes & NUMBER) !== 0 || lower === AT_SIGN) return false;
        window = lower < 0x80 ? ((window << 8) | lower) >>> 0 : 0;
        if (window === HTTP || window === WWW_DOT) return false;
      }
      if ((classes & (LETTER | NUMBER)) !== 0) {
        if (!inWord) {
          this.beginToken(WORD);
          inWord = true;
          changed = false;
          wordUnfoldedStart = this.unfoldedPointCount;
          words++;
        }
        letters++;
        const folded = codePoint < 0x80 ? lower : foldedCodePoint(codePoint);
        const second = codePoint < 0x80 ? 0 : foldedSecondCodePoint(codePoint);
        this.pushPoint(folded);
        if (second !== 0) this.pushPoint(second);
        if (folded !== lower || second !== 0) changed = true;
        this.pushUnfoldedPoint(lower);
        continue;
      }
      if (inWord) {
        this.endWord(changed, wordUnfoldedStart);
        inWord = false;
      }
      if (lower === WORD_START) {
        const tail = this.placeholderTail(text, index + 1);
        if (tail) {
          placeholders = true;
          this.beginToken(PLACEHOLDER);
          this.pushPoint(WORD_START);
          for (const point of tail) this.pushPoint(point);
          this.endToken();
          for (const point of tail) window = ((window << 8) | point) >>> 0;
          index += tail.length;
        }
      } else if ((classes & PICTOGRAPHIC) !== 0) {
        this.beginToken(EMOJI);
        this.pushPoint(lower);
        this.endToken();
      }
    }
    if (inWord) this.endWord(changed, wordUnfoldedStart);
    // A literal "<id>" in raw text is a placeholder token here but letters to textShape.
    if (!normalized && !placeholders) {
      this.plainLetters = letters;
      this.plainWords = words;
    }
    return true;
  }

  /** Tokens of text the reference normaliser has already normalised (any script, any content). */
  private scanNormalized(normalized: string): void {
    this.tokenCount = 0;
    this.pointCount = 0;
    this.unfoldedCount = 0;
    this.unfoldedPointCount = 0;
    const folded = foldDiacritics(normalized);
    for (const token of tokenize(folded)) {
      this.beginToken(token.kind === 'word' ? WORD : token.kind === 'placeholder' ? PLACEHOLDER : EMOJI);
      for (let index = 0; index < token.text.length; index++) {
        const codePoint = token.text.codePointAt(index)!;
        if (codePoint > 0xffff) index++;
        this.pushPoint(codePoint);
      }
      this.endToken();
    }
    if (!this.config.unfoldedWords || folded === normalized) return;
    for (const token of tokenize(normalized)) {
      if (token.kind !== 'word' || foldDiacritics(token.text) === token.text) continue;
      const start = this.unfoldedPointCount;
      for (let index = 0; index < token.text.length; index++) {
        const codePoint = token.text.codePointAt(index)!;
        if (codePoint > 0xffff) index++;
        this.pushUnfoldedPoint(codePoint);
      }
      this.addUnfoldedWord(start);
    }
  }

  private placeholderTail(text: string, from: number): number[] | undefined {
    for (const tail of PLACEHOLDER_TAILS) {
      if (from + tail.length > text.length) continue;
      let matches = true;
      for (let offset = 0; offset < tail.length && matches; offset++) {
        const code = text.charCodeAt(from + offset);
        matches = (code >= 0x41 && code <= 0x5a ? code + 0x20 : code) === tail[offset];
      }
      if (matches) return tail;
    }
    return undefined;
  }

  private beginToken(kind: number): void {
    if (this.tokenCount === this.tokenStart.length) {
      this.tokenStart = grow(this.tokenStart);
      this.tokenEnd = grow(this.tokenEnd);
      this.tokenKind = grow(this.tokenKind);
    }
    this.tokenStart[this.tokenCount] = this.pointCount;
    this.tokenKind[this.tokenCount] = kind;
  }

  private endToken(): void {
    this.tokenEnd[this.tokenCount++] = this.pointCount;
  }

  private endWord(changed: boolean, unfoldedStart: number): void {
    this.endToken();
    if (changed && this.config.unfoldedWords) this.addUnfoldedWord(unfoldedStart);
    else this.unfoldedPointCount = unfoldedStart;
  }

  private addUnfoldedWord(start: number): void {
    if (this.unfoldedCount === this.unfoldedStart.length) {
      this.unfoldedStart = grow(this.unfoldedStart);
      this.unfoldedEnd = grow(this.unfoldedEnd);
    }
    this.unfoldedStart[this.unfoldedCount] = start;
    this.unfoldedEnd[this.unfoldedCount++] = this.unfoldedPointCount;
  }

  private pushPoint(codePoint: number): void {
    if (this.pointCount === this.tokenPoints.length) this.tokenPoints = grow(this.tokenPoints);
    this.tokenPoints[this.pointCount++] = codePoint;
  }

  private pushUnfoldedPoint(codePoint: number): void {
    if (this.unfoldedPointCount === this.unfoldedPoints.length) this.unfoldedPoints = grow(this.unfoldedPoints);
    this.unfoldedPoints[this.unfoldedPointCount++] = codePoint;
  }

  /** Hashes the scanned tokens into `hashes` in the specification's order; returns the count. */
  private hashTokens(): number {
    const { charNgramMin, charNgramMax, wordBigrams } = this.config;
    const tokens = this.tokenCount;
    let count = tokens + (wordBigrams && tokens > 1 ? tokens - 1 : 0) + this.unfoldedCount;
    for (let token = 0; token < tokens; token++) {
      if (this.tokenKind[token] === WORD) count += characterNgramCount(this.tokenEnd[token] - this.tokenStart[token] + 2, charNgramMin, charNgramMax);
    }
    if (this.hashes.length < count) this.hashes = new Uint32Array(count * 2);
    const hashes = this.hashes;
    const points = this.tokenPoints;
    let position = 0;
    for (let token = 0; token < tokens; token++) hashes[position++] = this.hashRange(PREFIX_WORD, points, this.tokenStart[token], this.tokenEnd[token]) >>> 0;
    if (wordBigrams) {
      for (let token = 1; token < tokens; token++) {
        const first = this.hashRange(PREFIX_BIGRAM, points, this.tokenStart[token - 1], this.tokenEnd[token - 1]);
        hashes[position++] = this.hashRange(fnv1a32AddCodePoint(first, SPACE), points, this.tokenStart[token], this.tokenEnd[token]) >>> 0;
      }
    }
    const words = this.words;
    words.count = 0;
    for (let token = 0; token < tokens; token++) {
      if (this.tokenKind[token] !== WORD) continue;
      const length = this.loadBoundedWord(this.tokenStart[token], this.tokenEnd[token]);
      if (words.count === words.hashIndex.length) {
        words.hashIndex = grow(words.hashIndex);
        words.gramStart = grow(words.gramStart);
        words.boundedLength = grow(words.boundedLength);
      }
      words.hashIndex[words.count] = token;
      words.gramStart[words.count] = position;
      words.boundedLength[words.count++] = length;
      const bounded = this.boundedWord;
      // All n-grams starting at `start` share their prefix: extend one running hash per start.
      // The n-gram of size n at `start` goes to offsetOf(n) + start: "shorter first" order.
      for (let start = 0; start < length; start++) {
        let hash = PREFIX_CHAR;
        let offset = position;
        for (let size = 1; size <= charNgramMax && start + size <= length; size++) {
          hash = fnv1a32AddCodePoint(hash, bounded[start + size - 1]);
          if (size >= charNgramMin) {
            hashes[offset + start] = hash >>> 0;
            offset += length - size + 1;
          }
        }
      }
      position += characterNgramCount(length, charNgramMin, charNgramMax);
    }
    for (let word = 0; word < this.unfoldedCount; word++) {
      hashes[position++] = this.hashRange(PREFIX_UNFOLDED, this.unfoldedPoints, this.unfoldedStart[word], this.unfoldedEnd[word]) >>> 0;
    }
    return count;
  }

  private hashRange(hash: number, points: Int32Array, start: number, end: number): number {
    for (let index = start; index < end; index++) hash = fnv1a32AddCodePoint(hash, points[index]);
    return hash;
  }

  /** Writes `<word>` into boundedWord and returns its length in code points. */
  private loadBoundedWord(start: number, end: number): number {
    const length = end - start + 2;
    if (this.boundedWord.length < length) this.boundedWord = new Int32Array(length * 2);
    this.boundedWord[0] = WORD_START;
    for (let index = start; index < end; index++) this.boundedWord[index - start + 1] = this.tokenPoints[index];
    this.boundedWord[length - 1] = WORD_END;
    return length;
  }
}

/** Number of character n-grams of sizes min..max in a string of `length` code points. */
function characterNgramCount(length: number, min: number, max: number): number {
  let count = 0;
  for (let size = min; size <= max; size++) count += Math.max(0, length - size + 1);
  return count;
}

function grow<T extends Int32Array | Uint8Array>(array: T): T {
  const larger = new (array.constructor as new (length: number) => T)(array.length * 2);
  larger.set(array);
  return larger;
}
