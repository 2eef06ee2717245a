import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainTinyModel } from '../helpers/tiny-model.js';
import { loadModel } from '../../src/runtime/model.js';
import { tinyDataset } from '../helpers/fixtures.js';

describe('training on a tiny generated dataset', () => {
  it('learns it to high accuracy, calibrates, and answers what it is sure of', async () => {
    const { manifest, directory } = await trainTinyModel();
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

  it('is deterministic for the same data and seed', async () => {
    const first = await trainTinyModel({ seed: 3 });
    const second = await trainTinyModel({ seed: 3 });
    expect(readFileSync(join(second.directory, 'weights.bin')).equals(readFileSync(join(first.directory, 'weights.bin')))).toBe(true);
    expect(second.manifest.calibration).toEqual(first.manifest.calibration);
    expect(second.manifest.decision).toEqual(first.manifest.decision);
  });
});
