/**
 * How well topics match known labels: the scores the discovery benchmark and its tests use.
 * `topics[i]` is question i's topic, `labels[i]` its true label.
 */

function contingency(topics: ArrayLike<number>, labels: readonly string[]): { table: Map<number, Map<string, number>>; topicSizes: Map<number, number>; labelSizes: Map<string, number> } {
  const table = new Map<number, Map<string, number>>();
  const topicSizes = new Map<number, number>();
  const labelSizes = new Map<string, number>();
  for (let index = 0; index < labels.length; index++) {
    const topic = topics[index];
    const label = labels[index];
    if (!table.has(topic)) table.set(topic, new Map());
    const row = table.get(topic)!;
    row.set(label, (row.get(label) ?? 0) + 1);
    topicSizes.set(topic, (topicSizes.get(topic) ?? 0) + 1);
    labelSizes.set(label, (labelSizes.get(label) ?? 0) + 1);
  }
  return { table, topicSizes, labelSizes };
}

function entropy(sizes: Iterable<number>, total: number): number {
  let value = 0;
  for (const size of sizes) if (size > 0) value -= (size / total) * Math.log(size / total);
  return value;
}

/**
 * Normalised mutual information with the arithmetic mean of the two entropies (scikit-learn's
 * default): 1 = the topics are the labels up to renaming, 0 = independent.
 *
 * @example
 * normalizedMutualInformation([0, 0, 1, 1], ['a', 'a', 'b', 'b']) // → 1
 */
export function normalizedMutualInformation(topics: ArrayLike<number>, labels: readonly string[]): number {
  const total = labels.length;
  if (total === 0) return 0;
  const { table, topicSizes, labelSizes } = contingency(topics, labels);
  let mutual = 0;
  for (const [topic, row] of table) {
    for (const [label, count] of row) mutual += (count / total) * Math.log((count * total) / (topicSizes.get(topic)! * labelSizes.get(label)!));
  }
  const denominator = (entropy(topicSizes.values(), total) + entropy(labelSizes.values(), total)) / 2;
  // Both partitions a single block: identical, by convention 1.
  if (denominator === 0) return 1;
  return Math.max(0, Math.min(1, mutual / denominator));
}

/**
 * Purity: the share of questions whose topic's most common label is their own label.
 *
 * @example
 * purity([0, 0, 0, 1], ['a', 'a', 'b', 'b']) // → 0.75
 */
export function purity(topics: ArrayLike<number>, labels: readonly string[]): number {
  if (labels.length === 0) return 0;
  const { table } = contingency(topics, labels);
  let majority = 0;
  for (const row of table.values()) majority += Math.max(...row.values());
  return majority / labels.length;
}

/** The label most questions of each topic carry (ties: the alphabetically first). */
export function majorityLabels(topics: ArrayLike<number>, labels: readonly string[]): Map<number, { label: string; share: number; size: number }> {
  const { table, topicSizes } = contingency(topics, labels);
  const result = new Map<number, { label: string; share: number; size: number }>();
  for (const [topic, row] of table) {
    const [label, count] = [...row.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    result.set(topic, { label, share: count / topicSizes.get(topic)!, size: topicSizes.get(topic)! });
  }
  return result;
}

/**
 * Whether the same label lands in the same topic across languages: for each label, the topic
 * that holds most of its questions (all languages together), and the share of the label's
 * questions — in every language — that are in it. Returns the share per label and over all
 * questions of the given labels.
 *
 * @example
 * crossLanguageAgreement([0, 0, 1], ['a', 'a', 'a'], ['pl', 'en', 'hu']).overall // → 2 / 3
 */
export function crossLanguageAgreement(topics: ArrayLike<number>, labels: readonly string[], languages: readonly string[], only?: ReadonlySet<string>): { overall: number; byLabel: Map<string, { share: number; topic: number; byLanguage: Map<string, number> }> } {
  const byLabel = new Map<string, { share: number; topic: number; byLanguage: Map<string, number> }>();
  const groups = new Map<string, number[]>();
  labels.forEach((label, index) => {
    if (only && !only.has(label)) return;
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label)!.push(index);
  });
  let inDominant = 0;
  let total = 0;
  for (const [label, indices] of groups) {
    const counts = new Map<number, number>();
    for (const index of indices) counts.set(topics[index], (counts.get(topics[index]) ?? 0) + 1);
    const [topic, count] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    const perLanguage = new Map<string, [number, number]>();
    for (const index of indices) {
      const entry = perLanguage.get(languages[index]) ?? [0, 0];
      entry[1]++;
      if (topics[index] === topic) entry[0]++;
      perLanguage.set(languages[index], entry);
    }
    byLabel.set(label, { share: count / indices.length, topic, byLanguage: new Map([...perLanguage].map(([language, [hit, all]]) => [language, hit / all])) });
    inDominant += count;
    total += indices.length;
  }
  return { overall: total === 0 ? 0 : inDominant / total, byLabel };
}
