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
  languages: string[];
  intents: IntentDefinition[];
}

/** The intent that is never answered and marks out-of-scope messages. */
export const OTHER_INTENT = 'other';

let cached: Taxonomy | undefined;

/** Loads `data/intents.json`: the labels, their meaning and the default answerable set. */
export function loadTaxonomy(): Taxonomy {
  cached ??= JSON.parse(readFileSync(join(packageRoot(), 'data', 'intents.json'), 'utf8')) as Taxonomy;
  return cached;
}

export function intentLabels(taxonomy: Taxonomy = loadTaxonomy()): string[] {
  return taxonomy.intents.map((intent) => intent.label);
}

export function defaultAnswerableIntents(taxonomy: Taxonomy = loadTaxonomy()): string[] {
  return taxonomy.intents.filter((intent) => intent.answerable).map((intent) => intent.label);
}
