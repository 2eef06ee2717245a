import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conceptsOf, readConceptLexicon, SHIPPED_LEXICON_PATH, withConcepts } from '../../src/discover/lexicon.js';
import { discoveryWords } from '../../src/discover/features.js';
import { DataError } from '../../src/util/errors.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

/** A lexicon directory holding the given files (removed after the file's tests). */
function lexiconDirectory(files: Record<string, string>): string {
  const directory = temporaryDirectory('allina-lexicon-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}

describe('readConceptLexicon', () => {
  it('maps exact forms and stems of several languages to one concept, folded', () => {
    const lexicon = readConceptLexicon(lexiconDirectory({
      'pl.tsv': '# Polish\ninvoice\tfaktura faktur*\n\ncomplaint\treklamac*\n',
      'hu.tsv': 'invoice\tszámla számlá*\n',
    }));
    expect(conceptsOf(lexicon, 'faktura')).toEqual(['invoice']);
    expect(conceptsOf(lexicon, 'fakture')).toEqual(['invoice']); // "fakturę", folded, by the stem
    expect(conceptsOf(lexicon, 'szamlat')).toEqual(['invoice']); // "számlát"
    expect(conceptsOf(lexicon, 'reklamacji')).toEqual(['complaint']);
    expect(conceptsOf(lexicon, 'paczka')).toEqual([]);
  });

  it('prefers an exact form to a stem, and the longest stem to a shorter one', () => {
    const lexicon = readConceptLexicon(lexiconDirectory({ 'en.tsv': 'return\treturn* \nreturn_form\treturnform*\nturn\treturning\n' }));
    expect(conceptsOf(lexicon, 'returning')).toEqual(['turn']);
    expect(conceptsOf(lexicon, 'returnforms')).toEqual(['return_form']);
    expect(conceptsOf(lexicon, 'returned')).toEqual(['return']);
  });

  it('adds concept tokens after the words, none for placeholders or unknown words', () => {
    const lexicon = readConceptLexicon(lexiconDirectory({ 'cs.tsv': 'invoice\tfaktur*\norder\tobjedn*\n' }));
    const words = discoveryWords('Kde je faktura k objednávce 123?');
    expect(withConcepts(words, lexicon)).toEqual([...words, '<=invoice>', '<=order>']);
  });

  it('names the file and line of a malformed entry', () => {
    const noTab = lexiconDirectory({ 'pl.tsv': 'invoice\tfaktura\ncomplaint reklamacja\n' });
    expect(() => readConceptLexicon(noTab)).toThrow(DataError);
    expect(() => readConceptLexicon(noTab)).toThrow(`${join(noTab, 'pl.tsv')}:2: expected a concept id, a tab and word forms`);
    expect(() => readConceptLexicon(lexiconDirectory({ 'pl.tsv': 'Invoice\tfaktura\n' }))).toThrow(/pl\.tsv:1: concept id 'Invoice'/);
    expect(() => readConceptLexicon(lexiconDirectory({ 'pl.tsv': 'invoice\tfa*\n' }))).toThrow(/pl\.tsv:1: stem 'fa\*' is shorter than 4 letters/);
    expect(() => readConceptLexicon(lexiconDirectory({ 'notes.txt': 'x' }))).toThrow(/no \*\.tsv lexicon files/);
    expect(() => readConceptLexicon(join(tmpdir(), 'allina-no-such-lexicon'))).toThrow(/cannot read the lexicon directory \(ENOENT\)/);
  });

  it('reads the shipped lexicon, which joins the five languages', () => {
    const lexicon = readConceptLexicon(SHIPPED_LEXICON_PATH);
    for (const word of ['faktura', 'fakturu', 'faktury', 'szamla', 'szamlat', 'invoice']) expect(conceptsOf(lexicon, word), word).toContain('invoice');
  });

  it('ships every concept of concepts.txt, and only those, in each language', () => {
    const glossed = readFileSync(join(SHIPPED_LEXICON_PATH, 'concepts.txt'), 'utf8').split('\n').filter(Boolean).map((line) => line.split('\t')[0]);
    for (const language of ['pl', 'cs', 'sk', 'hu', 'en']) {
      const concepts = readFileSync(join(SHIPPED_LEXICON_PATH, `${language}.tsv`), 'utf8').split('\n').filter(Boolean).map((line) => line.split('\t')[0]);
      expect(concepts, language).toEqual(glossed);
    }
  });
});
