import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { collapseWhitespace, foldDiacritics, maskIdentifiers, normalizeText, tokenize } from '../../src/text/normalize.js';

/** The identifier rule as its specification states it (normalize.ts), with regular expressions. */
function maskIdentifiersByExpression(text: string): string {
  return text.replace(/[#№]?[\p{L}\p{N}]+(?:[-/_.][\p{L}\p{N}]+)*/gu, (run) => {
    const numbers = run.match(/\p{N}/gu)?.length ?? 0;
    if (numbers >= 4) return ' <id> ';
    if (numbers > 0 && /^[#№]?[\p{N}]+(?:[-/_.]\p{N}+)*$/u.test(run)) return ' <num> ';
    return run;
  });
}

describe('collapseWhitespace', () => {
  it("equals replace(/\\s+/gu, ' ').trim() on every kind of white space and line terminator", () => {
    const piece = fc.constantFrom('a', 'zł', '<id>', ' ', '  ', '\t', '\n', '\r\n', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u180e', '.', '😀');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }).map((pieces) => pieces.join('')), (text) => {
        expect(collapseWhitespace(text)).toBe(text.replace(/\s+/gu, ' ').trim());
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        expect(collapseWhitespace(text)).toBe(text.replace(/\s+/gu, ' ').trim());
      }),
      { numRuns: 2000 },
    );
    expect(collapseWhitespace('  gdzie\t <id>  jest ')).toBe('gdzie <id> jest');
    expect(collapseWhitespace('bez zmian')).toBe('bez zmian');
  });
});

describe('maskIdentifiers', () => {
  it('replaces what its specifying expression replaces, in any script, separators and surrogates included', () => {
    // Pieces that meet the rule's edges: ASCII and other digits (Arabic-Indic, superscript, an
    // astral mathematical digit, a Roman numeral letter-number), letters from several scripts
    // (one astral), every separator, # and №, spaces, punctuation and a lone surrogate.
    const piece = fc.constantFrom('1', '42', '2024', '٣', '²', '𝟙', 'Ⅻ', 'a', 'zł', 'ő', 'я', '𐐀', 'AB', '-', '/', '_', '.', '#', '№', ' ', ',', '?', '\ud800', '📦', '<', 'id>');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join('')), (text) => {
        expect(maskIdentifiers(text)).toBe(maskIdentifiersByExpression(text));
      }),
      { numRuns: 3000 },
    );
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(maskIdentifiers(text)).toBe(maskIdentifiersByExpression(text));
      }), { numRuns: 2000 });
  });

  it('keeps words, masks ids and plain numbers', () => {
    expect(maskIdentifiers('zamowienie #48213 i 2 paczki, kod a-12')).toBe('zamowienie  <id>  i  <num>  paczki, kod a-12');
    expect(maskIdentifiers('#12-34 №5 iphone13 ab1234')).toBe(' <id>   <num>  iphone13  <id> ');
    expect(maskIdentifiers('bez cisel')).toBe('bez cisel');
  });
});

describe('normalizeText', () => {
  it('applies NFKC, lower-cases and folds whitespace', () => {
    expect(normalizeText('  GDZIE\tjest   ﬁrma?  ')).toBe('gdzie jest firma?');
  });

  it('masks order ids, amounts, dates, numbers, e-mails and URLs', () => {
    expect(normalizeText('Zamówienie #48213 za 149,99 zł')).toBe('zamówienie <id> za <amount>');
    expect(normalizeText('Rendelés 2024/11/0931, 12 500 Ft')).toBe('rendelés <id> , <amount>');
    expect(normalizeText('paid €25 on 12.11.2024')).toBe('paid <amount> on <date>');
    expect(normalizeText('2 kusy, AB-99231')).toBe('<num> kusy, <id>');
    expect(normalizeText('write to jan.novak@seznam.cz or see https://shop.cz/a?b=1')).toBe('write to <email> or see <url>');
  });

  it('keeps short alphanumeric product words', () => {
    expect(normalizeText('iPhone13 case size 42')).toBe('iphone13 case size <num>');
  });
});

describe('foldDiacritics', () => {
  it('makes buyers\' spellings with and without diacritics meet', () => {
    expect(foldDiacritics('przesyłka')).toBe('przesylka');
    expect(foldDiacritics('zásielka')).toBe('zasielka');
    expect(foldDiacritics('számla őrző űr')).toBe('szamla orzo ur');
    expect(foldDiacritics('žluťoučký kůň')).toBe('zlutoucky kun');
    expect(foldDiacritics('ľadový ďateľ')).toBe('ladovy datel');
  });

  it('folds letters that Unicode decomposition leaves alone', () => {
    expect(foldDiacritics('łódź')).toBe('lodz');
    expect('ł'.normalize('NFD')).toBe('ł');
  });
});

describe('tokenize', () => {
  it('keeps words, placeholders and emoji and drops punctuation', () => {
    expect(tokenize('gdzie <id> 📦?!').map((token) => [token.text, token.kind])).toEqual([
      ['gdzie', 'word'],
      ['<id>', 'placeholder'],
      ['📦', 'emoji'],
    ]);
  });

  it('returns nothing for punctuation only', () => {
    expect(tokenize(normalizeText(' ?!... '))).toEqual([]);
  });
});
