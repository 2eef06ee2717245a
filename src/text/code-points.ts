/**
 * Per-code-point facts the hot path needs, computed once per 256-code-point block on first use
 * (from the same Unicode properties and the same `toLowerCase` / `foldDiacritics` the reference
 * normaliser uses), so that classifying a question tests no regular expression and builds no
 * string per character.
 */
import { foldDiacritics } from './fold.js';

/** \p{L} */
export const LETTER = 1;
/** \p{N} */
export const NUMBER = 2;
/** \p{Extended_Pictographic}: an emoji token of its own. */
export const PICTOGRAPHIC = 4;
/** \p{M} */
export const MARK = 8;
/**
 * The fast path may take this code point as it is: NFKC leaves it alone, it lower-cases to one
 * code point without context, and folding its lower case gives one or two letters (or nothing
 * to fold). Anything else sends the whole message through the reference normaliser.
 */
export const SIMPLE = 16;
/** A variation selector (U+FE00–FE0F): invisible, never composes; simple after a non-word character. */
export const VARIATION_SELECTOR = 32;

const LETTER_PATTERN = /\p{L}/u;
const NUMBER_PATTERN = /\p{N}/u;
const PICTOGRAPHIC_PATTERN = /\p{Extended_Pictographic}/u;
const MARK_PATTERN = /\p{M}/u;

interface Block {
  classes: Uint8Array;
  lower: Int32Array;
  /** Folded lower case: one or two code points; the second is 0 when there is one. */
  folded: Int32Array;
  foldedSecond: Int32Array;
}

const blocks: (Block | undefined)[] = new Array(0x1100);

function classify(codePoint: number): number {
  const character = String.fromCodePoint(codePoint);
  let classes = 0;
  if (LETTER_PATTERN.test(character)) classes |= LETTER;
  if (NUMBER_PATTERN.test(character)) classes |= NUMBER;
  if (PICTOGRAPHIC_PATTERN.test(character)) classes |= PICTOGRAPHIC;
  if (MARK_PATTERN.test(character)) classes |= MARK;
  if (codePoint >= 0xfe00 && codePoint <= 0xfe0f) classes |= VARIATION_SELECTOR;
  return classes;
}

function isHangulJamo(codePoint: number): boolean {
  // Conjoining jamo compose with their neighbours under NFKC: never simple.
  return (codePoint >= 0x1100 && codePoint <= 0x11ff) || (codePoint >= 0xa960 && codePoint <= 0xa97f) || (codePoint >= 0xd7b0 && codePoint <= 0xd7ff);
}

function fillBlock(index: number): Block {
  const block: Block = { classes: new Uint8Array(256), lower: new Int32Array(256), folded: new Int32Array(256), foldedSecond: new Int32Array(256) };
  for (let offset = 0; offset < 256; offset++) {
    const codePoint = index * 256 + offset;
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue; // lone surrogates: never simple
    const character = String.fromCodePoint(codePoint);
    let classes = classify(codePoint);
    const lowered = character.toLowerCase();
    const lowerPoints = Array.from(lowered, (point) => point.codePointAt(0)!);
    block.lower[offset] = lowerPoints[0];
    const stable = character.normalize('NFKC') === character && lowered.normalize('NFKC') === lowered;
    // Capital sigma lower-cases by context (final ς); marks and jamo compose with neighbours.
    const contextFree = codePoint !== 0x3a3 && lowerPoints.length === 1 && !isHangulJamo(codePoint) && (classes & MARK) === 0;
    if (stable && contextFree && (classify(lowerPoints[0]) & (LETTER | NUMBER | PICTOGRAPHIC)) === (classes & (LETTER | NUMBER | PICTOGRAPHIC))) {
      if (classes & LETTER) {
        const folded = Array.from(foldDiacritics(lowered), (point) => point.codePointAt(0)!);
        if (folded.length >= 1 && folded.length <= 2 && folded.every((point) => (classify(point) & LETTER) !== 0)) {
          block.folded[offset] = folded[0];
          block.foldedSecond[offset] = folded[1] ?? 0;
          classes |= SIMPLE;
        }
      } else if (foldDiacritics(lowered) === lowered) {
        block.folded[offset] = lowerPoints[0];
        classes |= SIMPLE;
      }
    }
    block.classes[offset] = classes;
  }
  return block;
}

function blockOf(codePoint: number): Block {
  const index = codePoint >>> 8;
  return blocks[index] ?? (blocks[index] = fillBlock(index));
}

/** The class bits of a code point (LETTER, NUMBER, PICTOGRAPHIC, MARK, SIMPLE, VARIATION_SELECTOR). */
export function codePointClasses(codePoint: number): number {
  return blockOf(codePoint).classes[codePoint & 0xff];
}

/** Lower case of a SIMPLE code point. */
export function lowerCodePoint(codePoint: number): number {
  return blockOf(codePoint).lower[codePoint & 0xff];
}

/** First code point of the folded lower case of a SIMPLE code point. */
export function foldedCodePoint(codePoint: number): number {
  return blockOf(codePoint).folded[codePoint & 0xff];
}

/** Second code point of the folded lower case (ß → ss, æ → ae), or 0. */
export function foldedSecondCodePoint(codePoint: number): number {
  return blockOf(codePoint).foldedSecond[codePoint & 0xff];
}
