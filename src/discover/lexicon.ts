import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readUtf8File } from '../data/csv.js';
import { foldDiacritics, normalizeText } from '../text/normalize.js';
import { DataError } from '../util/errors.js';
import { isMarkerToken } from './features.js';
import { packageRoot } from '../util/package-root.js';

/**
 * A multilingual concept lexicon: word forms of the five languages mapped to shared concept ids
 * ("faktura", "faktúra", "számla", "invoice" → `invoice`). Discovery adds a question's concepts
 * to its words before the co-occurrence vectors are fitted, so that "számla" and "faktura" share
 * a context even though they share no letters (character n-grams join only related spellings).
 */
export interface ConceptLexicon {
  /** Folded word form → concept ids. */
  forms: Map<string, string[]>;
  /** Folded stem (a form written with a trailing `*`) → concept ids; matches any word it starts. */
  stems: Map<string, string[]>;
  shortestStem: number;
  longestStem: number;
}

/** The lexicon shipped in the package (`data/lexicon/*.tsv`). */
export const SHIPPED_LEXICON_PATH = join(packageRoot(), 'data', 'lexicon');

/** Shortest stem accepted: two or three letters would match unrelated words. */
const MINIMUM_STEM_LENGTH = 4;

const CONCEPT_ID = /^[a-z][a-z0-9_]*$/;

/**
 * Reads every `*.tsv` file of a directory. Each line: a concept id, a tab, then the word forms
 * of that concept separated by spaces; a form ending in `*` is a stem that matches every word it
 * begins ("reklamac*"). Blank lines and lines starting with `#` are skipped. Forms are
 * normalised and diacritic-folded as discovery's words are. A malformed line is an error naming
 * the file and line.
 *
 * @example
 * const lexicon = readConceptLexicon('data/lexicon');
 * conceptsOf(lexicon, 'szamlat') // → ['invoice']
 */
export function readConceptLexicon(directory: string): ConceptLexicon {
  let files: string[];
  try {
    files = readdirSync(directory).filter((name) => name.endsWith('.tsv')).sort();
  } catch (error) {
    throw new DataError(directory, undefined, `cannot read the lexicon directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (files.length === 0) throw new DataError(directory, undefined, 'no *.tsv lexicon files');
  const lexicon: ConceptLexicon = { forms: new Map(), stems: new Map(), shortestStem: Infinity, longestStem: 0 };
  for (const name of files) {
    const file = join(directory, name);
    readUtf8File(file).split(/\r?\n/).forEach((text, index) => {
      const line = text.trim();
      if (line === '' || line.startsWith('#')) return;
      const tab = line.indexOf('\t');
      if (tab < 0) throw new DataError(file, index + 1, 'expected a concept id, a tab and word forms');
      const concept = line.slice(0, tab).trim();
      if (!CONCEPT_ID.test(concept)) throw new DataError(file, index + 1, `concept id '${concept}' must be lowercase letters, digits and _`);
      for (const written of line.slice(tab + 1).split(/\s+/).filter(Boolean)) {
        const stem = written.endsWith('*');
        const form = foldDiacritics(normalizeText(stem ? written.slice(0, -1) : written));
        if (form === '' || /\s/.test(form)) throw new DataError(file, index + 1, `'${written}' is not one word`);
        if (stem && Array.from(form).length < MINIMUM_STEM_LENGTH) throw new DataError(file, index + 1, `stem '${written}' is shorter than ${MINIMUM_STEM_LENGTH} letters`);
        const target = stem ? lexicon.stems : lexicon.forms;
        const concepts = target.get(form) ?? [];
        if (!concepts.includes(concept)) concepts.push(concept);
        target.set(form, concepts);
        if (stem) {
          lexicon.shortestStem = Math.min(lexicon.shortestStem, form.length);
          lexicon.longestStem = Math.max(lexicon.longestStem, form.length);
        }
      }
    });
  }
  return lexicon;
}

/** The concepts of one discovery word: its exact form's, else the longest matching stem's; [] when none. */
export function conceptsOf(lexicon: ConceptLexicon, word: string): readonly string[] {
  const exact = lexicon.forms.get(word);
  if (exact) return exact;
  for (let length = Math.min(word.length, lexicon.longestStem); length >= lexicon.shortestStem; length--) {
    const concepts = lexicon.stems.get(word.slice(0, length));
    if (concepts) return concepts;
  }
  return [];
}

/** Whether a discovery word is a concept token added by {@link withConcepts}. */
export function isConceptToken(word: string): boolean {
  return word.startsWith('<=');
}

/**
 * A question's words followed by the concept token (`<=concept>`) of every word the lexicon
 * knows. The tokens are shaped like placeholders, so they are whole-word terms with no
 * character n-grams of their own.
 *
 * @example
 * withConcepts(['kde', 'je', 'faktura'], lexicon) // → ['kde', 'je', 'faktura', '<=invoice>']
 */
export function withConcepts(words: readonly string[], lexicon: ConceptLexicon): string[] {
  const out = [...words];
  for (const word of words) {
    if (isMarkerToken(word)) continue;
    for (const concept of conceptsOf(lexicon, word)) out.push(`<=${concept}>`);
  }
  return out;
}
