import { describe, expect, it, beforeAll } from 'vitest';
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { writeHandMadeModel } from '../helpers/hand-made-model.js';
import { loadArtifact, readManifest } from '../../src/artifact/load.js';
import { saveArtifact } from '../../src/artifact/save.js';
import { ArtifactError } from '../../src/util/errors.js';
import { packageRoot } from '../../src/util/package-root.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

describe('model artifact', () => {
  let directory: string;
  beforeAll(() => {
    directory = writeHandMadeModel().directory;
  });

  function copy(): string {
    const target = join(temporaryDirectory(), 'model');
    cpSync(directory, target, { recursive: true });
    return target;
  }

  it('round-trips: saving what was loaded gives identical files', () => {
    const { manifest, weights, knownFeatures } = loadArtifact(directory);
    const again = join(temporaryDirectory(), 'again');
    saveArtifact(again, manifest, weights, knownFeatures ?? undefined);
    for (const file of ['allina.json', 'model.json', 'weights.bin', 'known-features.bin']) {
      expect(readFileSync(join(again, file)).equals(readFileSync(join(directory, file)))).toBe(true);
    }
  });

  // What training records (data hash, tfjs version, calibration) is checked on a trained model in test/train/.
  it('records format, featurizer, familiarity, decision rules and versions', () => {
    const manifest = readManifest(directory);
    expect(manifest).toMatchObject({ format: 'allina-intent-model', formatVersion: 2, otherIntent: 'other', unsupportedLanguage: 'other' });
    expect(manifest.languages).toEqual(['pl', 'cs', 'sk', 'hu', 'en', 'other']);
    expect(manifest.familiarity).toMatchObject({ file: 'known-features.bin', minimumCount: 1 });
    expect(manifest.familiarity!.features).toBe(readFileSync(join(directory, 'known-features.bin')).length / 8);
    expect(manifest.decision).toMatchObject({ minimumLetters: 3 });
    expect(manifest.decision.minimumFamiliarity).toBeGreaterThanOrEqual(0);
    expect(manifest.featurizer.hash).toBe('fnv1a32');
    expect(manifest.training.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.versions).toMatchObject({ allina: JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version, node: process.version });
    expect(manifest.answerableIntents).toEqual(['delivery_status', 'delivery_options', 'payment_retry']);
  });

  it.each([
    ['a missing directory', (dir: string) => rmSync(dir, { recursive: true }), /no such model directory/],
    ['a missing manifest', (dir: string) => rmSync(join(dir, 'allina.json')), /allina\.json is missing/],
    ['a truncated manifest', (dir: string) => writeFileSync(join(dir, 'allina.json'), readFileSync(join(dir, 'allina.json'), 'utf8').slice(0, 100)), /allina\.json is corrupt/],
    ['truncated weights', (dir: string) => truncateSync(join(dir, 'weights.bin'), 1000), /weights\.bin is 1000 bytes, expected/],
    ['missing weights', (dir: string) => rmSync(join(dir, 'weights.bin')), /weights\.bin is missing/],
    ['a truncated known-feature set', (dir: string) => truncateSync(join(dir, 'known-features.bin'), 10), /known-features\.bin is 10 bytes, expected/],
    ['a missing known-feature set', (dir: string) => rmSync(join(dir, 'known-features.bin')), /known-features\.bin is missing/],
    ['a known-feature set out of order', (dir: string) => {
      const bytes = readFileSync(join(dir, 'known-features.bin'));
      bytes.copy(bytes, 0, 8, 16); // entry 0 becomes a copy of entry 1
      writeFileSync(join(dir, 'known-features.bin'), bytes);
    }, /known-features\.bin is not sorted at entry 1 \(corrupt\)/],
    ['a newer format version', (dir: string) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'allina.json'), 'utf8'));
      writeFileSync(join(dir, 'allina.json'), JSON.stringify({ ...manifest, formatVersion: 99 }));
    }, /format version 99 is newer/],
    ['weights of another shape', (dir: string) => {
      const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      model.weightsManifest[0].weights[0].shape = [7, 7];
      writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
    }, /do not match the network/],
  ])('fails with one clear line on %s', (_, damage, message) => {
    const target = copy();
    damage(target);
    expect(() => loadArtifact(target)).toThrow(ArtifactError);
    expect(() => loadArtifact(target)).toThrow(message);
    try {
      loadArtifact(target);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).toContain(target);
    }
  });

  it('replaces an existing artifact atomically and leaves no temporary files', () => {
    const target = copy();
    const { manifest, weights } = loadArtifact(directory);
    saveArtifact(target, { ...manifest, modelVersion: 'replacement' }, weights);
    expect(readManifest(target).modelVersion).toBe('replacement');
    expect(readdirSync(dirname(target)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('keeps the previous artifact when writing the new one fails', () => {
    const target = copy();
    const { manifest, weights } = loadArtifact(directory);
    const broken = { ...weights, intentBias: undefined as unknown as Float32Array };
    expect(() => saveArtifact(target, { ...manifest, modelVersion: 'broken' }, broken)).toThrow();
    expect(readManifest(target).modelVersion).toBe(manifest.modelVersion);
    expect(existsSync(join(target, 'weights.bin'))).toBe(true);
    expect(readdirSync(dirname(target)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('refuses to save non-finite weights (the loader trusts checksummed weights to be finite)', () => {
    const target = copy();
    const { manifest, weights } = loadArtifact(directory);
    const diverged = { ...weights, intentBias: Float32Array.from(weights.intentBias, (value, index) => (index === 2 ? Number.NaN : value)) };
    expect(() => saveArtifact(target, { ...manifest, modelVersion: 'diverged' }, diverged)).toThrow('the intentBias weights hold a non-finite number at value 2 (training diverged); nothing was written');
    expect(readManifest(target).modelVersion).toBe(manifest.modelVersion);
  });
});
