import { foldDiacritics, normalizeText, tokenize } from '../text/normalize.js';

/**
 * The comparison key of a message for duplicate checks: normalised, folded, numbers masked,
 * punctuation dropped. Two rows with the same key are exact duplicates for training purposes.
 *
 * @example
 * duplicateKey('Gdzie jest paczka #123456?') === duplicateKey('gdzie jest PACZKA 99999') // → true
 */
export function duplicateKey(text: string): string {
  return tokenize(foldDiacritics(normalizeText(text))).map((token) => token.text).join(' ');
}

function characterTrigrams(key: string): string[] {
  const padded = ` ${key} `;
  const grams = new Set<string>();
  for (let index = 0; index + 3 <= padded.length; index++) grams.add(padded.slice(index, index + 3));
  return [...grams];
}

export interface SimilarPair {
  first: number;
  second: number;
  similarity: number;
}

/**
 * Pairs of keys whose character-trigram Jaccard similarity is at least `threshold`
 * (exact-equal keys included, similarity 1). Uses prefix filtering (Chaudhuri et al. 2006):
 * with grams sorted rarest first, two sets with Jaccard ≥ t must share one of their first
 * |x| − ⌈t·|x|⌉ + 1 grams, so only those are indexed and candidates are verified exactly.
 * `canPair` restricts which pairs count (e.g. same language, or one from each split).
 */
export function findSimilarPairs(keys: string[], threshold: number, canPair: (first: number, second: number) => boolean = () => true): SimilarPair[] {
  const gramSets = keys.map(characterTrigrams);
  const frequency = new Map<string, number>();
  for (const grams of gramSets) for (const gram of grams) frequency.set(gram, (frequency.get(gram) ?? 0) + 1);
  for (const grams of gramSets) grams.sort((a, b) => frequency.get(a)! - frequency.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
  const lookup = gramSets.map((grams) => new Set(grams));
  const index = new Map<string, number[]>();
  const pairs: SimilarPair[] = [];
  gramSets.forEach((grams, current) => {
    const prefixLength = grams.length - Math.ceil(threshold * grams.length) + 1;
    const candidates = new Set<number>();
    for (const gram of grams.slice(0, prefixLength)) {
      for (const other of index.get(gram) ?? []) candidates.add(other);
    }
    for (const other of candidates) {
      if (!canPair(other, current)) continue;
      const otherGrams = lookup[other];
      let shared = 0;
      for (const gram of grams) if (otherGrams.has(gram)) shared++;
      const similarity = shared / (grams.length + otherGrams.size - shared);
      if (similarity >= threshold) pairs.push({ first: other, second: current, similarity });
    }
    for (const gram of grams.slice(0, prefixLength)) {
      if (!index.has(gram)) index.set(gram, []);
      index.get(gram)!.push(current);
    }
  });
  return pairs;
}
