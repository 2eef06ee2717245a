import { readLabelledData, type LabelledExample } from '../../src/data/csv.js';
import { discoveryWords } from '../../src/discover/features.js';
import { defaultPaths } from '../../src/cli/options.js';
import { SeededRandom } from '../../src/util/random.js';

const LANGUAGES = ['pl', 'cs', 'sk', 'hu', 'en'];

/** N distinct questions: corpus texts with an opening, an ending and sometimes a typo. */
export function generateQuestions(count: number, seed: number): { text: string; lang: string }[] {
  const corpus: LabelledExample[] = readLabelledData([defaultPaths.trainData, defaultPaths.testData, defaultPaths.tuneData, defaultPaths.openWorldData]).filter((row) => LANGUAGES.includes(row.lang));
  const openings = ['', 'hi ', 'hello, ', 'dzien dobry ', 'witam, ', 'dobry den, ', 'ahoj ', 'jo napot, ', 'szia ', 'hej ', 'prosim ', 'please ', 'pls ', 'halo ', 'zdravim, ', 'kedves elado, ', 'good morning, ', 'dobry wieczor ', 'cau ', 'sziasztok '];
  const endings = ['', '?', ' thanks', ' dziekuje', ' dekuji', ' dakujem', ' koszonom', ' asap', ' pls', ' 🙏', ' !!!', ' regards', ' pozdrawiam', ' s pozdravem', ' udv', ' please answer', ' odpiszcie', ' ok?', ' urgent', ' dzieki'];
  const random = new SeededRandom(seed);
  const seen = new Set<string>();
  const rows: { text: string; lang: string }[] = [];
  while (rows.length < count) {
    const row = corpus[random.nextInt(corpus.length)];
    let text = `${openings[random.nextInt(openings.length)]}${row.text}${endings[random.nextInt(endings.length)]}`;
    if (random.next() < 0.7) {
      // A typo: two neighbouring letters swapped.
      const position = 1 + random.nextInt(Math.max(1, text.length - 2));
      text = text.slice(0, position - 1) + text[position] + text[position - 1] + text.slice(position + 1);
    }
    const key = discoveryWords(text).join(' ');
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    rows.push({ text, lang: row.lang });
  }
  return rows;
}

