import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import SwaggerParser from '@apidevtools/swagger-parser';
import { loadModel } from '../../src/runtime/model.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { get, logLines, metric, parsePrometheus, post, startService, type RunningService } from './helpers.js';

const model = loadModel();
const PARCEL = 'Gdzie jest moja paczka?';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Issue 12, acceptance 1: every route over real HTTP on an ephemeral port. */
describe('allina serve over HTTP', () => {
  let server: RunningService;
  beforeAll(async () => {
    server = await startService();
  });
  afterAll(async () => {
    await server.close();
  });
  const classify = (body: unknown) => post(`${server.url}/v1/classify`, body);
  const feedback = (body: unknown) => post(`${server.url}/v1/feedback`, body);

  describe('POST /v1/classify', () => {
    it('returns the runtime decision for one question, with a decisionId, and logs it as a version-2 decision line', async () => {
      const { status, body } = await classify({ text: PARCEL, sellerId: 'seller-17' });
      expect(status).toBe(200);
      const { decisionId, ...decision } = body;
      expect(decisionId).toMatch(UUID);
      expect(decision).toEqual(model.classify(PARCEL));
      expect(decision).toMatchObject({ intent: 'delivery_status', answer: true, reason: 'answerable', language: 'pl' });
      await server.service.log.flush();
      const line = logLines(server.logDir).find((entry) => entry?.id === decisionId);
      expect(line).toEqual({ v: 2, type: 'decision', id: decisionId, timestamp: expect.any(String), text: PARCEL, language: 'pl', modelVersion: model.manifest.modelVersion, sellerId: 'seller-17', decision: { intent: 'delivery_status', confidence: decision.confidence, answer: true, reason: 'answerable' } });
    });

    it('records the language the service gives instead of the one the model found', async () => {
      const { body } = await classify({ text: 'where is my parcel please', language: 'pl' });
      expect(body.language).toBe('en');
      await server.service.log.flush();
      expect(logLines(server.logDir).find((entry) => entry?.id === body.decisionId)?.language).toBe('pl');
    });

    it('applies the per-request policy: enabled, answerableIntents, threshold, margin', async () => {
      expect((await classify({ text: PARCEL, enabled: false })).body).toMatchObject({ answer: false, reason: 'disabled', intent: 'delivery_status' });
      expect((await classify({ text: PARCEL, answerableIntents: ['invoice_request'] })).body).toMatchObject({ answer: false, reason: 'unsupported_intent' });
      expect((await classify({ text: PARCEL, answerableIntents: [] })).body).toMatchObject({ answer: false, reason: 'unsupported_intent' });
      expect((await classify({ text: PARCEL, threshold: 1 })).body).toMatchObject({ answer: false, reason: 'low_confidence' });
      expect((await classify({ text: PARCEL, margin: 1 })).body).toMatchObject({ answer: false, reason: 'ambiguous' });
      const invoice = 'Prosím o zaslání faktury k objednávce';
      expect(model.classify(invoice)).toMatchObject({ intent: 'invoice_request', reason: 'unsupported_intent' });
      expect((await classify({ text: invoice, answerableIntents: ['invoice_request', 'delivery_status'] })).body).toMatchObject({ answer: true, reason: 'answerable' });
    });

    it('classifies a batch in order with one policy, in slices, beyond one slice', async () => {
      const texts = [PARCEL, 'kdy dorazí balík?', 'számlát kérek', '🙄', '   ', 'Wo ist mein Paket?'];
      const many = Array.from({ length: 150 }, (_, index) => texts[index % texts.length] + (index % 7 === 0 ? '' : ` ${index}`));
      const { status, body } = await classify({ items: many.map((text) => ({ text })), threshold: 0.5 });
      expect(status).toBe(200);
      expect(body.modelVersion).toBe(model.manifest.modelVersion);
      expect(body.decisions).toHaveLength(150);
      const expected = model.classifyBatch(many, { threshold: 0.5 });
      body.decisions.forEach(({ decisionId, ...decision }: { decisionId: string }, index: number) => {
        expect(decisionId).toMatch(UUID);
        expect(decision).toEqual(expected[index]);
      });
      expect(new Set(body.decisions.map((decision: { decisionId: string }) => decision.decisionId)).size).toBe(150);
    });

    it('does not log empty input (nothing to learn from) but still answers it', async () => {
      const { status, body } = await classify({ text: '   ' });
      expect(status).toBe(200);
      expect(body).toMatchObject({ reason: 'empty_input', answer: false, intent: null, language: null });
      await server.service.log.flush();
      expect(logLines(server.logDir).some((entry) => entry?.id === body.decisionId)).toBe(false);
    });

    it('refuses bad bodies with a 400 and a one-line reason naming the field', async () => {
      const cases: [unknown, RegExp][] = [
        [{}, /body needs exactly one of 'text' \(one question\) and 'items'/],
        [{ text: PARCEL, items: [{ text: PARCEL }] }, /exactly one of 'text'/],
        [{ text: PARCEL, treshold: 0.5 }, /^body has an unknown field 'treshold'$/],
        [{ text: 42 }, /^body\.text must be string$/],
        [{ text: null }, /^body\.text must be string$/],
        [{ text: '' }, /^body\.text must not be empty$/],
        [{ text: 'x'.repeat(1001) }, /^body\.text is longer than 1000 characters$/],
        [{ text: PARCEL, threshold: 1.5 }, /^body\.threshold must be <= 1$/],
        [{ text: PARCEL, threshold: '0.5' }, /^body\.threshold must be number$/],
        [{ text: PARCEL, enabled: 'no' }, /^body\.enabled must be boolean$/],
        [{ text: PARCEL, answerableIntents: 'delivery_status' }, /^body\.answerableIntents must be array$/],
        [{ text: PARCEL, answerableIntents: ['delivery_statuss'] }, /^answerableIntents: unknown intent 'delivery_statuss'/],
        [{ text: PARCEL, language: 'de' }, /^language 'de' is not one of the model's languages \(pl, cs, sk, hu, en, other\)$/],
        [{ items: [] }, /^body\.items must have at least 1 entry$/],
        [{ items: [{}] }, /^body\.items\[0\] is missing 'text'$/],
        [{ items: [{ text: 'a' }, { text: 'b', foo: 1 }] }, /^body\.items\[1\] has an unknown field 'foo'$/],
        [{ items: [{ text: 'a', language: 'xx' }] }, /^items\[0\]\.language 'xx' is not one of/],
        [[PARCEL], /^body must be object$/],
        ['"just a string"', /^body must be object$/],
        ['{"text": "unterminated', /^body is not valid JSON$/],
      ];
      for (const [body, message] of cases) {
        const response = await classify(body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.error).toBe('bad_request');
        expect(response.body.message).toMatch(message);
        expect(response.body.message).not.toContain('\n');
      }
    });

    it('refuses a body that is not JSON (415) or is empty (400)', async () => {
      const plain = await post(`${server.url}/v1/classify`, PARCEL, { 'content-type': 'text/plain' });
      expect(plain).toEqual({ status: 415, body: { error: 'unsupported_media_type', message: 'send JSON (Content-Type: application/json), not "text/plain"' } });
      const empty = await post(`${server.url}/v1/classify`, '', { 'content-type': 'application/json' });
      expect(empty).toEqual({ status: 400, body: { error: 'bad_request', message: 'body is empty: send a JSON object' } });
    });

    it('never fails with a 5xx whatever JSON arrives, and keeps serving', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.record({ text: fc.jsonValue(), items: fc.jsonValue(), threshold: fc.jsonValue() }, { requiredKeys: [] }), fc.record({ text: fc.string({ maxLength: 1000 }), answerableIntents: fc.array(fc.string()), margin: fc.double() }, { requiredKeys: ['text'] })), async (body) => {
          const classified = await classify(body);
          const fedBack = await feedback(body);
          expect(classified.status).toBeLessThan(500);
          expect(fedBack.status).toBeLessThan(500);
        }),
        { numRuns: 150 },
      );
      expect((await get(`${server.url}/healthz`)).status).toBe(200);
    });
  });

  describe('POST /v1/feedback', () => {
    it('answers 202 only once the outcome line is in the log file, and is idempotent by decisionId', async () => {
      const { body: decision } = await classify({ text: PARCEL });
      const first = await feedback({ decisionId: decision.decisionId, outcome: 'escalated', label: 'complaint' });
      expect(first).toEqual({ status: 202, body: { decisionId: decision.decisionId, outcome: 'escalated', label: 'complaint', recorded: true } });
      // Read straight from the file, no flush: the 202 came after the sync.
      const outcomes = () => logLines(server.logDir).filter((entry) => entry?.type === 'outcome' && entry.id === decision.decisionId);
      expect(outcomes()).toEqual([{ v: 2, type: 'outcome', id: decision.decisionId, timestamp: expect.any(String), outcome: 'escalated', label: 'complaint' }]);
      const lines = logLines(server.logDir);
      expect(lines.findIndex((entry) => entry?.id === decision.decisionId && entry.type === 'decision')).toBeLessThan(lines.findIndex((entry) => entry?.id === decision.decisionId && entry.type === 'outcome'));

      const again = await feedback({ decisionId: decision.decisionId, outcome: 'escalated', label: 'complaint' });
      expect(again).toEqual({ status: 202, body: { decisionId: decision.decisionId, outcome: 'escalated', label: 'complaint', recorded: false } });
      const without = await feedback({ decisionId: decision.decisionId, outcome: 'escalated' });
      expect(without.body.recorded).toBe(false);
      const other = await feedback({ decisionId: decision.decisionId, outcome: 'accepted' });
      expect(other.status).toBe(409);
      expect(other.body.message).toBe(`decision ${decision.decisionId} already has outcome 'escalated' with label 'complaint'; an outcome is recorded once`);
      expect(outcomes()).toHaveLength(1);
    });

    it('records one outcome when the same feedback arrives many times at once', async () => {
      const { body: decision } = await classify({ text: 'kdy dorazí balík?' });
      const answers = await Promise.all(Array.from({ length: 8 }, () => feedback({ decisionId: decision.decisionId, outcome: 'accepted' })));
      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(202));
      expect(answers.filter((answer) => answer.body.recorded)).toHaveLength(1);
      expect(logLines(server.logDir).filter((entry) => entry?.type === 'outcome' && entry.id === decision.decisionId)).toHaveLength(1);
    });

    it('404s an unknown decisionId, 409s a decision the bot did not answer, 400s a bad body', async () => {
      expect(await feedback({ decisionId: 'no-such-decision', outcome: 'accepted' })).toEqual({ status: 404, body: { error: 'not_found', message: "unknown decisionId 'no-such-decision' (not among the last 1000000 decisions this service made or read at start)" } });
      const { body: abstained } = await classify({ text: PARCEL, enabled: false });
      const refused = await feedback({ decisionId: abstained.decisionId, outcome: 'escalated' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/was not answered by the bot/);
      const { body: answered } = await classify({ text: PARCEL });
      const cases: [unknown, RegExp][] = [
        [{ decisionId: answered.decisionId, outcome: 'maybe' }, /^body\.outcome must be one of "accepted", "escalated"$/],
        [{ decisionId: answered.decisionId }, /^body is missing 'outcome'$/],
        [{ outcome: 'accepted' }, /^body is missing 'decisionId'$/],
        [{ decisionId: answered.decisionId, outcome: 'accepted', label: 'delivery_statuss' }, /^label 'delivery_statuss' is not one of the model's intents/],
        [{ decisionId: answered.decisionId, outcome: 'accepted', extra: true }, /^body has an unknown field 'extra'$/],
      ];
      for (const [body, message] of cases) {
        const response = await feedback(body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(response.body.message).toMatch(message);
      }
      // None of those recorded anything: the decision still takes its feedback.
      expect((await feedback({ decisionId: answered.decisionId, outcome: 'accepted' })).body.recorded).toBe(true);
    });
  });

  describe('GET routes', () => {
    it('GET /v1/model describes the serving model', async () => {
      const { status, body } = await get(`${server.url}/v1/model`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        modelVersion: model.manifest.modelVersion,
        intents: model.manifest.intents,
        answerableIntents: ['delivery_status', 'delivery_options', 'payment_retry'],
        languages: model.manifest.languages,
        decision: { threshold: model.manifest.decision.threshold, margin: 0.1 },
        metrics: { macroF1: expect.any(Number), answeredPrecision: expect.any(Number), coverage: expect.any(Number) },
        lastRefusedReload: null,
      });
    });

    it('GET /healthz and /readyz', async () => {
      expect(await get(`${server.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await get(`${server.url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready', modelVersion: model.manifest.modelVersion } });
    });

    it('an unknown route is a JSON 404', async () => {
      expect(await get(`${server.url}/v2/classify`)).toMatchObject({ status: 404, body: { error: 'not_found', message: 'no route GET /v2/classify' } });
    });

    it('GET /metrics is Prometheus text with requests, latency, decisions, feedback, model version, log errors and reloads', async () => {
      const { body: decision } = await classify({ text: 'hol van a csomagom?' });
      await feedback({ decisionId: decision.decisionId, outcome: 'escalated' });
      const { status, body, contentType } = await get(`${server.url}/metrics`);
      expect(status).toBe(200);
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      const samples = parsePrometheus(body);
      expect(metric(samples, 'allina_http_requests_total', { route: '/v1/classify', method: 'POST', status_code: '200' })).toBeGreaterThan(5);
      expect(metric(samples, 'allina_http_requests_total', { route: '/v1/classify', method: 'POST', status_code: '400' })).toBeGreaterThan(5);
      expect(metric(samples, 'allina_http_request_duration_seconds_count', { route: '/v1/feedback', method: 'POST' })).toBeGreaterThan(0);
      expect(metric(samples, 'allina_http_request_duration_seconds_bucket', { route: '/v1/classify', method: 'POST', le: '+Inf' })).toBeGreaterThan(5);
      expect(metric(samples, 'allina_decisions_total', { reason: 'answerable', intent: 'delivery_status', language: 'hu' })).toBeGreaterThanOrEqual(1);
      expect(metric(samples, 'allina_decisions_total', { reason: 'empty_input', intent: 'none', language: 'none' })).toBeGreaterThanOrEqual(1);
      expect(metric(samples, 'allina_feedback_total', { outcome: 'escalated', intent: 'delivery_status' })).toBeGreaterThanOrEqual(2);
      expect(metric(samples, 'allina_model_info', { version: model.manifest.modelVersion })).toBe(1);
      expect(metric(samples, 'allina_log_write_errors_total')).toBe(0);
      expect(metric(samples, 'allina_model_reloads_total', { result: 'success' })).toBe(0);
      expect(metric(samples, 'allina_model_reloads_total', { result: 'refused' })).toBe(0);
      expect(metric(samples, 'allina_log_lines_written_total', { type: 'outcome' })).toBeGreaterThanOrEqual(3);
      expect(metric(samples, 'allina_decision_index_size')).toBeGreaterThan(150);
      expect(metric(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    });

    it('GET /openapi.json is a valid OpenAPI 3.1 document with every route, generated from the route schemas', async () => {
      const { status, body } = await get(`${server.url}/openapi.json`);
      expect(status).toBe(200);
      expect(body.openapi).toBe('3.1.0');
      await expect(SwaggerParser.validate(structuredClone(body))).resolves.toBeTruthy();
      expect(Object.fromEntries(Object.entries(body.paths).map(([path, methods]) => [path, Object.keys(methods as object)]))).toEqual({
        '/v1/classify': ['post'],
        '/v1/feedback': ['post'],
        '/v1/model': ['get'],
        '/healthz': ['get'],
        '/readyz': ['get'],
        '/metrics': ['get'],
        '/openapi.json': ['get'],
      });
      const classifyBody = body.paths['/v1/classify'].post.requestBody.content['application/json'].schema;
      expect(classifyBody.properties.items.maxItems).toBe(1000);
      expect(classifyBody.properties.text.maxLength).toBe(1000);
      expect(body.components.schemas.Decision.properties.decisionId.type).toBe('string');
      expect(Object.keys(body.paths['/v1/feedback'].post.responses).sort()).toEqual(['202', '400', '404', '409', '503']);
    });
  });
});

describe('allina serve limits and failures', () => {
  it('enforces the batch limit and the body limit it was given', async () => {
    const server = await startService({ maxBatch: 5, bodyLimit: 4096 });
    try {
      const items = (count: number) => Array.from({ length: count }, () => ({ text: PARCEL }));
      expect((await post(`${server.url}/v1/classify`, { items: items(5) })).status).toBe(200);
      expect(await post(`${server.url}/v1/classify`, { items: items(6) })).toEqual({ status: 400, body: { error: 'bad_request', message: 'body.items has more than 5 entries (the batch limit: send several requests)' } });
      expect(await post(`${server.url}/v1/classify`, { items: Array.from({ length: 5 }, () => ({ text: 'ž'.repeat(1000) })) })).toEqual({ status: 413, body: { error: 'payload_too_large', message: 'body is larger than the limit of 4096 bytes' } });
      expect((await get(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('takes feedback for decisions an earlier run logged, and knows the outcomes it already recorded', async () => {
    const logDir = join(temporaryDirectory(), 'logs');
    mkdirSync(logDir, { recursive: true });
    const decision = (id: string, answer: boolean) => JSON.stringify({ v: 2, type: 'decision', id, timestamp: '2026-12-01T10:00:00.000Z', text: PARCEL, language: 'pl', modelVersion: 'earlier', decision: { intent: 'delivery_status', confidence: 0.99, answer, reason: answer ? 'answerable' : 'disabled' } });
    writeFileSync(join(logDir, 'serve-earlier.jsonl'), [decision('old-1', true), decision('old-2', true), decision('old-3', false), JSON.stringify({ v: 2, type: 'outcome', id: 'old-2', timestamp: '2026-12-01T10:01:00.000Z', outcome: 'accepted' }), '{"v":2,"type":"deci'].join('\n'));
    const server = await startService({ logDir });
    try {
      expect((await post(`${server.url}/v1/feedback`, { decisionId: 'old-1', outcome: 'escalated' })).body).toEqual({ decisionId: 'old-1', outcome: 'escalated', recorded: true });
      expect((await post(`${server.url}/v1/feedback`, { decisionId: 'old-2', outcome: 'accepted' })).body.recorded).toBe(false);
      expect((await post(`${server.url}/v1/feedback`, { decisionId: 'old-2', outcome: 'escalated' })).status).toBe(409);
      expect((await post(`${server.url}/v1/feedback`, { decisionId: 'old-3', outcome: 'escalated' })).status).toBe(409);
      // The outcome for old-1 went into this run's file; the earlier file is never written to.
      const written = logLines(logDir).filter((entry) => entry?.type === 'outcome' && entry.id === 'old-1');
      expect(written).toHaveLength(1);
      expect(readFileSync(join(logDir, 'serve-earlier.jsonl'), 'utf8')).not.toContain('"escalated"');
    } finally {
      await server.close();
    }
  });

  it('forgets the oldest decisions beyond the feedback window', async () => {
    const server = await startService({ feedbackWindow: 3 });
    try {
      const ids: string[] = [];
      for (let index = 0; index < 4; index++) ids.push((await post(`${server.url}/v1/classify`, { text: PARCEL })).body.decisionId);
      expect((await post(`${server.url}/v1/feedback`, { decisionId: ids[0], outcome: 'accepted' })).status).toBe(404);
      expect((await post(`${server.url}/v1/feedback`, { decisionId: ids[1], outcome: 'accepted' })).status).toBe(202);
    } finally {
      await server.close();
    }
  });

  it('counts a failed log write, still answers classify, and answers feedback 503 (not 202) when the outcome could not be stored', async () => {
    const server = await startService();
    try {
      const { body: decision } = await post(`${server.url}/v1/classify`, { text: PARCEL });
      await server.service.log.flush();
      // The log file stops taking writes (as on a failing disk): its descriptor is swapped for a read-only one.
      const log = server.service.log as unknown as { descriptor: number };
      closeSync(log.descriptor);
      log.descriptor = openSync(log.file, 'r');
      expect((await post(`${server.url}/v1/classify`, { text: 'kdy dorazí balík?' })).status).toBe(200);
      const failed = await post(`${server.url}/v1/feedback`, { decisionId: decision.decisionId, outcome: 'accepted' });
      expect(failed.status).toBe(503);
      expect(failed.body.message).toMatch(/^the outcome could not be written to the log \(.*EBADF.*\); retry$/);
      const samples = parsePrometheus((await get(`${server.url}/metrics`)).body);
      expect(metric(samples, 'allina_log_write_errors_total')).toBeGreaterThanOrEqual(1);
      expect((await get(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('writes one structured (pino) log line per request, with the caller’s X-Request-Id', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const server = await startService({ logger: { level: 'info', stream } });
    try {
      await fetch(`${server.url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'trace-123' }, body: JSON.stringify({ text: PARCEL }) });
      await post(`${server.url}/v1/classify`, { text: 1 });
      const requests = lines.filter((line) => line.msg === 'request');
      expect(requests).toEqual([
        expect.objectContaining({ level: 30, reqId: 'trace-123', method: 'POST', url: '/v1/classify', route: '/v1/classify', statusCode: 200, ms: expect.any(Number) }),
        expect.objectContaining({ level: 30, method: 'POST', route: '/v1/classify', statusCode: 400 }),
      ]);
    } finally {
      await server.close();
    }
  });
});
