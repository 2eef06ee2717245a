import { describe, expect, it } from 'vitest';
import { cpSync, openSync, readSync, renameSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promoteModel } from '../../src/learning/registry.js';
import { SHIPPED_MODEL_PATH, loadModel } from '../../src/runtime/model.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { get, metric, modelCopy, parsePrometheus, post, startService, type RunningService } from './helpers.js';

const SHIPPED_VERSION = loadModel().manifest.modelVersion;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(20);
  }
}

/** Classifies in `workers` parallel loops until stopped; every response's status and model version, per worker in order. */
function requestLoop(server: RunningService, workers = 3) {
  let running = true;
  const seen: { status: number; version: string | undefined }[][] = Array.from({ length: workers }, () => []);
  const loops = seen.map(async (responses, worker) => {
    let count = 0;
    while (running) {
      try {
        const { status, body } = await post(`${server.url}/v1/classify`, { text: `Gdzie jest moja paczka? ${worker}-${count++}` });
        responses.push({ status, version: body?.modelVersion });
      } catch {
        responses.push({ status: 0, version: undefined });
      }
    }
  });
  return {
    seen,
    all: () => seen.flat(),
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function metrics(server: RunningService) {
  return parsePrometheus((await get(`${server.url}/metrics`)).body);
}

/** A copy of the shipped model whose weights were overwritten in place: same size, wrong bytes. */
function corruptedCopy(version: string): string {
  const directory = modelCopy(version);
  const file = join(directory, 'weights.bin');
  const descriptor = openSync(file, 'r+');
  const bytes = Buffer.alloc(64);
  const middle = Math.floor(statSync(file).size / 2);
  readSync(descriptor, bytes, 0, 64, middle);
  for (let index = 0; index < bytes.length; index++) bytes[index] ^= 0x5a;
  writeSync(descriptor, bytes, 0, 64, middle);
  closeSync(descriptor);
  return directory;
}

/** Issue 12, acceptance 1: hot reload and a broken model refused. */
describe('hot reload', () => {
  it('serves a promoted model from the next requests on, with no failed request while requests keep coming', async () => {
    const current = join(temporaryDirectory(), 'live', 'current');
    promoteModel(SHIPPED_MODEL_PATH, current);
    const server = await startService({ model: current, reloadIntervalMs: 25 });
    const loop = requestLoop(server);
    try {
      await until(() => loop.all().length >= 30);
      const candidateVersion = '20990101-000000-promoted';
      promoteModel(modelCopy(candidateVersion), current);
      await until(() => loop.all().some((response) => response.version === candidateVersion));
      const switchedAt = loop.all().length;
      await until(() => loop.all().length >= switchedAt + 30);
      await loop.stop();

      const all = loop.all();
      expect(all.filter((response) => response.status !== 200)).toEqual([]);
      expect(new Set(all.map((response) => response.version))).toEqual(new Set([SHIPPED_VERSION, candidateVersion]));
      // Each client sees the old version, then the new one, never the old one again.
      for (const responses of loop.seen) {
        const firstNew = responses.findIndex((response) => response.version === candidateVersion);
        expect(firstNew).toBeGreaterThan(0);
        expect(responses.slice(firstNew).every((response) => response.version === candidateVersion)).toBe(true);
      }
      const model = (await get(`${server.url}/v1/model`)).body;
      expect(model).toMatchObject({ modelVersion: candidateVersion, path: current, directory: expect.stringContaining(join('versions', candidateVersion)) });
      const samples = await metrics(server);
      expect(metric(samples, 'allina_model_reloads_total', { result: 'success' })).toBe(1);
      expect(metric(samples, 'allina_model_info', { version: candidateVersion })).toBe(1);
      expect(metric(samples, 'allina_model_info', { version: SHIPPED_VERSION })).toBeUndefined();
      console.log(`hot reload: ${all.length} requests, ${switchedAt} before the first answer from the new model, 0 failed`);
    } finally {
      await loop.stop();
      await server.close();
    }
  });

  it('refuses a broken model: logged, counted, and the old model keeps serving until a good one comes', async () => {
    const current = join(temporaryDirectory(), 'live', 'current');
    promoteModel(SHIPPED_MODEL_PATH, current);
    const logged: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) logged.push(JSON.parse(line));
        done();
      },
    });
    const server = await startService({ model: current, reloadIntervalMs: 25, logger: { level: 'info', stream } });
    const loop = requestLoop(server, 2);
    try {
      await until(() => loop.all().length >= 10);
      promoteModel(corruptedCopy('20990101-000000-broken'), current);
      await until(async () => metric(await metrics(server), 'allina_model_reloads_total', { result: 'refused' }) === 1);
      const afterRefusal = loop.all().length;
      await until(() => loop.all().length >= afterRefusal + 20);
      const model = (await get(`${server.url}/v1/model`)).body;
      expect(model.modelVersion).toBe(SHIPPED_VERSION);
      expect(model.lastRefusedReload).toEqual({ at: expect.any(String), directory: expect.stringContaining('20990101-000000-broken'), error: expect.stringMatching(/weights\.bin does not match the checksum in allina\.json/) });
      expect(logged.filter((line) => line.event === 'model_refused')).toEqual([expect.objectContaining({ level: 50, directory: expect.stringContaining('20990101-000000-broken'), error: expect.stringMatching(/checksum/) })]);
      // The same broken files are not retried every poll.
      await sleep(150);
      expect(metric(await metrics(server), 'allina_model_reloads_total', { result: 'refused' })).toBe(1);

      const fixedVersion = '20990101-000000-fixed';
      promoteModel(modelCopy(fixedVersion), current);
      await until(() => loop.all().some((response) => response.version === fixedVersion));
      await loop.stop();
      const all = loop.all();
      expect(all.filter((response) => response.status !== 200)).toEqual([]);
      expect(new Set(all.map((response) => response.version))).toEqual(new Set([SHIPPED_VERSION, fixedVersion]));
      const samples = await metrics(server);
      expect(metric(samples, 'allina_model_reloads_total', { result: 'refused' })).toBe(1);
      expect(metric(samples, 'allina_model_reloads_total', { result: 'success' })).toBe(1);
    } finally {
      await loop.stop();
      await server.close();
    }
  });

  it('reloads a plain model directory replaced in place, on check() (the CLI calls it on SIGHUP)', async () => {
    const directory = join(temporaryDirectory(), 'model');
    cpSync(SHIPPED_MODEL_PATH, directory, { recursive: true });
    const server = await startService({ model: directory, reloadIntervalMs: 0 });
    try {
      expect(server.service.holder.check()).toBe(false);
      const replacement = modelCopy('20990101-000000-replaced');
      renameSync(directory, `${directory}.old`);
      renameSync(replacement, directory);
      expect(server.service.holder.check()).toBe(true);
      expect((await post(`${server.url}/v1/classify`, { text: 'kdy dorazí balík?' })).body.modelVersion).toBe('20990101-000000-replaced');
    } finally {
      await server.close();
    }
  });
});
