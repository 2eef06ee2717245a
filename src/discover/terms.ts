import { isMarkerToken } from './features.js';

/**
 * Counts, per topic, in how many of its questions each word occurs, and ranks a topic's words
 * by class-based TF-IDF (as BERTopic does): the word's share of the topic's questions times
 * ln(1 + average topic size / the word's count over all topics). Words common everywhere
 * ("dzien", "dobry", "hello") sink; words that mark the topic rise.
 */
export class TopicTerms {
  private readonly counts: Map<string, number>[];
  private readonly questions: number[];

  constructor(topics: number) {
    this.counts = Array.from({ length: topics }, () => new Map());
    this.questions = new Array(topics).fill(0);
  }

  /** Records one question's words (folded) under a topic; placeholders and digits are skipped. */
  add(topic: number, words: readonly string[]): void {
    const counts = this.counts[topic];
    this.questions[topic]++;
    const seen = new Set<string>();
    for (const word of words) {
      if (word.length < 2 || isMarkerToken(word) || /^\d+$/.test(word) || seen.has(word)) continue;
      seen.add(word);
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }

  /** The `limit` best words of each topic, best first. */
  top(limit: number): string[][] {
    const overall = new Map<string, number>();
    for (const counts of this.counts) for (const [word, count] of counts) overall.set(word, (overall.get(word) ?? 0) + count);
    const nonEmpty = this.questions.filter((size) => size > 0);
    const averageSize = nonEmpty.length ? nonEmpty.reduce((sum, size) => sum + size, 0) / nonEmpty.length : 1;
    return this.counts.map((counts, topic) => {
      const size = Math.max(1, this.questions[topic]);
      return [...counts.entries()]
        // A word in a single question says nothing about a topic of many.
        .filter(([, count]) => count >= Math.min(2, size))
        .map(([word, count]) => ({ word, score: (count / size) * Math.log(1 + averageSize / overall.get(word)!) }))
        .sort((a, b) => b.score - a.score || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
        .slice(0, limit)
        .map((entry) => entry.word);
    });
  }
}
