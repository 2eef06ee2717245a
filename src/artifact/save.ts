import { existsSync, lstatSync, writeFileSync } from 'node:fs';
import { AllinaError } from '../util/errors.js';
import { join } from 'node:path';
import { weightSpecs, type NetworkWeights } from '../runtime/weights.js';
import { assertCreatable, writeDirectoryAtomic } from '../util/atomic-write.js';
import { KNOWN_FEATURES_FILE, MANIFEST_FILE, MODEL_FILE, WEIGHTS_FILE, type ArtifactManifest } from './manifest.js';
import type { KnownFeatures } from '../runtime/familiarity.js';

/**
 * The weights in TensorFlow.js's weight format: float32 little-endian tensors back to back, in
 * the order of the manifest. `tf.io.decodeWeights` reads it; so can any language with no tfjs.
 */
export function encodeWeights(weights: NetworkWeights): { bytes: Uint8Array; manifest: { name: string; shape: number[]; dtype: 'float32' }[] } {
  const specs = weightSpecs(weights.shape);
  const total = specs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0);
  const buffer = new Float32Array(total);
  let offset = 0;
  for (const spec of specs) {
    const values = weights[spec.name] as Float32Array;
    // The loader trusts checksummed weights to be finite: a NaN is refused here, where it is made.
    const bad = values.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) throw new AllinaError(`the ${spec.name} weights hold a non-finite number at value ${bad} (training diverged); nothing was written`);
    buffer.set(values, offset);
    offset += values.length;
  }
  const bytes = new Uint8Array(buffer.buffer);
  // Float32Array uses the platform's byte order; the format is little-endian.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error('big-endian platforms are not supported for writing artifacts');
  }
  return { bytes, manifest: specs.map((spec) => ({ name: spec.name, shape: spec.shape, dtype: 'float32' as const })) };
}

/**
 * Checks, before any training starts, that `directory` may receive a new artifact: it must not
 * exist, or be an Allina model and `replace` be given. A model store's pointer (a symbolic
 * link made by `allina promote`) is never written through: that would put a model live
 * without the gate. Throws a one-line AllinaError otherwise; touches nothing.
 *
 * @example
 * assertModelDestination('models/mine', false) // throws when models/mine already exists
 */
export function assertModelDestination(directory: string, replace: boolean): void {
  assertCreatable(directory);
  let stats;
  try {
    stats = lstatSync(directory);
  } catch {
    return;
  }
  if (stats.isSymbolicLink()) throw new AllinaError(`${directory} is a model store pointer; models go live with 'allina promote', not by training into it`);
  if (!stats.isDirectory()) throw new AllinaError(`${directory} exists and is not a directory; choose another --out`);
  if (!existsSync(join(directory, MANIFEST_FILE))) throw new AllinaError(`${directory} exists and is not an Allina model; choose another --out (nothing was changed)`);
  if (!replace) throw new AllinaError(`${directory} already holds a model; add --force to replace it`);
}

/**
 * Writes an artifact directory atomically: built in a temporary sibling, then renamed over
 * `directory`, so a crash never leaves half a model where a good one was.
 */
export function saveArtifact(directory: string, manifest: ArtifactManifest, weights: NetworkWeights, knownFeatures?: KnownFeatures): void {
  const { bytes, manifest: weightsManifest } = encodeWeights(weights);
  const model = {
    format: 'allina-embedding-bag',
    generatedBy: `allina ${manifest.versions.allina}`,
    convertedBy: null,
    modelTopology: { ...manifest.network, intents: manifest.intents, languages: manifest.languages },
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weightsManifest }],
  };
  writeDirectoryAtomic(directory, (temporary) => {
    writeFileSync(join(temporary, WEIGHTS_FILE), bytes);
    writeFileSync(join(temporary, MODEL_FILE), `${JSON.stringify(model, null, 2)}\n`);
    if (knownFeatures) writeFileSync(join(temporary, KNOWN_FEATURES_FILE), encodeKnownFeatures(knownFeatures));
    // The manifest goes last: a directory with an allina.json has everything else too.
    writeFileSync(join(temporary, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  });
}

/**
 * The known features as stored: for each, its hash then its intent mask, both uint32
 * little-endian, sorted by hash (which training's columns and a loaded artifact's pairs already are).
 */
export function encodeKnownFeatures(known: KnownFeatures): Uint8Array {
  const pairs = 'pairs' in known ? known.pairs : interleave(known.hashes, known.intentMasks);
  const bytes = new Uint8Array(pairs.length * 4);
  const view = new DataView(bytes.buffer);
  pairs.forEach((word, index) => view.setUint32(index * 4, word, true));
  return bytes;
}

function interleave(hashes: Uint32Array, intentMasks: Uint32Array): Uint32Array {
  const pairs = new Uint32Array(hashes.length * 2);
  hashes.forEach((hash, index) => {
    pairs[index * 2] = hash;
    pairs[index * 2 + 1] = intentMasks[index];
  });
  return pairs;
}
