import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainTinyModel } from '../helpers/tiny-model.js';
import { loadModel } from '../../src/runtime/model.js';
import { readManifest } from '../../src/artifact/load.js';
import { tinyDataset } from '../helpers/fixtures.js';

describe('training on a tiny generated dataset', () => {
  let trained: Awaited<ReturnType<typeof trainTinyModel>>;
  beforeAll(async () => {
    trained = await trainTinyModel({ seed: 1 });
  });

  it('learns it to high accuracy, calibrates, and answers what it is sure of', () => {
    const { manifest, directory } = trained;
    expect(manifest.metrics.dev.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(manifest.calibration.temperature).toBeGreaterThan(0);
    expect(manifest.calibration.devEceAfter).toBeLessThanOrEqual(manifest.calibration.devEceBefore + 1e-9);
    expect(manifest.training.bestEpoch).toBeGreaterThan(0);
    expect(manifest.training.epochsRun).toBeGreaterThanOrEqual(manifest.training.bestEpoch);

    const model = loadModel(directory);
    const rows = tinyDataset();
    const decisions = model.classifyBatch(rows.map((row) => row.text));
    const accuracy = decisions.filter((decision, index) => decision.intent === rows[index].intent).length / rows.length;
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    const languageAccuracy = decisions.filter((decision, index) => decision.language === rows[index].lang).length / rows.length;
    expect(languageAccuracy).toBeGreaterThanOrEqual(0.9);

    const question = model.classify('where is my parcel?');
    expect(question.intent).toBe('delivery_status');
    expect(question.alternatives).toHaveLength(3);
    expect(question.modelVersion).toBe(manifest.modelVersion);
    expect(model.classify('hello').answer).toBe(false);
    expect(JSON.parse(readFileSync(join(directory, 'allina.json'), 'utf8')).training.seed).toBe(1);
  });

  it('records format, featurizer, calibration, data hash, seed and versions in the artifact', () => {
    const manifest = readManifest(trained.directory);
    expect(manifest).toMatchObject({ format: 'allina-intent-model', formatVersion: 2, otherIntent: 'other', unsupportedLanguage: 'other' });
    expect(manifest.languages).toEqual(['pl', 'cs', 'sk', 'hu', 'en', 'other']);
    expect(manifest.familiarity).toMatchObject({ file: 'known-features.bin', minimumCount: 1 });
    expect(manifest.familiarity!.features).toBe(readFileSync(join(trained.directory, 'known-features.bin')).length / 8);
    expect(manifest.decision).toMatchObject({ minimumLetters: 3 });
    expect(manifest.decision.minimumFamiliarity).toBeGreaterThanOrEqual(0);
    expect(manifest.featurizer.hash).toBe('fnv1a32');
    expect(manifest.training.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.training.seed).toBe(1);
    expect(manifest.versions.tfjs).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.answerableIntents).toEqual(['delivery_status', 'delivery_options', 'payment_retry']);
  });

  it('is deterministic for the same data and seed', async () => {
    const again = await trainTinyModel({ seed: 1 });
    expect(readFileSync(join(again.directory, 'weights.bin')).equals(readFileSync(join(trained.directory, 'weights.bin')))).toBe(true);
    expect(again.manifest.calibration).toEqual(trained.manifest.calibration);
    expect(again.manifest.decision).toEqual(trained.manifest.decision);
  });
});
