import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEscalationLogs } from '../../src/learning/events.js';
import { loadModel } from '../../src/runtime/model.js';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { post, spawnServe } from './helpers.js';

const model = loadModel();
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('allina serve as a process', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, flushes the log and exits 0', async () => {
    const logDir = join(temporaryDirectory(), 'logs');
    const server = spawnServe(['--port', '0', '--log-dir', logDir]);
    const { url, logFile } = await server.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const body = JSON.stringify({ text: 'Gdzie jest moja paczka?', sellerId: 'seller-9' });
    // A request whose body arrives in two parts: it is in flight when SIGTERM comes.
    const response = new Promise<{ status: number; body: string }>((done, fail) => {
      const call = request(`${url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (answer) => {
        let text = '';
        answer.on('data', (chunk) => (text += chunk));
        answer.on('end', () => done({ status: answer.statusCode ?? 0, body: text }));
      });
      call.on('error', fail);
      call.write(body.slice(0, 12));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(async () => {
          // Stopped accepting: a new connection is refused while the old request is still open.
          await expect(fetch(`${url}/healthz`)).rejects.toThrow();
          call.end(body.slice(12));
        }, 300);
      }, 300);
    });
    const answer = await response;
    expect(answer.status).toBe(200);
    const decision = JSON.parse(answer.body);
    expect(decision).toMatchObject({ intent: 'delivery_status', answer: true });
    expect(await server.exited).toBe(0);
    const logged = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(logged).toEqual([expect.objectContaining({ v: 2, type: 'decision', id: decision.decisionId, sellerId: 'seller-9' })]);
    expect(server.lines.map((line) => line.event).filter(Boolean)).toEqual(expect.arrayContaining(['ready', 'shutdown', 'stopped']));
    expect(server.stderr()).toBe('');
  });

  it('keeps every feedback it answered 202 through a SIGKILL, and takes feedback for earlier decisions after a restart', async () => {
    const logDir = join(temporaryDirectory(), 'logs');
    const first = spawnServe(['--port', '0', '--log-dir', logDir]);
    const { url, logFile } = await first.ready;
    const answerable = ['Gdzie jest moja paczka?', 'kdy dorazí balík?', 'hol van a csomagom?', 'where is my parcel, it is late', 'Kedy mi príde balík?'].filter((text) => model.classify(text).answer);
    const acknowledged = new Map<string, string>();
    const unanswered: string[] = [];
    let failures = 0;
    let stopped = false;
    const worker = async (worker: number) => {
      for (let round = 0; !stopped; round++) {
        try {
          const asked = await post(`${url}/v1/classify`, { items: [{ text: answerable[round % answerable.length] }, { text: `${answerable[(round + 1) % answerable.length]} ${worker}` }] });
          if (asked.status !== 200) continue;
          const [withFeedback, without] = asked.body.decisions;
          unanswered.push(without.decisionId);
          const outcome = round % 3 === 0 ? 'escalated' : 'accepted';
          const sent = await post(`${url}/v1/feedback`, { decisionId: withFeedback.decisionId, outcome });
          if (sent.status === 202) acknowledged.set(withFeedback.decisionId, outcome);
        } catch {
          failures++; // the server was killed mid-request
          return;
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, index) => worker(index));
    const deadline = Date.now() + 8000;
    while (acknowledged.size < 300 && Date.now() < deadline) await sleep(10);
    first.child.kill('SIGKILL');
    await first.exited;
    stopped = true;
    await Promise.all(workers);

    const text = readFileSync(logFile, 'utf8');
    const lines = text.split('\n');
    const last = lines.pop()!; // '' when the file ends with a newline; otherwise a torn line
    const parsed = lines.map((line) => JSON.parse(line)); // every complete line parses
    const outcomes = new Map(parsed.filter((line) => line.type === 'outcome').map((line) => [line.id, line.outcome]));
    const decisions = new Set(parsed.filter((line) => line.type === 'decision').map((line) => line.id));
    const missing = [...acknowledged].filter(([id, outcome]) => outcomes.get(id) !== outcome || !decisions.has(id));
    const joined = readEscalationLogs([logFile], new Set(model.manifest.intents), new Set(model.manifest.languages));
    console.log(`SIGKILL durability: ${acknowledged.size} feedback answered 202, ${missing.length} of them missing from the log; log has ${decisions.size} decisions, ${outcomes.size} outcomes, ${last === '' ? 'no torn line' : 'a torn last line'}; readers skipped ${joined.skipped.length} line(s); ${failures} requests cut off by the kill`);
    expect(acknowledged.size).toBeGreaterThan(50);
    expect(missing).toEqual([]);
    expect(joined.skipped.every((line) => line.line === lines.length + 1 && /not valid JSON/.test(line.problem))).toBe(true);
    expect(joined.outcomesWithoutDecision).toBe(0);

    // Restarted on the same log directory: earlier decisions take feedback, and a repeat is recognised.
    const second = spawnServe(['--port', '0', '--log-dir', logDir]);
    const restarted = await second.ready;
    try {
      const [repeatId, repeatOutcome] = [...acknowledged][0];
      const repeat = await post(`${restarted.url}/v1/feedback`, { decisionId: repeatId, outcome: repeatOutcome });
      expect(repeat).toEqual({ status: 202, body: { decisionId: repeatId, outcome: repeatOutcome, recorded: false } });
      const earlier = unanswered.find((id) => decisions.has(id) && !outcomes.has(id))!;
      expect(earlier).toBeDefined();
      expect(await post(`${restarted.url}/v1/feedback`, { decisionId: earlier, outcome: 'escalated' })).toEqual({ status: 202, body: { decisionId: earlier, outcome: 'escalated', recorded: true } });
      expect(restarted.logFile).not.toBe(logFile);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
    const files = readdirSync(logDir).map((name) => join(logDir, name));
    expect(files).toHaveLength(2);
    expect(readEscalationLogs(files, new Set(model.manifest.intents), new Set(model.manifest.languages)).outcomesWithoutDecision).toBe(0);
  });

  it('takes its settings from flags or environment variables, and refuses bad ones with the documented exit codes', async () => {
    const logDir = join(temporaryDirectory(), 'logs');
    const fromEnv = spawnServe([], { ALLINA_PORT: '0', ALLINA_LOG_DIR: logDir});
    const { url, logFile } = await fromEnv.ready;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(dirname(logFile)).toBe(resolve(logDir));
    fromEnv.child.kill('SIGTERM');
    expect(await fromEnv.exited).toBe(0);

    const noLogDir = runCli(['serve']);
    expect(noLogDir).toMatchObject({ status: 2, stderr: 'allina: serve needs an outcome log directory: --log-dir DIR (or ALLINA_LOG_DIR)\n' });
    expect(runCli(['serve', '--log-dir', logDir, '--port', '70000']).status).toBe(2);
    expect(runCli(['serve', '--log-dir', logDir, '--max-batch', '0']).status).toBe(2);
    expect(runCli(['serve', '--log-dir', logDir, '--log-level', 'loud']).status).toBe(2);
    const noModel = runCli(['serve', '--log-dir', logDir, '--model', join(logDir, 'nothing-here')]);
    expect(noModel.status).toBe(1);
    expect(noModel.stderr).toMatch(/^allina: .*nothing-here: no such model directory\n$/);

    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as { port: number }).port;
    try {
      const busy = runCli(['serve', '--log-dir', logDir, '--port', String(port)]);
      expect(busy.status).toBe(1);
      expect(busy.stderr).toContain(`allina: cannot listen on 127.0.0.1:${port} (address already in use)`);
    } finally {
      taken.close();
    }

    const help = runCli(['serve', '--help']);
    expect(help.status).toBe(0);
    for (const text of ['ALLINA_MODEL', 'ALLINA_LOG_DIR', 'ALLINA_PORT', 'ALLINA_HOST', '127.0.0.1', 'SIGTERM', 'Examples:', 'curl']) expect(help.stdout).toContain(text);
  });

  it('loads no TensorFlow.js and no training code: the CLI entry and the service import only the runtime', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/src');
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      // Static imports only: `await import()` is what the other commands use to load lazily.
      for (const match of source.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'/gms)) {
        const specifier = match[1] ?? match[2];
        if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
        else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
      }
    };
    // The CLI entry imports each command's module on demand; `serve` is the one a service runs.
    visit(join(root, 'cli', 'main.js'));
    visit(join(root, 'cli', 'serve.js'));
    const local = [...seen].map((file) => file.slice(root.length + 1));
    expect(local).toEqual(expect.arrayContaining(['cli/serve.js', 'serve/app.js', 'runtime/model.js']));
    expect(local.filter((file) => /^(train|calibrate|eval|discover)\/|^learning\/(retrain|retrain-set|gate|review)\.js$|^cli\/(train|eval|learning|discover)\.js$/.test(file))).toEqual([]);
    expect([...packages].filter((name) => name.startsWith('@tensorflow'))).toEqual([]);
    expect(packages).toContain('fastify');
  });
});
