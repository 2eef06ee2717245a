import Fastify, { type FastifyInstance } from 'fastify';
import { AllinaError } from '../util/errors.js';
import { PAGE_CSS, PAGE_HTML, PAGE_SCRIPT } from './page.js';
import type { ReviewSession } from './session.js';

/** The only address the review page is served on: labels and buyer text stay on this machine. */
export const REVIEW_HOST = '127.0.0.1';

// Nothing but this server's own files, and no framing by another page.
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The labelling page and its JSON API over one {@link ReviewSession}, as a Fastify instance
 * (not yet listening): GET / (the page), GET /api/state, POST /api/label { row, intent },
 * POST /api/skip { row }, POST /api/undo, POST /api/revisit. Requests whose Host is not this
 * machine's loopback name are refused, so another web site cannot reach the API through DNS
 * rebinding.
 *
 * @example
 * const app = createReviewApp(ReviewSession.open('review.csv', intents, 'other'));
 * await app.listen({ host: REVIEW_HOST, port: 0 });
 */
export function createReviewApp(session: ReviewSession): FastifyInstance {
  const app = Fastify({ logger: false });

  app.addHook('onRequest', async (request, reply) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (host !== REVIEW_HOST && host !== 'localhost') return reply.code(403).send({ error: `host '${host}' refused: the review page is served on ${REVIEW_HOST} only` });
    // Cross-site requests: a form or a simple fetch from another page cannot send JSON without a
    // preflight, which this server never answers; an Origin from elsewhere is refused outright.
    if (request.method === 'POST') {
      const origin = request.headers.origin;
      if (origin && !/^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?$/.test(origin)) return reply.code(403).send({ error: `origin '${origin}' refused` });
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return reply.code(415).send({ error: 'send JSON (content-type: application/json)' });
    }
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY).header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
  });

  app.setErrorHandler((error: unknown, _request, reply) => {
    // A stale question, a file changed by another program, a failed save: the page shows why and the current state.
    if (error instanceof AllinaError) return reply.code(409).send({ error: error.message, state: session.state() });
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status < 500) return reply.code(status).send({ error: (error as Error).message });
    return reply.code(500).send({ error: `unexpected error: ${(error as Error).message}` });
  });

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE_HTML));
  app.get('/app.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(PAGE_SCRIPT));
  app.get('/app.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(PAGE_CSS));
  // Browsers ask for it unprompted; there is none, and a 404 would read as an error in the console.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  app.get('/api/state', async () => session.state());

  const rowBody = { type: 'object', required: ['row'], additionalProperties: false, properties: { row: { type: 'integer', minimum: 0 } } } as const;
  app.post<{ Body: { row: number; intent: string } }>('/api/label', {
    schema: { body: { type: 'object', required: ['row', 'intent'], additionalProperties: false, properties: { row: { type: 'integer', minimum: 0 }, intent: { type: 'string', minLength: 1 } } } },
  }, async (request) => session.label(request.body.row, request.body.intent));
  app.post<{ Body: { row: number } }>('/api/skip', { schema: { body: rowBody } }, async (request) => session.skip(request.body.row));
  app.post('/api/undo', async () => session.undo());
  app.post('/api/revisit', async () => session.revisitSkipped());
  return app;
}

/** How long requests in flight may take once the review server is asked to close. */
const CLOSE_GRACE_MS = 1000;

/** A running review server. */
export interface ReviewServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the labelling page on 127.0.0.1 (`port` 0 = any free port). Fails with a one-line
 * error when the port is taken.
 *
 * @example
 * const server = await startReviewServer(session, 7420);
 * console.log(`label at ${server.url}`);
 * await server.close();
 */
export async function startReviewServer(session: ReviewSession, port: number): Promise<ReviewServer> {
  const app = createReviewApp(session);
  try {
    await app.listen({ host: REVIEW_HOST, port });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new AllinaError(`${REVIEW_HOST}:${port} is already in use (another allina review --ui?); pick another port with --port`);
    throw new AllinaError(`cannot listen on ${REVIEW_HOST}:${port} (${code ?? (error as Error).message})`);
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const close = async (): Promise<void> => {
    // A browser opens connections ahead of need; one that never sent a request is not idle to
    // Node and would hold the close until its headers timeout (a minute). Requests in flight
    // get a second to finish.
    const timer = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
    timer.unref();
    try {
      await app.close();
    } finally {
      clearTimeout(timer);
    }
  };
  return { url: `http://${REVIEW_HOST}:${boundPort}/`, close };
}
