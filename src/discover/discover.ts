import type { AllinaModel } from '../runtime/model.js';
import { AllinaError } from '../util/errors.js';
import { SeededRandom } from '../util/random.js';
import { kmeans, type Points } from './kmeans.js';
import { candidateKs, chooseK, type KScore } from './silhouette.js';
import { embed, fitRepresentation, type RepresentationSettings } from './representation.js';
import { nearestIntent, type IntentHint } from './hint.js';
import { TopicTerms } from './terms.js';
import type { DiscoveryQuestion } from './questions.js';
import { withConcepts, type ConceptLexicon } from './lexicon.js';

/** Settings of a discovery run; every field has a default. */
export interface DiscoverOptions {
  /** A number of topics, or 'auto' (the best silhouette on a sample). */
  k?: number | 'auto';
  /** Largest k tried by 'auto'. */
  maxK?: number;
  /** Seed of every random choice: same questions + same seed → same topics. */
  seed?: number;
  /** Questions the representation and the clusters are fitted on; the rest are assigned. */
  fitSample?: number;
  /** Questions the silhouette of each candidate k is measured on. */
  selectionSample?: number;
  representation?: Partial<RepresentationSettings>;
  /** Concepts shared across languages, added to each question's words (none: words alone). */
  lexicon?: ConceptLexicon | null;
  /** The model whose intents give each topic its nearest-intent hint (none: no hints). */
  model?: AllinaModel;
  /** Questions per topic the hint is computed from (a seeded sample of the topic). */
  hintSample?: number;
  /** Representative questions per topic. */
  examples?: number;
  /** Top terms per topic. */
  terms?: number;
  onProgress?: (message: string) => void;
}

export const DISCOVER_DEFAULTS = { k: 'auto' as const, maxK: 30, seed: 42, fitSample: 20_000, selectionSample: 2_000, hintSample: 200, examples: 5, terms: 8 };

/** One topic: a group of questions that ask the same kind of thing. */
export interface Topic {
  /** 1 = the largest topic. */
  id: number;
  /** Questions asked (repeats counted). */
  size: number;
  /** Distinct questions. */
  distinct: number;
  escalated: number;
  abstained: number;
  /** Languages by share of `size`, largest first. */
  languages: { language: string; share: number }[];
  terms: string[];
  /** The questions nearest the topic's centre, nearest first. */
  examples: string[];
  hint: IntentHint | null;
  /** Mean cosine similarity of the topic's questions to its centre (how tight it is). */
  cohesion: number;
}

export interface DiscoveryResult {
  k: number;
  /** true when k was chosen by silhouette, false when given. */
  automatic: boolean;
  /** Silhouette of every candidate k (empty when k was given). */
  kScores: KScore[];
  topics: Topic[];
  /** Topic id of each input question, in input order. */
  assignments: Int32Array;
  /** Cosine similarity of each question to its topic's centre. */
  similarity: Float32Array;
  /** Questions no term of which the representation knows (put in a topic of their own). */
  unrepresented: number;
}

/**
 * Groups questions into topics: TF-IDF of character n-grams on diacritic-folded text, reduced
 * by a seeded randomised SVD, beside co-occurrence word vectors (with the `lexicon`'s concepts
 * added to the words, when given), centred and normalised; spherical k-means (seeded k-means++) on a
 * sample, with k chosen by the silhouette unless given; every question then goes to its
 * nearest centre in one streaming pass. Questions with no known term form one extra topic.
 *
 * @example
 * const result = discoverTopics(questionsFromEvents(events), { model: loadModel(), lexicon: readConceptLexicon(SHIPPED_LEXICON_PATH) });
 * result.topics[0] // → { id: 1, size: 412, terms: ['faktura', 'vat', …], hint: { intent: 'invoice_request', … }, … }
 */
export function discoverTopics(questions: readonly DiscoveryQuestion[], options: DiscoverOptions = {}): DiscoveryResult {
  const settings = { ...DISCOVER_DEFAULTS, ...options };
  const progress = options.onProgress ?? (() => {});
  if (questions.length === 0) throw new AllinaError('no questions to group (is the input empty, or were all questions answered?)');
  if (settings.k !== 'auto' && (!Number.isInteger(settings.k) || settings.k < 1)) throw new AllinaError(`k must be 'auto' or a whole number ≥ 1, got ${settings.k}`, 2);
  const random = new SeededRandom(settings.seed);

  const lexicon = options.lexicon ?? null;
  /** What the representation sees of a question: its words, and their concepts when there is a lexicon. */
  const representedWords = (words: string[]) => (lexicon ? withConcepts(words, lexicon) : words);

  const order = random.shuffle([...questions.keys()]);
  const sampleIndices = order.slice(0, Math.min(settings.fitSample, questions.length));
  const sampleWords = sampleIndices.map((index) => representedWords(questions[index].key.split(' ')));
  progress(`fitting the representation on ${sampleIndices.length} questions`);
  const representation = fitRepresentation(
    sampleWords,
    { seed: random.fork().nextInt(2 ** 31), settings: options.representation, languages: sampleIndices.map((index) => questions[index].language) },
  );
  const dimension = representation.dimension;
  const sampleData = new Float32Array(sampleIndices.length * dimension);
  let represented = 0;
  const scratch = new Float32Array(dimension);
  sampleIndices.forEach((index, position) => {
    if (embed(representation, sampleWords[position], scratch, questions[index].language)) sampleData.set(scratch, represented++ * dimension);
  });
  const points: Points = { count: represented, dimension, data: sampleData.subarray(0, represented * dimension) };

  let k: number;
  let kScores: KScore[] = [];
  if (represented === 0) k = 0;
  else if (settings.k === 'auto') {
    const selection: Points = { count: Math.min(settings.selectionSample, represented), dimension, data: points.data.subarray(0, Math.min(settings.selectionSample, represented) * dimension) };
    const choice = chooseK(selection, candidateKs(Math.min(settings.maxK, selection.count - 1)), {
      seed: random.fork().nextInt(2 ** 31),
      onCandidate: (score) => progress(`k = ${score.k}: silhouette ${score.silhouette.toFixed(3)}`),
    });
    k = choice.k;
    kScores = choice.scores;
  } else k = Math.min(settings.k, represented);

  progress(`k-means with k = ${k} on ${represented} questions`);
  const centroids = k > 0 ? kmeans(points, k, { seed: random.fork().nextInt(2 ** 31), restarts: 2, maxIterations: 60, spherical: true }).centroids : new Float32Array(0);

  // One pass over every question: nearest centre, statistics, examples, terms.
  const clusterOf = new Int32Array(questions.length);
  const similarity = new Float32Array(questions.length);
  const slots = k + 1; // the last slot collects questions with no known term
  const terms = new TopicTerms(slots);
  const members: number[][] = Array.from({ length: slots }, () => []);
  questions.forEach((question, index) => {
    if (index > 0 && index % 100_000 === 0) progress(`assigned ${index} of ${questions.length} questions`);
    const words = question.key.split(' ');
    let cluster = k;
    let best = 0;
    if (k > 0 && embed(representation, representedWords(words), scratch, question.language)) {
      best = -Infinity;
      for (let candidate = 0; candidate < k; candidate++) {
        let dot = 0;
        const base = candidate * dimension;
        for (let component = 0; component < dimension; component++) dot += scratch[component] * centroids[base + component];
        if (dot > best) {
          best = dot;
          cluster = candidate;
        }
      }
    }
    clusterOf[index] = cluster;
    similarity[index] = best;
    terms.add(cluster, words);
    members[cluster].push(index);
  });

  const topTerms = terms.top(settings.terms);
  const hintRandom = random.fork();
  const built = members
    .map((indices, cluster) => ({ cluster, indices }))
    .filter(({ indices }) => indices.length > 0)
    .map(({ cluster, indices }) => {
      let size = 0;
      let escalated = 0;
      let abstained = 0;
      let cohesion = 0;
      const languages = new Map<string, number>();
      for (const index of indices) {
        const question = questions[index];
        size += question.count;
        escalated += question.escalated;
        abstained += question.abstained;
        cohesion += similarity[index];
        const language = question.language || 'unknown';
        languages.set(language, (languages.get(language) ?? 0) + question.count);
      }
      const nearest = [...indices].sort((a, b) => similarity[b] - similarity[a] || questions[b].count - questions[a].count || a - b);
      const examples = (cluster === k ? [...indices].sort((a, b) => questions[b].count - questions[a].count || a - b) : nearest).slice(0, settings.examples).map((index) => questions[index].text);
      const hintTexts = hintRandom.shuffle([...indices]).slice(0, settings.hintSample).map((index) => questions[index].text);
      return {
        cluster,
        topic: {
          id: 0,
          size,
          distinct: indices.length,
          escalated,
          abstained,
          languages: [...languages.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([language, count]) => ({ language, share: count / size })),
          terms: topTerms[cluster],
          examples,
          hint: options.model ? nearestIntent(options.model, hintTexts) : null,
          cohesion: cluster === k ? 0 : cohesion / indices.length,
        } satisfies Topic,
      };
    })
    // Largest first; the topic of unrepresented questions, if any, last.
    .sort((a, b) => Number(a.cluster === k) - Number(b.cluster === k) || b.topic.size - a.topic.size || b.topic.distinct - a.topic.distinct || a.cluster - b.cluster);
  const idOfCluster = new Int32Array(slots);
  built.forEach((entry, position) => {
    entry.topic.id = position + 1;
    idOfCluster[entry.cluster] = position + 1;
  });
  const assignments = clusterOf.map((cluster) => idOfCluster[cluster]);
  return { k, automatic: settings.k === 'auto', kScores, topics: built.map((entry) => entry.topic), assignments, similarity, unrepresented: members[k].length };
}
