/**
 * Diacritic folding, on its own so that the per-code-point tables (`code-points.ts`) can be built
 * from it without importing the normaliser that uses those tables.
 */

/** Text that is all ASCII: nothing to normalise to NFKC, nothing to fold. */
export const ASCII_ONLY = /^[\x00-\x7f]*$/;

// Letters that Unicode decomposition leaves alone but buyers still type without the stroke.
const EXPLICIT_FOLDS: Record<string, string> = {
  ł: 'l', đ: 'd', ø: 'o', ß: 'ss', ı: 'i', æ: 'ae', œ: 'oe', ħ: 'h', ŧ: 't',
};
const COMBINING_MARK = /\p{M}/gu;
const NEEDS_EXPLICIT_FOLD = /[łđøßıæœħŧ]/gu;

/**
 * Removes diacritics so that "przesyłka" and "przesylka", "zásielka" and "zasielka",
 * "számla" and "szamla" become the same string. Expects lower-case input.
 *
 * @example
 * foldDiacritics('przesyłka żółta') // → 'przesylka zolta'
 */
export function foldDiacritics(text: string): string {
  // ASCII has nothing to fold; skipping the Unicode passes matters on the classify hot path.
  if (ASCII_ONLY.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(COMBINING_MARK, '')
    .replace(NEEDS_EXPLICIT_FOLD, (letter) => EXPLICIT_FOLDS[letter] ?? letter)
    .normalize('NFC');
}
