import { describe, expect, it, beforeAll } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHandMadeModel } from '../helpers/hand-made-model.js';
import { loadArtifact } from '../../src/artifact/load.js';
import { promoteModel } from '../../src/learning/registry.js';
import { ArtifactError } from '../../src/util/errors.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

/** Issue "Nothing lost, nothing answered by accident", items 2 and 4: damaged or hostile artifacts are refused. */
describe('a damaged artifact is refused, never half-loaded', () => {
  let directory: string;
  beforeAll(() => {
    directory = writeHandMadeModel().directory;
  });

  function damaged(change: (dir: string) => void): string {
    const target = join(temporaryDirectory(), 'model');
    cpSync(directory, target, { recursive: true });
    change(target);
    return target;
  }
  const editManifest = (edit: (manifest: Record<string, any>) => void) => (dir: string) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'allina.json'), 'utf8'));
    edit(manifest);
    writeFileSync(join(dir, 'allina.json'), JSON.stringify(manifest));
  };
  const editWeights = (edit: (bytes: Buffer) => void) => (dir: string) => {
    const bytes = readFileSync(join(dir, 'weights.bin'));
    edit(bytes);
    writeFileSync(join(dir, 'weights.bin'), bytes);
  };

  it.each([
    ['NaN weights of the right size', editWeights((bytes) => bytes.writeFloatLE(Number.NaN, 400)), /does not match the checksum/],
    ['64 KB overwritten with other bytes', editWeights((bytes) => bytes.fill(7, 1024, 1024 + 65536)), /does not match the checksum/],
    ['NaN weights without a checksum', (dir: string) => {
      editManifest((manifest) => delete manifest.weightsSha256)(dir);
      editWeights((bytes) => bytes.writeFloatLE(Number.NaN, 400))(dir);
    }, /non-finite number at value 100/],
    ['a threshold of "abc"', editManifest((manifest) => (manifest.decision.threshold = 'abc')), /decision\.threshold must be a number/],
    ['a temperature of 0', editManifest((manifest) => (manifest.calibration.temperature = 0)), /calibration\.temperature must be a positive number/],
    ['a truncated intents list', editManifest((manifest) => manifest.intents.pop()), /'intents' lists 10 intents but the network has 11/],
    ['an unknown normaliser version', editManifest((manifest) => (manifest.normalizerVersion = 9)), /unsupported normalizerVersion 9/],
    ['a familiarity cut above 1', editManifest((manifest) => (manifest.decision.minimumIntentFamiliarity = 2)), /minimumIntentFamiliarity must be a number from 0 to 1/],
    ['an impossible n-gram range', editManifest((manifest) => (manifest.featurizer.charNgramMin = 0)), /charNgramMin\/charNgramMax must be whole numbers/],
    ['a version that climbs out of a store', editManifest((manifest) => (manifest.modelVersion = '../../x')), /modelVersion must be letters, digits/],
    ['no version at all', editManifest((manifest) => delete manifest.modelVersion), /modelVersion must be letters, digits/],
  ])('refuses %s with one line', (_, damage, message) => {
    const target = damaged(damage);
    expect(() => loadArtifact(target)).toThrow(ArtifactError);
    expect(() => loadArtifact(target)).toThrow(message);
  });

  it('promote refuses a candidate whose version would write outside the store', () => {
    const candidate = damaged(editManifest((manifest) => (manifest.modelVersion = '../../escaped')));
    const store = temporaryDirectory();
    expect(() => promoteModel(candidate, join(store, 'live', 'current'))).toThrow(/modelVersion must be letters, digits/);
  });
});
