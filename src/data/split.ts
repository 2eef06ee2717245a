import { SeededRandom } from '../util/random.js';

/**
 * Splits items into train and dev, stratified by `stratumOf` (e.g. language + intent) so every
 * cell keeps the same share in both parts. Same items + same seed → same split.
 */
export function stratifiedSplit<T>(items: T[], stratumOf: (item: T) => string, devFraction: number, seed: number): { train: T[]; dev: T[] } {
  const strata = new Map<string, T[]>();
  for (const item of items) {
    const key = stratumOf(item);
    if (!strata.has(key)) strata.set(key, []);
    strata.get(key)!.push(item);
  }
  const random = new SeededRandom(seed);
  const train: T[] = [];
  const dev: T[] = [];
  for (const key of [...strata.keys()].sort()) {
    const members = random.shuffle([...strata.get(key)!]);
    const devCount = members.length > 1 ? Math.max(1, Math.round(members.length * devFraction)) : 0;
    dev.push(...members.slice(0, devCount));
    train.push(...members.slice(devCount));
  }
  return { train, dev };
}
