import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCsv } from '../../src/data/csv-write.js';

const created: string[] = [];
// Models are ~17 MB each: remove every directory a test file made once it is done.
afterAll(() => {
  for (const directory of created.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file has run. */
export function temporaryDirectory(prefix = 'allina-test-'): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  created.push(directory);
  return directory;
}

/** Writes rows as a CSV with the given header. */
export function writeCsv(path: string, header: string[], rows: string[][]): string {
  writeFileSync(path, formatCsv(header, rows));
  return path;
}

/** A few phrases per language and intent: the tiny dataset varies them; the hand-made model is built from them. */
export const PHRASES: Record<string, Record<string, string[]>> = {
  en: {
    delivery_status: ['where is my parcel', 'when will my order arrive', 'parcel not delivered yet', 'tracking number please', 'my package is late'],
    invoice_request: ['send me the invoice', 'i need a vat invoice', 'where can i download the invoice', 'invoice not received', 'please issue an invoice'],
    other: ['hello', 'thank you very much', 'can you give me a discount', 'what are your opening hours', 'i cannot log in'],
  },
  pl: {
    delivery_status: ['gdzie jest moja paczka', 'kiedy dotrze zamówienie', 'paczka jeszcze nie doszła', 'poproszę numer przesyłki', 'przesyłka się spóźnia'],
    invoice_request: ['proszę o fakturę', 'potrzebuję faktury vat', 'gdzie pobrać fakturę', 'nie dostałem faktury', 'wystawcie fakturę'],
    other: ['dzień dobry', 'dziękuję bardzo', 'dacie rabat', 'w jakich godzinach pracujecie', 'nie mogę się zalogować'],
  },
};
const OPENINGS = ['', 'hi, ', 'hej ', 'pls ', 'hello, '];
const ENDINGS = ['', '?', ' !', ' 🙂', ' thx', ' asap'];

/**
 * A small, generated, clearly separable dataset: 3 intents × 2 languages, variations of a few
 * phrases. Enough for a test that training, calibration and the CLI work; not a corpus.
 */
export function tinyDataset(): { text: string; lang: string; intent: string }[] {
  const rows: { text: string; lang: string; intent: string }[] = [];
  for (const [lang, intents] of Object.entries(PHRASES)) {
    for (const [intent, phrases] of Object.entries(intents)) {
      phrases.forEach((phrase, phraseIndex) => {
        OPENINGS.forEach((opening, openingIndex) => {
          const ending = ENDINGS[(phraseIndex + openingIndex) % ENDINGS.length];
          rows.push({ text: `${opening}${phrase}${ending}`, lang, intent });
        });
      });
    }
  }
  return rows;
}

/** Writes the tiny dataset as a labelled CSV and returns its path. */
export function writeTinyDataset(directory: string, name = 'tiny.csv'): string {
  return writeCsv(join(directory, name), ['text', 'lang', 'intent'], tinyDataset().map((row) => [row.text, row.lang, row.intent]));
}
