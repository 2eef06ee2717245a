import { describe, expect, it } from 'vitest';
import { foldDiacritics, normalizeText, tokenize } from '../../src/text/normalize.js';

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
