import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { readEscalationLogs } from '../../src/learning/events.js';
import { loadModel } from '../../src/runtime/model.js';
import { shardOf } from '../../src/serve/shard.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { metric, parsePrometheus, spawnServe } from './helpers.js';

const model = loadModel();
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** One request on a connection of its own, so that the primary hands each to the next worker. */
function call(url: string, method: 'GET' | 'POST', body?: unknown): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((done, fail) => {
    const outgoing = request(url, { method, agent: false, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Prometheus text
        }
        done({ status: response.statusCode ?? 0, body: parsed });
      });
    });
    outgoing.on('error', fail);
    outgoing.end(payload);
  });
}

const texts = ['Gdzie jest moja paczka? zamówienie z poniedziałku', 'kdy dorazí můj balík, objednával jsem v pondělí', 'hol van a csomagom, hétfőn rendeltem', 'where is my parcel, i ordered it on monday', 'Kedy mi príde balík, objednávala som v pondelok'];

describe('allina serve --workers 2', () => {
  it('serves from both workers, routes feedback to the worker that made the decision, sums metrics, survives a killed worker and stops on SIGTERM', async () => {
    const logDir = join(temporaryDirectory(), 'logs');
    const server = spawnServe(['--workers', '2', '--port', '0', '--log-dir', logDir], {}, (line) => line.event === 'ready' && line.workers === 2);
    const { url } = await server.ready;
    expect(texts.every((text) => model.classify(text).answer)).toBe(true);

    const decide = async (count: number) => {
      const ids: string[] = [];
      for (let index = 0; index < count; index++) {
        const answer = await call(`${url}/v1/classify`, 'POST', { text: texts[index % texts.length] });
        expect(answer.status).toBe(200);
        ids.push(answer.body.decisionId);
      }
      return ids;
    };
    const ids = await decide(20);
    // Each worker hands out only ids it owns; both answered.
    const owners = new Set(ids.map((id) => shardOf(id, 2)));
    expect(owners).toEqual(new Set([0, 1]));
    const files = () => readdirSync(logDir).map((name) => join(logDir, name));
    expect(files()).toHaveLength(2);

    // Feedback on fresh connections lands on either worker and is recorded once, by the owner.
    const [withFeedback, kept] = [ids.slice(0, 12), ids.slice(12)];
    for (const id of withFeedback) expect(await call(`${url}/v1/feedback`, 'POST', { decisionId: id, outcome: 'accepted' })).toEqual({ status: 202, body: { decisionId: id, outcome: 'accepted', recorded: true } });
    for (const id of withFeedback.slice(0, 4)) expect(await call(`${url}/v1/feedback`, 'POST', { decisionId: id, outcome: 'accepted' })).toEqual({ status: 202, body: { decisionId: id, outcome: 'accepted', recorded: false } });
    expect((await call(`${url}/v1/feedback`, 'POST', { decisionId: withFeedback[0], outcome: 'escalated' })).status).toBe(409);
    expect((await call(`${url}/v1/feedback`, 'POST', { decisionId: '00000000-0000-4000-8000-000000000000', outcome: 'accepted' })).status).toBe(404);

    // Whichever worker answers the scrape, it counts the whole service.
    for (let scrape = 0; scrape < 2; scrape++) {
      const samples = parsePrometheus((await call(`${url}/metrics`, 'GET')).body);
      const decisions = samples.filter((sample) => sample.name === 'allina_decisions_total').reduce((sum, sample) => sum + sample.value, 0);
      expect(decisions).toBe(20);
      expect(metric(samples, 'allina_feedback_total', { outcome: 'accepted', intent: 'delivery_status' }) ?? 0).toBeGreaterThan(0);
      expect(samples.filter((sample) => sample.name === 'allina_feedback_total').reduce((sum, sample) => sum + sample.value, 0)).toBe(12);
      expect(metric(samples, 'allina_model_info', { version: model.manifest.modelVersion })).toBe(1);
    }

    // A worker killed outright is replaced; the new one takes feedback for the decisions it owns.
    const victim = Number(readdirSync(logDir)[0].match(/-(\d+)\.jsonl$/)![1]);
    process.kill(victim, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    while (!server.lines.some((line) => line.event === 'worker_exited') && Date.now() < deadline) await sleep(20);
    expect(server.lines.find((line) => line.event === 'worker_exited')).toMatchObject({ signal: 'SIGKILL', restarted: true });
    let recorded = 0;
    for (const id of kept) {
      // Until the replacement listens, feedback for its decisions is a 503 (retry), never a 404.
      for (let attempt = 0; attempt < 100; attempt++) {
        const answer = await call(`${url}/v1/feedback`, 'POST', { decisionId: id, outcome: 'escalated' });
        if (answer.status === 202) {
          expect(answer.body).toEqual({ decisionId: id, outcome: 'escalated', recorded: true });
          recorded++;
          break;
        }
        expect(answer.status).toBe(503);
        await sleep(100);
      }
    }
    expect(recorded).toBe(kept.length);
    expect((await decide(4)).length).toBe(4);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // Every outcome is in the file of the worker that made the decision, and the readers join them.
    const logged = readEscalationLogs(files(), new Set(model.manifest.intents), new Set(model.manifest.languages));
    expect(logged.outcomesWithoutDecision).toBe(0);
    const outcomes = files().flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((line) => line.type === 'outcome'));
    expect(outcomes).toHaveLength(20);
    expect(server.stderr()).toBe('');
  });

  it('answers /metrics while a worker is being replaced, and a SIGTERM then stops everything (no replacement starts after it)', async () => {
    const logDir = join(temporaryDirectory(), 'logs');
    const server = spawnServe(['--workers', '2', '--port', '0', '--log-dir', logDir], {}, (line) => line.event === 'ready' && line.workers === 2);
    const { url } = await server.ready;
    const pid = (name: string) => Number(name.match(/-(\d+)\.jsonl$/)![1]);
    const victim = pid(readdirSync(logDir)[0]);
    process.kill(victim, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    while (!server.lines.some((line) => line.event === 'worker_exited') && Date.now() < deadline) await sleep(20);
    // The replacement is still starting: the scrape counts the worker that serves, at once.
    const started = Date.now();
    const scrape = await call(`${url}/metrics`, 'GET');
    expect(scrape.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await sleep(800);
    // Nothing is left listening: the restart that was due was called off.
    await expect(call(`${url}/healthz`, 'GET')).rejects.toThrow();
    expect(readdirSync(logDir).map(pid).filter((id) => id !== victim).every((id) => { try { process.kill(id, 0); return false; } catch { return true; } })).toBe(true);
  });

  it('refuses a bad worker count with exit code 2, and stops with the error when no worker can start', async () => {
    const logDir = join(temporaryDirectory(), 'logs');
    const bad = spawnServe(['--workers', '0', '--log-dir', logDir]);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain("expected 'auto' (one per core) or a whole number of worker processes from 1 to 64");
    const noModel = spawnServe(['--workers', '2', '--port', '0', '--log-dir', logDir, '--model', join(logDir, 'nothing-here')]);
    expect(await noModel.exited).toBe(1);
    // Checked once by the primary before any worker starts: one line.
    expect(noModel.stderr()).toMatch(/^allina: .*nothing-here: no such model directory\n$/);
    // A failure only a worker can meet (the port is taken) stops them all, and the primary says so.
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    try {
      const busy = spawnServe(['--workers', '2', '--port', String((taken.address() as { port: number }).port), '--log-dir', logDir]);
      expect(await busy.exited).toBe(1);
      expect(busy.stderr()).toMatch(/address already in use/);
      expect(busy.stderr()).toMatch(/allina: a worker could not start the service \(its error is above\); stopped\n$/);
    } finally {
      taken.close();
    }
  });
});
