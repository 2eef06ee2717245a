/**
 * Style statistics of the corpus for the datasheet (data/README.md): per language and split,
 * the share of rows written without diacritics, all lower-case, ALL CAPS, with emoji, with a
 * number, and the length distribution in words.
 *
 *   npm run build && node dist/scripts/corpus-stats.js
 */
import { readLabelledData, type LabelledExample } from '../src/data/csv.js';
import { defaultPaths } from '../src/cli/options.js';
import { foldDiacritics } from '../src/text/normalize.js';
import { renderTable, formatPercent } from '../src/cli/table.js';

const LETTERS = /\p{L}/u;
const EMOJI = /\p{Extended_Pictographic}/u;

function describe(rows: LabelledExample[]): (string | number)[] {
  const share = (test: (text: string) => boolean) => formatPercent(rows.filter((row) => test(row.text)).length / rows.length);
  const words = rows.map((row) => row.text.split(/\s+/u).filter(Boolean).length).sort((a, b) => a - b);
  const quantile = (q: number) => words[Math.min(words.length - 1, Math.floor(q * words.length))];
  return [
    rows.length,
    // Rows with letters where folding changes nothing: typed without diacritics (or needing none).
    share((text) => LETTERS.test(text) && foldDiacritics(text.toLowerCase()) === text.toLowerCase()),
    share((text) => LETTERS.test(text) && text === text.toLowerCase()),
    share((text) => /\p{Lu}.*\p{Lu}/u.test(text) && text === text.toUpperCase()),
    share((text) => EMOJI.test(text)),
    share((text) => /\d/.test(text)),
    share((text) => text.split(/\s+/u).filter(Boolean).length <= 2),
    `${quantile(0.1)} / ${quantile(0.5)} / ${quantile(0.9)}`,
  ];
}

const splits = { train: readLabelledData([defaultPaths.trainData]), test: readLabelledData([defaultPaths.testData]) };
const rows: (string | number)[][] = [];
for (const language of ['pl', 'cs', 'sk', 'hu', 'en']) {
  for (const [split, examples] of Object.entries(splits)) rows.push([language, split, ...describe(examples.filter((example) => example.lang === language))]);
}
process.stdout.write(`${renderTable(['lang', 'split', 'rows', 'no diacritics', 'all lower', 'ALL CAPS', 'emoji', 'digits', '≤ 2 words', 'words p10/p50/p90'], rows)}\n`);
