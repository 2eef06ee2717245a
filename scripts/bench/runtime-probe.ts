/**
 * Child process for `bench-runtime`: a fresh Node process that imports the package's entry as a
 * service does (`import { loadModel } from 'allina'`, the bundle `npm run build` writes to
 * dist/package), so what it measures is what a service pays (no TensorFlow.js, no CSV parser).
 *
 *   node dist/scripts/bench/runtime-probe.js load MODEL_DIR
 *     → {"importMs":…, "loadMs":…}  time to import the runtime and to load the artifact
 *   node dist/scripts/bench/runtime-probe.js rss MODEL_DIR TEXTS_JSON PASSES
 *     → {"baselinePeakRssBytes":…, "peakRssBytes":…}  VmHWM before anything and after loading
 *       and classifying every text PASSES times
 */
import { readFileSync } from 'node:fs';
import { peakRssBytes } from './system-info.js';

const [mode, modelDirectory, textsFile, passesArgument] = process.argv.slice(2);
// Read before the runtime is imported: this is the bare Node process.
const baselinePeakRssBytes = peakRssBytes();

const importStarted = process.hrtime.bigint();
// The built bundle, not a TypeScript source: the path is only known at run time.
const packageEntry = new URL('../../package/index.js', import.meta.url).href;
const { loadModel } = (await import(packageEntry)) as typeof import('../../src/index.js');
const loadStarted = process.hrtime.bigint();
const model = loadModel(modelDirectory);
const loadEnded = process.hrtime.bigint();

if (mode === 'load') {
  process.stdout.write(`${JSON.stringify({ importMs: Number(loadStarted - importStarted) / 1e6, loadMs: Number(loadEnded - loadStarted) / 1e6 })}\n`);
} else if (mode === 'rss') {
  const texts = JSON.parse(readFileSync(textsFile, 'utf8')) as string[];
  let answered = 0;
  for (let pass = 0; pass < Number(passesArgument ?? 1); pass++) {
    for (const decision of model.classifyBatch(texts)) if (decision.answer) answered++;
  }
  process.stdout.write(`${JSON.stringify({ baselinePeakRssBytes, peakRssBytes: peakRssBytes(), answered })}\n`);
} else {
  process.stderr.write(`runtime-probe: unknown mode '${mode}' (expected load or rss)\n`);
  process.exitCode = 2;
}
