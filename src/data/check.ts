import { expandCsvPaths, readLabelledCsvRows, type LabelledExample } from './csv.js';
import { findSimilarPairs, duplicateKey } from './near-duplicates.js';
import { intentLabels, loadTaxonomy, OTHER_INTENT } from './taxonomy.js';

/** Corpus minimums (train + test, per language and intent) from the corpus specification. */
export const MINIMUM_PER_INTENT = 200;
export const MINIMUM_OTHER = 400;
/** Character-trigram Jaccard at or above which two rows count as near duplicates. */
export const NEAR_DUPLICATE_SIMILARITY = 0.8;

export interface CorpusCell {
  lang: string;
  intent: string;
  train: number;
  test: number;
  minimum: number;
}

export interface CorpusCheckReport {
  cells: CorpusCell[];
  totals: { train: number; test: number };
  problems: string[];
  /** Duplicate pairs found (for tooling that wants to fix them). */
  duplicates: { kind: 'exact' | 'near'; similarity: number; first: LabelledExample; second: LabelledExample }[];
}

/**
 * Validates the corpus: labels and languages (while reading), empty / over-long text, exact and
 * near duplicates inside each split and across splits, and every language × intent cell at its
 * minimum. Returns the counts table and the list of problems (empty = the corpus passes).
 *
 * @example
 * const report = checkCorpus(['data/train'], ['data/test']);
 * if (report.problems.length) console.error(report.problems.join('\n'));
 */
export interface CorpusMinimums {
  perIntent: number;
  other: number;
}

export function checkCorpus(trainPaths: string[], testPaths: string[], minimums: CorpusMinimums = { perIntent: MINIMUM_PER_INTENT, other: MINIMUM_OTHER }): CorpusCheckReport {
  const problems: string[] = [];
  const read = (paths: string[]) => expandCsvPaths(paths).flatMap((file) => {
    const { examples, problems: rowProblems } = readLabelledCsvRows(file);
    problems.push(...rowProblems.map((problem) => problem.message));
    return examples;
  });
  const train = read(trainPaths);
  const test = testPaths.length ? read(testPaths) : [];
  const taxonomy = loadTaxonomy();
  const cells: CorpusCell[] = [];
  for (const lang of taxonomy.languages) {
    for (const intent of intentLabels(taxonomy)) {
      const count = (rows: LabelledExample[]) => rows.filter((row) => row.lang === lang && row.intent === intent).length;
      const cell = { lang, intent, train: count(train), test: count(test), minimum: intent === OTHER_INTENT ? minimums.other : minimums.perIntent };
      cells.push(cell);
      if (cell.train + cell.test < cell.minimum) problems.push(`${lang}/${intent}: ${cell.train + cell.test} rows, below the minimum of ${cell.minimum}`);
    }
  }

  const all = [...train.map((row) => ({ row, split: 'train' })), ...test.map((row) => ({ row, split: 'test' }))];
  const keys = all.map(({ row }) => duplicateKey(row.text));
  const where = (row: LabelledExample) => `${row.file}:${row.row}`;
  const duplicates: CorpusCheckReport['duplicates'] = [];
  for (const pair of findSimilarPairs(keys, NEAR_DUPLICATE_SIMILARITY, (first, second) => all[first].row.lang === all[second].row.lang)) {
    const first = all[pair.first];
    const second = all[pair.second];
    const kind = keys[pair.first] === keys[pair.second] ? 'exact' : 'near';
    const scope = first.split === second.split ? `inside ${first.split}` : 'across train and test';
    duplicates.push({ kind, similarity: pair.similarity, first: first.row, second: second.row });
    problems.push(`${kind} duplicate ${scope}: ${where(first.row)} "${first.row.text}" ~ ${where(second.row)} "${second.row.text}"${kind === 'near' ? ` (similarity ${pair.similarity.toFixed(2)})` : ''}`);
  }
  return { cells, totals: { train: train.length, test: test.length }, problems, duplicates };
}
