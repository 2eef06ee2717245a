/**
 * NLP.js (`@nlpjs/nlp`, its default neural NLU) with one corpus per language and the language
 * packages for Polish, Czech, Hungarian and English.
 *
 * Slovak has no NLP.js package. We do what NLP.js does for a language it has no package for:
 * the locale `sk` is declared and trained like the others, and NLP.js falls back to its generic
 * pieces — the core normaliser (lower case, diacritics removed), the core tokenizer (split on
 * spaces and punctuation), no stemmer, no stop words. Its language guesser cannot return `sk`
 * at all (no trigram profile, and locales it does not know are dropped from the allow-list), so
 * when NLP.js guesses the language, Slovak questions go to another language's model, mostly
 * Czech. Two variants are therefore run:
 *   - language guessed: `nlp.process(text)`, what a multilingual NLP.js bot does;
 *   - language given: `nlp.process(lang, text)` with the true language, an oracle that Allina
 *     does not get (it reads only the text).
 *
 * NLP.js keeps one corpus per language and has no class for "a language I do not support": the
 * training questions in unsupported languages are left out of its training, and with the language
 * given (the oracle) such a question gets no answer at all.
 *
 * Its language guesser throws on some noise (text without letters); such a question gets no answer.
 *
 * NLP.js's own answer threshold (0.5 → intent `None`) is switched off so that every system is
 * thresholded the same way on dev; NLP.js's `None` (no known feature in the question) counts as
 * a prediction of `other`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { OTHER_INTENT } from '../../src/data/taxonomy.js';
import type { BenchQuestion, BenchSystem, LoadedClassifier, Ranking } from './system.js';

const require = createRequire(import.meta.url);

/** The part of the NLP.js API the bench uses (the packages ship no TypeScript types). */
interface NlpInstance {
  use(plugin: unknown): void;
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  export(minified: boolean): string;
  import(data: string): void;
  process(localeOrUtterance: string, utterance?: string): Promise<{ classifications?: { intent: string; score: number }[] }>;
}

/** The language packages that exist, by Allina language code; Slovak has none. */
const LANGUAGE_PACKAGES: Record<string, { module: string; exportName: string }> = {
  pl: { module: '@nlpjs/lang-pl', exportName: 'LangPl' },
  cs: { module: '@nlpjs/lang-cs', exportName: 'LangCs' },
  hu: { module: '@nlpjs/lang-hu', exportName: 'LangHu' },
  en: { module: '@nlpjs/lang-en', exportName: 'LangEn' },
};

const MODEL_FILE = 'model.nlp';
const NLPJS_NONE = 'None';

function createNlp(languages: string[]): NlpInstance {
  const { Nlp } = require('@nlpjs/nlp') as { Nlp: new (settings: object) => NlpInstance };
  const nlp = new Nlp({
    languages,
    autoLoad: false,
    autoSave: false,
    // Keep the scores: the bench chooses every system's threshold on dev itself.
    threshold: 0,
    calculateSentiment: false,
    nlu: { log: false },
  });
  for (const language of languages) {
    const known = LANGUAGE_PACKAGES[language];
    if (known) nlp.use((require(known.module) as Record<string, unknown>)[known.exportName]);
  }
  return nlp;
}

/** NLP.js's classifications (sorted, zero scores dropped) as a top-3 ranking in Allina's labels. */
function toRanking(classifications: { intent: string; score: number }[] | undefined): Ranking {
  const ranking: Ranking = [];
  for (const { intent, score } of classifications ?? []) {
    const label = intent === NLPJS_NONE ? OTHER_INTENT : intent;
    if (ranking.some((entry) => entry.intent === label)) continue; // `None` and `other` both present
    ranking.push({ intent: label, score });
    if (ranking.length === 3) break;
  }
  return ranking;
}

function nlpjsSystem(languageGiven: boolean): BenchSystem {
  return {
    async train(context) {
      const nlp = createNlp(context.languages);
      for (const question of context.train) if (context.languages.includes(question.lang)) nlp.addDocument(question.lang, question.text, question.intent);
      await nlp.train();
      writeFileSync(join(context.modelDirectory, MODEL_FILE), nlp.export(true));
      const packaged = context.languages.filter((language) => LANGUAGE_PACKAGES[language]);
      const generic = context.languages.filter((language) => !LANGUAGE_PACKAGES[language]);
      return {
        notes: [
          `language packages: ${packaged.join(', ')}; generic NLP.js pipeline (no package): ${generic.join(', ') || 'none'}`,
          languageGiven ? 'classified with the true language given (oracle)' : 'language guessed by NLP.js for each question',
        ],
      };
    },

    async load(modelDirectory, context): Promise<LoadedClassifier> {
      const nlp = createNlp(context.languages);
      nlp.import(readFileSync(join(modelDirectory, MODEL_FILE), 'utf8'));
      const classify = async (question: BenchQuestion): Promise<Ranking> => {
        if (languageGiven && !context.languages.includes(question.lang)) return [];
        try {
          return toRanking((await (languageGiven ? nlp.process(question.lang, question.text) : nlp.process(question.text))).classifications);
        } catch {
          // NLP.js's language guesser throws on some inputs (text without letters): no answer.
          return [];
        }
      };
      return {
        classify,
        // NLP.js has no batch API: a service awaits process() per question.
        classifyBatch: async (questions) => {
          const rankings: Ranking[] = [];
          for (const question of questions) rankings.push(await classify(question));
          return rankings;
        },
        close: () => undefined,
      };
    },
  };
}

export const nlpjsLanguageGuessed = nlpjsSystem(false);
export const nlpjsLanguageGiven = nlpjsSystem(true);
