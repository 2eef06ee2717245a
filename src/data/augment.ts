import { SeededRandom } from '../util/random.js';

const STROKED: Record<string, string> = { ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ø: 'o', Ø: 'O' };

/** The message as typed on a keyboard without the local layout: "Przesyłka" → "Przesylka". */
export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[łŁđĐøØ]/gu, (letter) => STROKED[letter] ?? letter)
    .normalize('NFC');
}

/**
 * One natural typo in a random word of 4+ letters: a letter dropped, doubled, or two
 * neighbours swapped. Returns the text unchanged when it has no such word.
 */
export function injectTypo(text: string, random: SeededRandom): string {
  const words = [...text.matchAll(/\p{L}{4,}/gu)];
  if (words.length === 0) return text;
  const word = words[random.nextInt(words.length)];
  const letters = Array.from(word[0]);
  const position = 1 + random.nextInt(letters.length - 2);
  const kind = random.nextInt(3);
  if (kind === 0) letters.splice(position, 1);
  else if (kind === 1) letters.splice(position, 0, letters[position]);
  else [letters[position], letters[position + 1]] = [letters[position + 1], letters[position]];
  const start = word.index!;
  return text.slice(0, start) + letters.join('') + text.slice(start + word[0].length);
}

/**
 * Training-time augmentation (never applied to dev or test): every example yields itself, a
 * copy without diacritics when that differs, and with probability `typoRate` a copy with one
 * typo. Stored data stays as written; these variants exist only in memory while training.
 */
export function augmentTexts(text: string, random: SeededRandom, typoRate = 0.5): string[] {
  const variants = [text];
  const stripped = stripDiacritics(text);
  if (stripped !== text) variants.push(stripped);
  if (random.next() < typoRate) {
    const typo = injectTypo(random.next() < 0.5 ? stripped : text, random);
    if (typo !== text && typo !== stripped) variants.push(typo);
  }
  return variants;
}
