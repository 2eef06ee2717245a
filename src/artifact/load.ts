import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArtifactError } from '../util/errors.js';
import type { KnownFeatures } from '../runtime/familiarity.js';
import { weightSpecs, type NetworkWeights } from '../model/network.js';
import { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, KNOWN_FEATURES_FILE, MANIFEST_FILE, MODEL_FILE, WEIGHTS_FILE, type ArtifactManifest } from './manifest.js';

function readJson(directory: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(join(directory, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      let isDirectory = false;
      try {
        isDirectory = statSync(directory).isDirectory();
      } catch {
        throw new ArtifactError(directory, 'no such model directory');
      }
      throw new ArtifactError(directory, isDirectory ? `not a model: ${file} is missing` : 'not a directory');
    }
    throw new ArtifactError(directory, `cannot read ${file} (${code ?? 'error'})`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ArtifactError(directory, `${file} is corrupt (not valid JSON; truncated?)`);
  }
}

/** Reads only the manifest, e.g. to check a model's metrics or data hash without its weights. */
export function readManifest(directory: string): ArtifactManifest {
  const manifest = readJson(directory, MANIFEST_FILE) as Partial<ArtifactManifest>;
  if (manifest.format !== ARTIFACT_FORMAT) throw new ArtifactError(directory, `${MANIFEST_FILE} is not an Allina model manifest`);
  if (typeof manifest.formatVersion !== 'number' || manifest.formatVersion > ARTIFACT_FORMAT_VERSION) {
    throw new ArtifactError(directory, `model format version ${manifest.formatVersion} is newer than this Allina supports (${ARTIFACT_FORMAT_VERSION}); upgrade allina`);
  }
  for (const field of ['intents', 'languages', 'featurizer', 'network', 'calibration', 'decision'] as const) {
    if (!manifest[field]) throw new ArtifactError(directory, `${MANIFEST_FILE} has no '${field}'`);
  }
  return manifest as ArtifactManifest;
}

/**
 * Loads and checks an artifact: manifest, tfjs model.json and weights.bin. Fails with one line
 * naming the directory and the problem on a missing, truncated or incompatible artifact.
 */
export function loadArtifact(directory: string): { manifest: ArtifactManifest; weights: NetworkWeights; knownFeatures: KnownFeatures | null } {
  const manifest = readManifest(directory);
  const model = readJson(directory, MODEL_FILE) as { weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[] };
  const expected = weightSpecs(manifest.network);
  const stored = model.weightsManifest?.[0]?.weights ?? [];
  const matches = stored.length === expected.length && expected.every((spec, index) => stored[index].name === spec.name && stored[index].dtype === 'float32' && stored[index].shape.join() === spec.shape.join());
  if (!matches) throw new ArtifactError(directory, `${MODEL_FILE} weights do not match the network in ${MANIFEST_FILE}`);

  let bytes: Buffer;
  try {
    bytes = readFileSync(join(directory, WEIGHTS_FILE));
  } catch {
    throw new ArtifactError(directory, `not a model: ${WEIGHTS_FILE} is missing`);
  }
  const sizes = expected.map((spec) => spec.shape.reduce((a, b) => a * b, 1));
  const expectedBytes = sizes.reduce((a, b) => a + b, 0) * 4;
  if (bytes.length !== expectedBytes) {
    throw new ArtifactError(directory, `${WEIGHTS_FILE} is ${bytes.length} bytes, expected ${expectedBytes} (truncated or from another model)`);
  }
  // Copy into an aligned buffer: a Buffer's offset in its pool need not be a multiple of 4.
  const all = new Float32Array(bytes.length / 4);
  new Uint8Array(all.buffer).set(bytes);
  const tensors: Record<string, Float32Array> = {};
  let offset = 0;
  expected.forEach((spec, index) => {
    tensors[spec.name] = all.subarray(offset, offset + sizes[index]);
    offset += sizes[index];
  });
  const weights: NetworkWeights = {
    shape: manifest.network,
    embedding: tensors.embedding,
    hiddenKernel: tensors.hiddenKernel ?? new Float32Array(0),
    hiddenBias: tensors.hiddenBias ?? new Float32Array(0),
    intentKernel: tensors.intentKernel,
    intentBias: tensors.intentBias,
    languageKernel: tensors.languageKernel,
    languageBias: tensors.languageBias,
  };
  for (const value of [weights.intentBias, weights.languageBias]) {
    if (value.some((number) => !Number.isFinite(number))) throw new ArtifactError(directory, `${WEIGHTS_FILE} holds non-finite numbers (corrupt)`);
  }
  return { manifest, weights, knownFeatures: manifest.familiarity ? readKnownFeatures(directory, manifest.familiarity.features) : null };
}

function readKnownFeatures(directory: string, expected: number): KnownFeatures {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(directory, KNOWN_FEATURES_FILE));
  } catch {
    throw new ArtifactError(directory, `not a model: ${KNOWN_FEATURES_FILE} is missing`);
  }
  if (bytes.length !== expected * 8) throw new ArtifactError(directory, `${KNOWN_FEATURES_FILE} is ${bytes.length} bytes, expected ${expected * 8} (truncated or from another model)`);
  const hashes = new Uint32Array(expected);
  const intentMasks = new Uint32Array(expected);
  for (let index = 0; index < expected; index++) {
    hashes[index] = bytes.readUInt32LE(index * 8);
    intentMasks[index] = bytes.readUInt32LE(index * 8 + 4);
  }
  return { hashes, intentMasks };
}
