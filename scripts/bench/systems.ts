/**
 * The systems `npm run bench` knows, by id. Adapters are imported only when a worker runs them,
 * so that each worker process holds one system's code (its RSS is measured).
 */
import { createRequire } from 'node:module';
import { packageVersion } from '../../src/util/package-root.js';
import { FASTTEXT_INSTALL, fastTextMissing, fastTextVersion } from './fasttext.js';
import type { BenchSystem } from './system.js';

export interface SystemEntry {
  id: string;
  label: string;
  /** Why the system cannot run on this machine, with what to do about it; null when it can. */
  unavailable(): string | null;
  version(): string;
  load(): Promise<BenchSystem>;
}

const require = createRequire(import.meta.url);

function nlpjsMissing(): string | null {
  for (const name of ['@nlpjs/nlp', '@nlpjs/lang-pl', '@nlpjs/lang-cs', '@nlpjs/lang-hu', '@nlpjs/lang-en']) {
    try {
      require.resolve(name);
    } catch {
      return `${name} is not installed (NLP.js packages are devDependencies: run \`npm ci\`)`;
    }
  }
  return null;
}

function nlpjsVersion(): string {
  return `@nlpjs/nlp ${(require('@nlpjs/nlp/package.json') as { version: string }).version}`;
}

function fastTextUnavailable(): string | null {
  const missing = fastTextMissing();
  return missing ? `${missing}; install it with \`${FASTTEXT_INSTALL}\` (Debian/Ubuntu, as root)` : null;
}

export const SYSTEMS: SystemEntry[] = [
  {
    id: 'allina',
    label: 'Allina (shipped recipe)',
    unavailable: () => null,
    version: () => `allina ${packageVersion()}`,
    load: async () => (await import('./allina.js')).allina,
  },
  {
    id: 'nlpjs',
    label: 'NLP.js, language guessed',
    unavailable: nlpjsMissing,
    version: nlpjsVersion,
    load: async () => (await import('./nlpjs.js')).nlpjsLanguageGuessed,
  },
  {
    id: 'nlpjs-given-language',
    label: 'NLP.js, true language given (oracle)',
    unavailable: nlpjsMissing,
    version: nlpjsVersion,
    load: async () => (await import('./nlpjs.js')).nlpjsLanguageGiven,
  },
  {
    id: 'fasttext',
    label: 'fastText, fixed settings',
    unavailable: fastTextUnavailable,
    version: () => `fasttext ${fastTextVersion()} (Debian)`,
    load: async () => (await import('./fasttext.js')).fastTextFixed,
  },
  {
    id: 'fasttext-autotune',
    label: 'fastText, autotune',
    unavailable: fastTextUnavailable,
    version: () => `fasttext ${fastTextVersion()} (Debian)`,
    load: async () => (await import('./fasttext.js')).fastTextAutotune,
  },
];

export function findSystem(id: string): SystemEntry {
  const entry = SYSTEMS.find((system) => system.id === id);
  if (!entry) throw new Error(`unknown system '${id}' (known: ${SYSTEMS.map((system) => system.id).join(', ')})`);
  return entry;
}
