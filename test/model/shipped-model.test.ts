import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readManifest } from '../../src/artifact/load.js';
import { expandCsvPaths } from '../../src/data/csv.js';
import { hashFiles } from '../../src/pipeline/data-hash.js';
import { loadModel } from '../../src/runtime/model.js';
import { readLabelledData } from '../../src/data/csv.js';
import { evaluateModel } from '../../src/pipeline/evaluate-model.js';
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
    expect(report.abstention.answeredPrecision).toBeGreaterThanOrEqual(0.95);
    expect(report.abstention.coverage).toBeGreaterThanOrEqual(0.65);
    expect(report.abstention.otherAnswerRate).toBeLessThanOrEqual(0.03);
  });

  it('answers `npx allina classify "Gdzie jest moja paczka?"` with no --model, as the README quick start runs it', () => {
    // Through npx and the package's bin, not `node dist/...`: this catches a bin without its
    // executable bit, which a fresh `npm ci` would otherwise ship.
    const result = spawnSync('npx', ['--no', 'allina', 'classify', '--json', 'Gdzie jest moja paczka?'], { cwd: packageRoot(), encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ intent: 'delivery_status', language: 'pl' });
  });
});
