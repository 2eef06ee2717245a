/**
 * `npm run bench:fuzz`: random strings must not be answered. Classifies N seeded random strings
 * of 1–40 characters drawn from many scripts (Latin with and without diacritics, Cyrillic, Greek,
 * Arabic, CJK, emoji, digits and punctuation, any BMP character, and random "words" of the five
 * languages' letters) and reports how many the model would answer, with examples.
 *
 *   npm run build && npm run bench:fuzz -- [--model DIR] [--count N] [--seed S] [--json]
 *
 * Exit code 1 when more than 0.1% are answered or any single character is answered.
 */
import { parseArgs } from 'node:util';
import { loadModel } from '../src/runtime/model.js';
import { defaultPaths } from '../src/cli/options.js';
import { SeededRandom } from '../src/util/random.js';
import { formatPercent } from '../src/cli/table.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: defaultPaths.model },
    count: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '20261202' },
    json: { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
if (!Number.isInteger(count) || count <= 0) throw new Error('--count must be a positive whole number');
const MAXIMUM_ANSWERED_SHARE = 0.001;

/** Code point ranges to draw from, by name. */
const POOLS: Record<string, [number, number][]> = {
  ascii: [[0x20, 0x7e]],
  latinLetters: [[0x61, 0x7a], [0x41, 0x5a]],
  latinDiacritics: [[0xc0, 0x17f]],
  cyrillic: [[0x400, 0x44f]],
  greek: [[0x391, 0x3c9]],
  arabic: [[0x621, 0x64a]],
  cjk: [[0x4e00, 0x9fff]],
  emoji: [[0x1f300, 0x1f64f], [0x1f680, 0x1f6ff]],
  digitsPunctuation: [[0x21, 0x40]],
  anyBmp: [[0x20, 0xd7ff], [0xe000, 0xfffd]],
};
const POOL_NAMES = Object.keys(POOLS);
const FIVE_LANGUAGE_LETTERS = Array.from('aábcčćdďeéěęfghiíjklłľĺmnňńoóöőpqrřsšśtťuúůüűvwxyýzžźżaeiou    ');

function randomString(random: SeededRandom): { text: string; pool: string } {
  const length = 1 + random.nextInt(40);
  // One in five: pseudo-words from the five languages' letters (the hardest kind of noise).
  if (random.next() < 0.2) {
    let text = '';
    for (let index = 0; index < length; index++) text += FIVE_LANGUAGE_LETTERS[random.nextInt(FIVE_LANGUAGE_LETTERS.length)];
    return { text, pool: 'pseudoWords' };
  }
  const pool = POOL_NAMES[random.nextInt(POOL_NAMES.length)];
  const ranges = POOLS[pool];
  let text = '';
  for (let index = 0; index < length; index++) {
    const [low, high] = ranges[random.nextInt(ranges.length)];
    text += String.fromCodePoint(low + random.nextInt(high - low + 1));
  }
  return { text, pool };
}

const model = loadModel(args.model!);
const random = new SeededRandom(Number(args.seed));
const answeredByPool: Record<string, number> = {};
const drawnByPool: Record<string, number> = {};
const examples: { text: string; intent: string | null; confidence: number; familiarity: number }[] = [];
const reasons: Record<string, number> = {};
let answered = 0;
for (let index = 0; index < count; index++) {
  const { text, pool } = randomString(random);
  drawnByPool[pool] = (drawnByPool[pool] ?? 0) + 1;
  const decision = model.classify(text);
  reasons[decision.reason] = (reasons[decision.reason] ?? 0) + 1;
  if (!decision.answer) continue;
  answered++;
  answeredByPool[pool] = (answeredByPool[pool] ?? 0) + 1;
  if (examples.length < 20) examples.push({ text, intent: decision.intent, confidence: decision.confidence, familiarity: decision.familiarity });
}

// Every single character of the Basic Multilingual Plane and the emoji blocks.
let singleCharactersAnswered = 0;
for (const [low, high] of [[0x20, 0xd7ff], [0xe000, 0xfffd], [0x1f300, 0x1faff]]) {
  for (let codePoint = low; codePoint <= high; codePoint++) if (model.classify(String.fromCodePoint(codePoint)).answer) singleCharactersAnswered++;
}

const result = { model: model.manifest.modelVersion, strings: count, seed: Number(args.seed), answered, answeredShare: answered / count, answeredByPool, drawnByPool, reasons, singleCharactersAnswered, examples };
if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  process.stdout.write(`model ${result.model}: ${count.toLocaleString('en')} random strings (seed ${result.seed}), answered ${answered} (${formatPercent(result.answeredShare)}); single characters answered: ${singleCharactersAnswered}\n`);
  process.stdout.write(`reasons: ${Object.entries(reasons).sort((a, b) => b[1] - a[1]).map(([reason, number]) => `${reason} ${number}`).join(', ')}\n`);
  for (const pool of Object.keys(drawnByPool)) process.stdout.write(`  ${pool.padEnd(18)} ${String(answeredByPool[pool] ?? 0).padStart(5)} answered of ${drawnByPool[pool]}\n`);
  for (const example of examples) process.stdout.write(`  answered: ${JSON.stringify(example.text)} → ${example.intent} ${example.confidence.toFixed(3)} (familiarity ${example.familiarity.toFixed(2)})\n`);
}
if (result.answeredShare > MAXIMUM_ANSWERED_SHARE || singleCharactersAnswered > 0) process.exitCode = 1;
