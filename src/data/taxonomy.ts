import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/** One intent label as defined in `data/intents.json` (the project's copy of TAXONOMY.md). */
export interface IntentDefinition {
  label: string;
  description: string;
  /** Whether the bot answers this intent by default. */
  answerable: boolean;
}

export interface Taxonomy {
  /** The languages the bot answers in. */
  languages: string[];
  /**
   * ISO 639-1 codes of languages buyers also write in but the bot does not answer. Rows in
   * these languages are accepted in labelled data and train the language class
   * {@link UNSUPPORTED_LANGUAGE}; any other code in a `lang` column is a data error.
   */
  unsupportedLanguages: string[];
  intents: IntentDefinition[];
}

/** The intent that is never answered and marks out-of-scope messages. */
export const OTHER_INTENT = 'other';

/** The language class for every language outside `languages`: such questions are never answered. */
export const UNSUPPORTED_LANGUAGE = 'other';

let cached: Taxonomy | undefined;

/** Loads `data/intents.json`: the labels, their meaning and the default answerable set. */
export function loadTaxonomy(): Taxonomy {
  cached ??= JSON.parse(readFileSync(join(packageRoot(), 'data', 'intents.json'), 'utf8')) as Taxonomy;
  cached.unsupportedLanguages ??= [];
  return cached;
}

/** The language classes of a model: the supported languages, then {@link UNSUPPORTED_LANGUAGE}. */
export function languageClasses(taxonomy: Taxonomy = loadTaxonomy()): string[] {
  return [...taxonomy.languages, UNSUPPORTED_LANGUAGE];
}

/** Whether `lang` (a `lang` column value) is one of the supported languages. */
export function isSupportedLanguage(lang: string, taxonomy: Taxonomy = loadTaxonomy()): boolean {
  return taxonomy.languages.includes(lang);
}

/** The language class a `lang` value trains and is scored as: itself, or {@link UNSUPPORTED_LANGUAGE}. */
export function languageClass(lang: string, taxonomy: Taxonomy = loadTaxonomy()): string {
  return isSupportedLanguage(lang, taxonomy) ? lang : UNSUPPORTED_LANGUAGE;
}

/**
 * The intent the bot should act on for a labelled row: its label, except that a question in an
 * unsupported language is `other` whatever it asks (the bot must not answer it). Training and
 * every evaluation score rows by this.
 *
 * @example
 * actionableIntent({ lang: 'de', intent: 'delivery_status' }) // → 'other'
 */
export function actionableIntent(example: { lang: string; intent: string }, taxonomy: Taxonomy = loadTaxonomy()): string {
  return isSupportedLanguage(example.lang, taxonomy) ? example.intent : OTHER_INTENT;
}

export function intentLabels(taxonomy: Taxonomy = loadTaxonomy()): string[] {
  return taxonomy.intents.map((intent) => intent.label);
}

export function defaultAnswerableIntents(taxonomy: Taxonomy = loadTaxonomy()): string[] {
  return taxonomy.intents.filter((intent) => intent.answerable).map((intent) => intent.label);
}
