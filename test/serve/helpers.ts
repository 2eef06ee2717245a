import { afterEach } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from '../helpers/cli.js';
import { createService, type AllinaService, type ServeOptions } from '../../src/serve/app.js';
import { SHIPPED_MODEL_PATH } from '../../src/runtime/model.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

/** A service listening on an ephemeral port of 127.0.0.1, as a client would reach it. */
export interface RunningService {
  service: AllinaService;
  url: string;
  logDir: string;
  close: () => Promise<void>;
}

export async function startService(options: Partial<ServeOptions> = {}): Promise<RunningService> {
  const logDir = options.logDir ?? join(temporaryDirectory('allina-serve-'), 'logs');
  const service = await createService({ model: SHIPPED_MODEL_PATH, logger: false, reloadIntervalMs: 0, ...options, logDir });
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  await service.indexLoaded;
  const address = service.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { service, url: `http://127.0.0.1:${port}`, logDir, close: () => service.close() };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Every server a test started: none may outlive its test, whatever the test's result. */
const children = new Set<ChildProcessWithoutNullStreams>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

/**
 * `allina serve` as its own process, the way it is deployed. `ready` resolves with the first
 * standard-output line that `isReady` accepts (by default the `ready` event).
 */
export function spawnServe(args: string[], env: Record<string, string> = {}, isReady: (line: Record<string, unknown>) => boolean = (line) => line.event === 'ready') {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { env: { ...process.env, ...env } }) as ChildProcessWithoutNullStreams;
  children.add(child);
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete) if (line) lines.push(JSON.parse(line));
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const ready = (async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const line = lines.find(isReady);
      if (line) return line as { url: string; logFile: string; modelVersion: string };
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start: ${stderr}`);
      await sleep(20);
    }
  })();
  // A test that expects the process to fail awaits `exited`, not `ready`.
  ready.catch(() => undefined);
  return { child, lines, exited, ready, stderr: () => stderr };
}

/** POSTs JSON (or a raw string) and returns the status and the parsed body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: returned as text
  }
  return { status: response.status, body: parsed };
}

export async function get(url: string): Promise<{ status: number; body: any; contentType: string | null }> {
  const response = await fetch(url);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, contentType: response.headers.get('content-type') };
}

/** The lines of every log file in `directory`, parsed (a torn line → null). */
export function logLines(directory: string): (Record<string, any> | null)[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n').filter((line) => line !== ''))
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        return null;
      }
    });
}

/** A copy of the shipped model whose manifest says `version` (same weights). */
export function modelCopy(version: string, parent = temporaryDirectory('allina-model-')): string {
  const directory = join(parent, version);
  cpSync(SHIPPED_MODEL_PATH, directory, { recursive: true });
  const manifestFile = join(directory, 'allina.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.modelVersion = version;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  return directory;
}

/**
 * A minimal Prometheus text-format (0.0.4) reader: every line is a HELP or TYPE comment or a
 * sample `name{label="value",…} number`; throws on anything else. Returns the samples.
 */
export function parsePrometheus(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  const types = new Map<string, string>();
  text.split('\n').forEach((line, index) => {
    if (line === '') return;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(comment[3])) throw new Error(`line ${index + 1}: unknown type ${comment[3]}`);
        types.set(comment[2], comment[3]);
      }
      return;
    }
    // Values are Go float syntax, case-insensitive: prom-client writes an empty gauge as "Nan".
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|nan|[+-]?inf)( -?\d+)?$/i.exec(line);
    if (!sample) throw new Error(`line ${index + 1} is not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    if (sample[3]) {
      const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
      let consumed = 0;
      for (const match of sample[3].matchAll(labelPattern)) {
        labels[match[1]] = match[2].replace(/\\"/g, '"').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
        consumed = match.index + match[0].length;
      }
      if (consumed !== sample[3].length) throw new Error(`line ${index + 1}: bad labels ${sample[3]}`);
    }
    const family = sample[1].replace(/_(bucket|sum|count|total|created)$/, '');
    if (!types.has(sample[1]) && !types.has(family)) throw new Error(`line ${index + 1}: sample ${sample[1]} without a TYPE line`);
    samples.push({ name: sample[1], labels, value: Number(sample[4]) });
  });
  return samples;
}

/** The value of one sample, or undefined. */
export function metric(samples: ReturnType<typeof parsePrometheus>, name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value;
}
