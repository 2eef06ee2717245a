/**
 * Text normalisation: the first stage of the pipeline. Buyers write the same question in many
 * surface forms (case, diacritics, order numbers, amounts); this stage removes the variation
 * that carries no intent so the features see what matters.
 *
 * The rules are part of the artifact format (`normalizerVersion`): changing them changes the
 * features, so any change must bump NORMALIZER_VERSION.
 */

export const NORMALIZER_VERSION = 1;

/** Placeholder tokens that replace variable parts of a message. */
export const PLACEHOLDERS = ['<url>', '<email>', '<amount>', '<date>', '<id>', '<num>'] as const;

const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/gu;
const EMAIL_PATTERN = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const CURRENCY = String.raw`(?:zł|zl|pln|kč|kc|czk|korun\p{L}*|€|eur|euro|eura|ft|huf|forint\p{L}*|\$|usd|£|gbp)`;
// A number with optional thousands separators and decimals: 25, 1 299, 149,99, 1.299,00.
const NUMBER = String.raw`(?:\d{1,3}(?:[ .,]\d{3})+|\d+)(?:[.,]\d{1,2})?`;
const AMOUNT_PATTERN = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:[€$£]\s?${NUMBER}|${NUMBER}\s?${CURRENCY}(?![\p{L}\p{N}]))`,
  'gu',
);
const DATE_PATTERN = /(?<![\p{L}\p{N}])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?\.?)(?![\p{L}\p{N}])/gu;
// A run of letters/digits joined by - / _ . and an optional leading # or №: an order number,
// tracking code, plain number or ordinary word; decided in maskIdentifiers.
const ALPHANUMERIC_RUN = /[#№]?[\p{L}\p{N}]+(?:[-/_.][\p{L}\p{N}]+)*/gu;
const DIGIT = /\p{N}/gu;
const ANY_DIGIT = /\p{N}/u;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

function maskIdentifiers(text: string): string {
  return text.replace(ALPHANUMERIC_RUN, (run) => {
    const digits = run.match(DIGIT)?.length ?? 0;
    if (digits >= 4) return ' <id> ';
    if (digits > 0 && /^[#№]?[\p{N}]+(?:[-/_.]\p{N}+)*$/u.test(run)) return ' <num> ';
    return run;
  });
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
  return normalized.replace(/\s+/gu, ' ').trim();
}

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
