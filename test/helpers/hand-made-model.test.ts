import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/runtime/model.js';
import { handMadeExamples, handMadeModel, writeHandMadeModel } from './hand-made-model.js';
import { tinyDataset } from './fixtures.js';

/** The hand-made model stands in for a trained one in unit tests: it must behave like one. */
describe('the hand-made test model', () => {
  const { directory, manifest } = writeHandMadeModel();
  const model = loadModel(directory);

  it('is an artifact loadModel accepts, with the taxonomy\'s intents and languages', () => {
    expect(model.manifest).toEqual(manifest);
    expect(manifest.intents).toHaveLength(11);
    expect(manifest.languages).toEqual(['pl', 'cs', 'sk', 'hu', 'en', 'other']);
    expect(manifest.familiarity!.features).toBeGreaterThan(500);
  });

  it('is deterministic: the same bytes and version every time; a variant is another version', () => {
    expect(writeHandMadeModel().manifest.modelVersion).toBe(manifest.modelVersion);
    const variant = handMadeModel({ variant: 1 });
    expect(variant.manifest.modelVersion).not.toBe(manifest.modelVersion);
    for (const text of ['where is my parcel', 'proszę o fakturę', 'hmm ok']) {
      const { intent, language, answer, reason } = model.classify(text);
      expect(variant.classify(text)).toMatchObject({ intent, language, answer, reason, modelVersion: variant.manifest.modelVersion });
    }
  });

  it('knows its sentences: right intent and language, and answers the answerable ones', () => {
    for (const example of handMadeExamples()) {
      const decision = model.classify(example.text);
      expect(decision.intent, example.text).toBe(example.intent);
      expect(decision.language, example.text).toBe(example.lang);
      expect(decision.familiarity).toBe(1);
      if (example.intent === 'delivery_status') expect(decision.reason, example.text).toBe('answerable');
    }
  });

  it('gets the tiny dataset (its sentences varied) right, and refuses what it has never seen', () => {
    const rows = tinyDataset();
    const decisions = model.classifyBatch(rows.map((row) => row.text));
    const right = decisions.filter((decision, index) => decision.intent === rows[index].intent).length;
    expect(right / rows.length).toBeGreaterThanOrEqual(0.95);
    for (const text of ['Wo ist mein Paket?', 'zcela neznámá věta', 'qqq zzz']) expect(model.classify(text).answer, text).toBe(false);
  });
});
