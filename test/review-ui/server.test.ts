import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadModel } from '../../src/index.js';
import { readCsvTable } from '../../src/data/csv.js';
import { ReviewSession } from '../../src/review-ui/session.js';
import { createReviewApp, startReviewServer } from '../../src/review-ui/server.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { writeReviewFixture } from './fixture.js';

const model = loadModel();
const file = join(temporaryDirectory(), 'review.csv');
writeReviewFixture(file, 3);
const app = createReviewApp(ReviewSession.open(file, model.manifest.intents, model.manifest.otherIntent));
afterAll(() => app.close());

const local = { host: '127.0.0.1:7420' };
const json = { ...local, 'content-type': 'application/json' };

describe('review server', () => {
  it('serves the page, its script and style from itself, under a strict Content-Security-Policy', async () => {
    const page = await app.inject({ url: '/', headers: local });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    expect(page.body).not.toMatch(/https?:\/\//);
    for (const asset of ['/app.js', '/app.css']) expect((await app.inject({ url: asset, headers: local })).statusCode).toBe(200);
    expect((await app.inject({ url: '/favicon.ico', headers: local })).statusCode).toBe(204);
  });

  it('labels, skips and undoes through the API, saving the label to the file', async () => {
    const state = (await app.inject({ url: '/api/state', headers: local })).json();
    expect(state).toMatchObject({ total: 3, labelled: 0, question: { row: 0 } });
    const labelled = await app.inject({ method: 'POST', url: '/api/label', headers: json, payload: { row: 0, intent: 'complaint' } });
    expect(labelled.json()).toMatchObject({ labelled: 1, question: { row: 1 }, last: { action: 'label', row: 0, intent: 'complaint' } });
    expect(readCsvTable(file, ['label']).rows[0].values.label).toBe('complaint');
    expect((await app.inject({ method: 'POST', url: '/api/skip', headers: json, payload: { row: 1 } })).json()).toMatchObject({ skipped: 1, question: { row: 2 } });
    expect((await app.inject({ method: 'POST', url: '/api/undo', headers: json, payload: {} })).json()).toMatchObject({ skipped: 0, question: { row: 1 } });
  });

  it('answers 409 with the current state for a question no longer current, 400 for a malformed body', async () => {
    const stale = await app.inject({ method: 'POST', url: '/api/label', headers: json, payload: { row: 0, intent: 'other' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: expect.stringMatching(/no longer the current one/), state: { question: { row: 1 } } });
    expect((await app.inject({ method: 'POST', url: '/api/label', headers: json, payload: { row: -1, intent: 'other' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/label', headers: json, payload: { row: 1 } })).statusCode).toBe(400);
    expect(readCsvTable(file, ['label']).rows.map((row) => row.values.label)).toEqual(['complaint', '', '']);
  });

  it('refuses other host names (DNS rebinding), other origins and non-JSON posts (cross-site forms)', async () => {
    expect((await app.inject({ url: '/api/state', headers: { host: 'attacker.example:7420' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/undo', headers: { ...json, origin: 'http://attacker.example' }, payload: {} })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/undo', headers: { ...local, 'content-type': 'text/plain' }, payload: 'x' })).statusCode).toBe(415);
    expect((await app.inject({ method: 'POST', url: '/api/undo', headers: { ...json, origin: 'http://127.0.0.1:7420' }, payload: {} })).statusCode).toBe(200);
  });

  it('listens on 127.0.0.1 only and says so when the port is taken', async () => {
    const session = ReviewSession.open(file, model.manifest.intents, model.manifest.otherIntent);
    const server = await startReviewServer(session, 0);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const port = Number(new URL(server.url).port);
      const response = await fetch(`${server.url}api/state`);
      expect((await response.json()).total).toBe(3);
      await expect(startReviewServer(session, port)).rejects.toThrow(`127.0.0.1:${port} is already in use`);
    } finally {
      await server.close();
    }
  });
});
