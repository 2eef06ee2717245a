import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { checkCorpus } from '../../src/data/check.js';
import { duplicateKey, findSimilarPairs } from '../../src/data/near-duplicates.js';
import { stratifiedSplit } from '../../src/data/split.js';
import { augmentTexts, injectTypo, stripDiacritics } from '../../src/data/augment.js';
import { SeededRandom } from '../../src/util/random.js';
import { temporaryDirectory, writeCsv } from '../helpers/fixtures.js';

describe('duplicate detection', () => {
  it('treats case, diacritics, punctuation and numbers as the same message', () => {
    expect(duplicateKey('Gdzie jest PACZKA #123456?')).toBe(duplicateKey('gdzie jest paczka 99999'));
    expect(duplicateKey('Przesyłka!')).toBe(duplicateKey('przesylka'));
  });

  it('finds near duplicates and leaves different questions alone', () => {
    const keys = ['kiedy przyjdzie moja paczka', 'kiedy przyjdzie moja paczka?!', 'kiedy przyjdzie moja paczkaa', 'chcę zwrócić buty, jak to zrobić'].map(duplicateKey);
    const pairs = findSimilarPairs(keys, 0.8).map((pair) => [pair.first, pair.second]);
    expect(pairs).toContainEqual([0, 1]);
    expect(pairs).toContainEqual([0, 2]);
    expect(pairs.some((pair) => pair.includes(3))).toBe(false);
  });
});

describe('checkCorpus', () => {
  it('reports duplicates inside and across splits, and cells below their minimum', () => {
    const directory = temporaryDirectory();
    const train = writeCsv(join(directory, 'train.csv'), ['text', 'lang', 'intent'], [
      ['Gdzie jest moja paczka?', 'pl', 'delivery_status'],
      ['gdzie jest moja paczka', 'pl', 'delivery_status'],
      ['Proszę o fakturę VAT do zamówienia', 'pl', 'invoice_request'],
    ]);
    const test = writeCsv(join(directory, 'test.csv'), ['text', 'lang', 'intent'], [['Prosze o fakture VAT do zamowienia!', 'pl', 'invoice_request']]);
    const report = checkCorpus([train], [test]);
    expect(report.problems.some((problem) => problem.startsWith('exact duplicate inside train'))).toBe(true);
    expect(report.problems.some((problem) => problem.startsWith('exact duplicate across train and test'))).toBe(true);
    expect(report.problems).toContain('pl/delivery_status: 2 rows, below the minimum of 200');
    expect(report.cells.find((cell) => cell.lang === 'pl' && cell.intent === 'invoice_request')).toMatchObject({ train: 1, test: 1 });
  });
});

describe('stratifiedSplit', () => {
  it('is seeded and keeps every stratum in both parts', () => {
    const items = Array.from({ length: 200 }, (_, index) => ({ index, stratum: index % 4 }));
    const first = stratifiedSplit(items, (item) => String(item.stratum), 0.1, 7);
    const second = stratifiedSplit(items, (item) => String(item.stratum), 0.1, 7);
    expect(first).toEqual(second);
    expect(first.dev).toHaveLength(20);
    expect(new Set(first.dev.map((item) => item.stratum)).size).toBe(4);
    expect(stratifiedSplit(items, (item) => String(item.stratum), 0.1, 8).dev).not.toEqual(first.dev);
  });
});

describe('augmentation', () => {
  it('strips diacritics including ł and keeps case', () => {
    expect(stripDiacritics('Przesyłka DOTARŁA, číslo účtu')).toBe('Przesylka DOTARLA, cislo uctu');
  });

  it('injects one deterministic typo and adds variants only in memory', () => {
    const typo = injectTypo('kiedy przyjdzie paczka', new SeededRandom(3));
    expect(typo).not.toBe('kiedy przyjdzie paczka');
    expect(Math.abs(typo.length - 'kiedy przyjdzie paczka'.length)).toBeLessThanOrEqual(1);
    expect(injectTypo('kiedy przyjdzie paczka', new SeededRandom(3))).toBe(typo);
    const variants = augmentTexts('Gdzie jest przesyłka?', new SeededRandom(1), 1);
    expect(variants[0]).toBe('Gdzie jest przesyłka?');
    expect(variants).toContain('Gdzie jest przesylka?');
  });
});
