import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../../src/artifact/load.js';
import { expandCsvPaths } from '../../src/data/csv.js';
import { hashFiles } from '../../src/train/data-hash.js';
import { loadModel } from '../../src/runtime/model.js';
import { readLabelledData } from '../../src/data/csv.js';
import { evaluateModel } from '../../src/eval/evaluate-model.js';
import { packageRoot } from '../../src/util/package-root.js';

const root = packageRoot();
const modelDirectory = join(root, 'models', 'default');

describe('the shipped model (models/default)', () => {
  it('is not stale: it was trained on exactly the files now in data/', () => {
    const manifest = readManifest(modelDirectory);
    const current = ['train', 'test', 'tune'].flatMap((split) => expandCsvPaths([join(root, 'data', split)]));
    expect(manifest.training.dataFiles).toEqual(current.map((file) => file.slice(root.length + 1)));
    // If this fails, data/ changed since the model was trained: run `npm run train:default`.
    expect(hashFiles(current)).toBe(manifest.training.dataHash);
  });

  it('meets the quality bar on the held-out test split', () => {
    const model = loadModel(modelDirectory);
    const report = evaluateModel(model, readLabelledData([join(root, 'data', 'test')]));
    expect(report.macroF1).toBeGreaterThanOrEqual(0.9);
    for (const language of ['pl', 'cs', 'sk', 'hu', 'en']) expect(report.perLanguage[language].macroF1).toBeGreaterThanOrEqual(0.85);
    expect(report.abstention.answeredPrecision).toBeGreaterThanOrEqual(0.97);
    // The open-world cuts buy safety with coverage (docs/OPEN-WORLD.md); this guards against a
    // model that answers even less.
    expect(report.abstention.coverage).toBeGreaterThanOrEqual(0.45);
    expect(report.abstention.otherAnswerRate).toBeLessThanOrEqual(0.01);
  });

  it('keeps out of the open world: other businesses, the platform, noise and unsupported languages', () => {
    const model = loadModel(modelDirectory);
    const examples = readLabelledData([join(root, 'data', 'openworld')]);
    const report = evaluateModel(model, examples);
    expect(report.abstention.otherAnswerRate).toBeLessThanOrEqual(0.01);
    for (const view of report.byLanguageCode!.filter((entry) => ['pl', 'cs', 'sk', 'hu', 'en'].includes(entry.group))) {
      expect(view.otherAnswerRate, view.group).toBeLessThanOrEqual(0.02);
    }
    const unsupported = report.byKind!.find((view) => view.group === 'unsupported_language')!;
    expect(unsupported.examples).toBeGreaterThanOrEqual(300);
    expect(unsupported.answered / unsupported.examples).toBeLessThanOrEqual(0.01);
    expect(unsupported.reasons.unsupported_language / unsupported.examples).toBeGreaterThanOrEqual(0.9);
  });

  it('never answers a single character', () => {
    const model = loadModel(modelDirectory);
    for (let codePoint = 0x20; codePoint <= 0x2fff; codePoint++) {
      expect(model.classify(String.fromCodePoint(codePoint)).answer).toBe(false);
    }
  });

  it('answers `allina classify "Gdzie jest moja paczka?"` with no --model, through the package\'s bin as the README quick start runs it', () => {
    // The file package.json names as the `allina` bin, executed itself (its shebang and
    // executable bit), not `node dist/...`: this catches a bin without its executable bit, which
    // a fresh `npm ci` would otherwise ship. Not through `npx`: in a clone, npx installs the
    // package into its cache, and that runs `prepare`, which rebuilds dist/ under the other
    // tests running at the same time.
    const bin = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin.allina as string;
    const result = spawnSync(join(root, bin), ['classify', '--json', 'Gdzie jest moja paczka?'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ intent: 'delivery_status', language: 'pl' });
  });
});
