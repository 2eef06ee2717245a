/**
 * Text normalisation: the first stage of the pipeline. Buyers write the same question in many
 * surface forms (case, diacritics, order numbers, amounts); this stage removes the variation
 * that carries no intent so the features see what matters.
 *
 * The rules are part of the artifact format (`normalizerVersion`): changing them changes the
 * features, so any change must bump NORMALIZER_VERSION.
 */

export const NORMALIZER_VERSION = 1;

import { codePointClasses, LETTER, NUMBER } from './code-points.js';
import { ASCII_ONLY } from './fold.js';

export { foldDiacritics } from './fold.js';

/** Placeholder tokens that replace variable parts of a message. */
export const PLACEHOLDERS = ['<url>', '<email>', '<amount>', '<date>', '<id>', '<num>'] as const;

const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/gu;
const EMAIL_PATTERN = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const CURRENCY = String.raw`(?:zł|zl|pln|kč|kc|czk|korun\p{L}*|€|eur|euro|eura|ft|huf|forint\p{L}*|\$|usd|£|gbp)`;
// A number with optional thousands separators and decimals: 25, 1 299, 149,99, 1.299,00.
const AMOUNT_NUMBER = String.raw`(?:\d{1,3}(?:[ .,]\d{3})+|\d+)(?:[.,]\d{1,2})?`;
const AMOUNT_PATTERN = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:[€$£]\s?${AMOUNT_NUMBER}|${AMOUNT_NUMBER}\s?${CURRENCY}(?![\p{L}\p{N}]))`,
  'gu',
);
const DATE_PATTERN = /(?<![\p{L}\p{N}])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\.?)(?![\p{L}\p{N}])/gu;
const ANY_DIGIT = /\p{N}/u;

/**
 * Replaces order numbers, tracking codes and plain numbers. The rule, as a regular expression
 * (the specification other implementations follow; `test/text/normalize.test.ts` holds this
 * scanner equal to it): every match of
 *
 *     [#№]?[\p{L}\p{N}]+(?:[-/_.][\p{L}\p{N}]+)*
 *
 * with at least four \p{N} becomes ' <id> '; one with some \p{N} and no \p{L} becomes
 * ' <num> '; any other (an ordinary word, "2x", "covid19") stays. Scanned by hand because it
 * runs on every question with a digit, and a replace callback per word cost more than the rest
 * of the normaliser.
 *
 * @example
 * maskIdentifiers('zamowienie #48213 i 2 paczki, kod a-12') // → 'zamowienie  <id>  i  <num>  paczki, kod a-12'
 */
export function maskIdentifiers(text: string): string {
  let result = '';
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    const codePoint = text.codePointAt(index)!;
    const width = codePoint > 0xffff ? 2 : 1;
    let bodyStart = index;
    if (codePoint === 0x23 || codePoint === 0x2116) {
      if (index + width >= text.length || !isLetterOrNumber(text.codePointAt(index + width)!)) {
        index += width;
        continue;
      }
      bodyStart = index + width;
    } else if (!isLetterOrNumber(codePoint)) {
      index += width;
      continue;
    }
    // Greedy, as the expression: letters and numbers, then (separator, letters and numbers)*.
    let numbers = 0;
    let letters = false;
    let position = bodyStart;
    for (;;) {
      while (position < text.length) {
        const point = text.codePointAt(position)!;
        const classes = letterOrNumberClasses(point);
        if (classes === 0) break;
        if (classes === NUMBER) numbers++;
        else letters = true;
        position += point > 0xffff ? 2 : 1;
      }
      const separator = text.charCodeAt(position);
      const next = position + 1 < text.length ? text.codePointAt(position + 1)! : -1;
      if ((separator === 0x2d || separator === 0x2f || separator === 0x5f || separator === 0x2e) && next >= 0 && isLetterOrNumber(next)) {
        position++;
        continue;
      }
      break;
    }
    const replacement = numbers >= 4 ? ' <id> ' : numbers > 0 && !letters ? ' <num> ' : null;
    if (replacement !== null) {
      result += text.slice(copied, index) + replacement;
      copied = position;
    }
    index = position;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/**
 * Every run of whitespace becomes one space, none at either end: `text.replace(/\s+/gu, ' ').trim()`
 * (the specification; `test/text/normalize.test.ts` holds the two equal), in one pass that
 * copies only when something changes.
 *
 * @example
 * collapseWhitespace('  gdzie\t <id>  jest ') // → 'gdzie <id> jest'
 */
export function collapseWhitespace(text: string): string {
  let result = '';
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    if (!isWhitespace(text.charCodeAt(index))) {
      index++;
      continue;
    }
    let end = index + 1;
    while (end < text.length && isWhitespace(text.charCodeAt(end))) end++;
    // A single space between two words stays as it is.
    if (end - index === 1 && text.charCodeAt(index) === 0x20 && index > 0 && end < text.length) {
      index = end;
      continue;
    }
    result += text.slice(copied, index) + (index > 0 && end < text.length ? ' ' : '');
    copied = end;
    index = end;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/** What `\s` matches: Unicode white space and line terminators (ECMAScript's WhiteSpace and LineTerminator). */
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** LETTER or NUMBER (never both: they are different general categories), or 0. */
function letterOrNumberClasses(codePoint: number): number {
  if (codePoint < 0x80) {
    if (codePoint >= 0x30 && codePoint <= 0x39) return NUMBER;
    const lower = codePoint | 0x20;
    return lower >= 0x61 && lower <= 0x7a ? LETTER : 0;
  }
  return codePointClasses(codePoint) & (LETTER | NUMBER);
}

function isLetterOrNumber(codePoint: number): boolean {
  return letterOrNumberClasses(codePoint) !== 0;
}

/**
 * Normalises a buyer message: NFKC, lower-case, URLs / e-mails / amounts / dates / ids /
 * numbers replaced by placeholder tokens, whitespace folded. Diacritics are kept here
 * (see {@link foldDiacritics}).
 *
 * @example
 * normalizeText('Gdzie jest ZAMÓWIENIE #48213 za 149,99 zł?')
 * // → 'gdzie jest zamówienie <id> za <amount> ?'
 */
export function normalizeText(text: string): string {
  // NFKC leaves ASCII unchanged; skipping it there saves a third of the time for such text.
  let normalized = (ASCII_ONLY.test(text) ? text : text.normalize('NFKC')).toLowerCase();
  // Each pass is skipped when the text cannot match it (most questions have no digits, no
  // URL, no e-mail); the result is the same, and classification is about twice as fast.
  if (normalized.includes('http') || normalized.includes('www.')) normalized = normalized.replace(URL_PATTERN, ' <url> ');
  if (normalized.includes('@')) normalized = normalized.replace(EMAIL_PATTERN, ' <email> ');
  if (ANY_DIGIT.test(normalized)) {
    normalized = normalized.replace(AMOUNT_PATTERN, ' <amount> ');
    normalized = normalized.replace(DATE_PATTERN, ' <date> ');
    normalized = maskIdentifiers(normalized);
  }
  return collapseWhitespace(normalized);
}

/** A token of a normalised message. */
export interface Token {
  text: string;
  kind: 'word' | 'placeholder' | 'emoji';
}

const TOKEN_PATTERN = /(<(?:url|email|amount|date|id|num)>)|([\p{L}\p{N}]+)|\p{Extended_Pictographic}/gu;

/**
 * Splits a normalised message into words, placeholders and emoji; punctuation is dropped.
 *
 * @example
 * tokenize('gdzie <id> 📦?').map((token) => token.text) // → ['gdzie', '<id>', '📦']
 */
export function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  for (const match of normalized.matchAll(TOKEN_PATTERN)) {
    tokens.push({ text: match[0], kind: match[1] ? 'placeholder' : match[2] ? 'word' : 'emoji' });
  }
  return tokens;
}
