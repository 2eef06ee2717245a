import { describe, expect, it } from 'vitest';
import { DEFAULT_COOCCURRENCE, fitWordVectors, wordVectorSum, type WordVectors } from '../../src/discover/cooccurrence.js';

/** Two topics whose synonyms never meet each other, only the same company. */
function questions(): string[][] {
  const rows: string[][] = [];
  for (const fault of ['broken', 'defective', 'cracked']) for (const context of ['warranty', 'repair', 'replacement', 'service']) rows.push([fault, context, 'item']);
  for (const paper of ['invoice', 'receipt', 'bill']) for (const context of ['company', 'tax', 'vat', 'address']) rows.push([paper, context, 'please']);
  return [...rows, ...rows];
}

function cosine(vectors: WordVectors, a: string, b: string): number {
  const rowA = vectors.index.get(a)!;
  const rowB = vectors.index.get(b)!;
  let dot = 0;
  for (let component = 0; component < vectors.dimension; component++) dot += vectors.vectors[rowA * vectors.dimension + component] * vectors.vectors[rowB * vectors.dimension + component];
  return dot;
}

describe('co-occurrence word vectors', () => {
  const vectors = fitWordVectors(questions(), { ...DEFAULT_COOCCURRENCE, rank: 4 }, 1);

  it('puts words that share their company close together although they never meet', () => {
    expect(cosine(vectors, 'broken', 'defective')).toBeGreaterThan(0.9);
    expect(cosine(vectors, 'invoice', 'receipt')).toBeGreaterThan(0.9);
    expect(Math.abs(cosine(vectors, 'broken', 'invoice'))).toBeLessThan(0.3);
  });

  it('is the same for the same seed', () => {
    expect(fitWordVectors(questions(), { ...DEFAULT_COOCCURRENCE, rank: 4 }, 1).vectors).toEqual(vectors.vectors);
  });

  it('leaves out words seen in fewer questions than minCount, and sums nothing for a question of unknown words', () => {
    const sample = [...questions(), ['unique', 'warranty']];
    const fitted = fitWordVectors(sample, { ...DEFAULT_COOCCURRENCE, rank: 4, minCount: 2 }, 1);
    expect(fitted.index.has('unique')).toBe(false);
    const out = new Float32Array(fitted.dimension);
    expect(wordVectorSum(fitted, ['unique', 'nowhere'], out, 0)).toBe(false);
    expect([...out].every((value) => value === 0)).toBe(true);
    expect(wordVectorSum(fitted, ['broken', 'unique'], out, 0)).toBe(true);
  });

  it('weighs a concept token conceptWeight times its idf, a word its idf', () => {
    // 'faktura' and its concept token are in 2 of the 4 questions; 'szamla' in 1 (kept: minCount 1).
    const sample = [['faktura', '<=invoice>'], ['faktura', '<=invoice>', 'vat'], ['szamla', 'vat'], ['vat', 'cena']];
    const fitted = fitWordVectors(sample, { ...DEFAULT_COOCCURRENCE, rank: 2, minCount: 1, conceptWeight: 3 }, 1);
    expect(fitted.weight[fitted.index.get('faktura')!]).toBeCloseTo(Math.log(4 / 2), 6);
    expect(fitted.weight[fitted.index.get('<=invoice>')!]).toBeCloseTo(3 * Math.log(4 / 2), 6);
    expect(fitted.weight[fitted.index.get('szamla')!]).toBeCloseTo(Math.log(4 / 1), 6);
  });
});
