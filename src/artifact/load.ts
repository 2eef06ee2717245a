import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { NORMALIZER_VERSION } from '../text/normalize.js';
import { join } from 'node:path';
import { ArtifactError } from '../util/errors.js';
import { KnownFeatureSet } from '../runtime/familiarity.js';
import { weightSpecs, type NetworkWeights } from '../runtime/weights.js';
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
  const problem = manifestProblem(manifest as ArtifactManifest);
  if (problem) throw new ArtifactError(directory, `${MANIFEST_FILE}: ${problem}`);
  return manifest as ArtifactManifest;
}

/** A version string that is safe as a directory name in a model store. */
const SAFE_VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const isFraction = (value: unknown): boolean => typeof value === 'number' && value >= 0 && value <= 1;
const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * What is wrong with a manifest's values, or null. A decision setting that is not a valid value
 * would make the model answer by accident (a threshold of "abc" or a temperature of 0), so every
 * field the runtime reads is checked here.
 */
function manifestProblem(manifest: ArtifactManifest): string | null {
  const { intents, languages, network, featurizer, calibration, decision } = manifest;
  if (typeof manifest.modelVersion !== 'string' || !SAFE_VERSION.test(manifest.modelVersion) || manifest.modelVersion.includes('..')) {
    return `modelVersion must be letters, digits, '.', '_' or '-' (got ${JSON.stringify(manifest.modelVersion)})`;
  }
  if (!Array.isArray(intents) || intents.length < 2 || !intents.every((intent) => typeof intent === 'string')) return "'intents' must be a list of intent names";
  if (!Array.isArray(languages) || languages.length < 1 || !languages.every((language) => typeof language === 'string')) return "'languages' must be a list of language names";
  if (network.intents !== intents.length) return `'intents' lists ${intents.length} intents but the network has ${network.intents}`;
  if (network.languages !== languages.length) return `'languages' lists ${languages.length} languages but the network has ${network.languages}`;
  for (const field of ['buckets', 'dimension', 'hidden'] as const) if (!isCount(network[field])) return `network.${field} must be a whole number ≥ 0`;
  if (featurizer.buckets !== network.buckets) return 'featurizer.buckets differs from network.buckets';
  if (featurizer.hash !== 'fnv1a32') return `unsupported feature hash ${JSON.stringify(featurizer.hash)}`;
  const { charNgramMin, charNgramMax } = featurizer;
  if (!(isCount(charNgramMin) && isCount(charNgramMax) && charNgramMin >= 1 && charNgramMin <= charNgramMax && charNgramMax <= 10)) return 'featurizer.charNgramMin/charNgramMax must be whole numbers with 1 ≤ min ≤ max ≤ 10';
  if (typeof featurizer.wordBigrams !== 'boolean' || typeof featurizer.unfoldedWords !== 'boolean') return 'featurizer.wordBigrams and featurizer.unfoldedWords must be true or false';
  if (manifest.normalizerVersion !== NORMALIZER_VERSION) return `unsupported normalizerVersion ${JSON.stringify(manifest.normalizerVersion)} (this Allina has ${NORMALIZER_VERSION})`;
  if (!intents.includes(manifest.otherIntent)) return `otherIntent ${JSON.stringify(manifest.otherIntent)} is not one of the intents`;
  if (!Array.isArray(manifest.answerableIntents) || !manifest.answerableIntents.every((intent) => intents.includes(intent))) return "'answerableIntents' must be intents of the model";
  if (manifest.unsupportedLanguage !== undefined && !languages.includes(manifest.unsupportedLanguage)) return `unsupportedLanguage ${JSON.stringify(manifest.unsupportedLanguage)} is not one of the languages`;
  if (!(typeof calibration.temperature === 'number' && calibration.temperature > 0 && Number.isFinite(calibration.temperature))) return `calibration.temperature must be a positive number (got ${JSON.stringify(calibration.temperature)})`;
  // 1.01 is how training says "never answer" when no threshold reached the target.
  if (!(typeof decision.threshold === 'number' && decision.threshold >= 0 && decision.threshold <= 1.01)) return `decision.threshold must be a number from 0 to 1.01 (got ${JSON.stringify(decision.threshold)})`;
  if (!isFraction(decision.margin)) return `decision.margin must be a number from 0 to 1 (got ${JSON.stringify(decision.margin)})`;
  for (const field of ['minimumFamiliarity', 'minimumIntentFamiliarity', 'minimumWordFamiliarity'] as const) {
    if (decision[field] !== undefined && !isFraction(decision[field])) return `decision.${field} must be a number from 0 to 1`;
  }
  for (const field of ['minimumLetters', 'minimumWords'] as const) {
    if (decision[field] !== undefined && !isCount(decision[field])) return `decision.${field} must be a whole number ≥ 0`;
  }
  if (manifest.familiarity && !isCount(manifest.familiarity.features)) return 'familiarity.features must be a whole number ≥ 0';
  if (manifest.weightsSha256 !== undefined && !/^[0-9a-f]{64}$/.test(manifest.weightsSha256)) return 'weightsSha256 must be 64 hex digits';
  return null;
}

/**
 * Loads and checks an artifact: manifest, tfjs model.json and weights.bin. Fails with one line
 * naming the directory and the problem on a missing, truncated or incompatible artifact.
 */
export function loadArtifact(directory: string): { manifest: ArtifactManifest; weights: NetworkWeights; knownFeatures: KnownFeatureSet | null } {
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
  const all = littleEndianFloats(bytes);
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
  // The checksum catches bytes overwritten in place (same size, different numbers). Saving
  // refuses non-finite weights, so weights that match it need no scan for NaN; an artifact
  // without a checksum gets the scan.
  if (manifest.weightsSha256) {
    if (createHash('sha256').update(bytes).digest('hex') !== manifest.weightsSha256) {
      throw new ArtifactError(directory, `${WEIGHTS_FILE} does not match the checksum in ${MANIFEST_FILE} (corrupt or from another model)`);
    }
  } else {
    const nonFinite = firstNonFinite(all);
    if (nonFinite >= 0) throw new ArtifactError(directory, `${WEIGHTS_FILE} holds a non-finite number at value ${nonFinite} (corrupt)`);
  }
  return { manifest, weights, knownFeatures: manifest.familiarity ? readKnownFeatures(directory, manifest.familiarity.features) : null };
}

/**
 * Index of the first NaN or infinity, or -1. `value * 0` is 0 for every finite value and NaN
 * otherwise, so one running sum tells whether a block needs a closer look.
 */
function firstNonFinite(values: Float32Array): number {
  const block = 4096;
  for (let start = 0; start < values.length; start += block) {
    const end = Math.min(values.length, start + block);
    let sum = 0;
    for (let index = start; index < end; index++) sum += values[index] * 0;
    if (sum !== 0) {
      for (let index = start; index < end; index++) if (!Number.isFinite(values[index])) return index;
    }
  }
  return -1;
}

/** The file's bytes as little-endian float32 values, without a copy where the platform allows it. */
function littleEndianFloats(bytes: Buffer): Float32Array {
  if (endianness() === 'LE' && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const values = new Float32Array(bytes.length / 4);
  for (let index = 0; index < values.length; index++) values[index] = bytes.readFloatLE(index * 4);
  return values;
}

function readKnownFeatures(directory: string, expected: number): KnownFeatureSet {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(directory, KNOWN_FEATURES_FILE));
  } catch {
    throw new ArtifactError(directory, `not a model: ${KNOWN_FEATURES_FILE} is missing`);
  }
  if (bytes.length !== expected * 8) throw new ArtifactError(directory, `${KNOWN_FEATURES_FILE} is ${bytes.length} bytes, expected ${expected * 8} (truncated or from another model)`);
  // The runtime's lookup relies on the order training writes; anything else is a damaged file.
  // Building the lookup table checks it in the same pass.
  try {
    return new KnownFeatureSet({ pairs: littleEndianWords(bytes) });
  } catch (error) {
    if (error instanceof RangeError) throw new ArtifactError(directory, `${KNOWN_FEATURES_FILE} ${error.message} (corrupt)`);
    throw error;
  }
}

/** The file's bytes as little-endian uint32 words, without a copy where the platform allows it. */
function littleEndianWords(bytes: Buffer): Uint32Array {
  if (endianness() === 'LE' && bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const words = new Uint32Array(bytes.length / 4);
  for (let index = 0; index < words.length; index++) words[index] = bytes.readUInt32LE(index * 4);
  return words;
}
