/**
 * The baseline `npm run bench:serve` compares the service with: a bare Fastify route that
 * returns the same decision for the same body, with no schema, no decisionId, no outcome log,
 * no metrics and no request log. Started as its own process by the benchmark:
 *
 *   node dist/scripts/bench/serve-bare.js PORT [MODEL_DIR] [--empty]
 *
 * With --empty the route does not classify at all and returns a constant: the ceiling of Fastify
 * and the HTTP stack on this machine, measured in the same run.
 */
import Fastify from 'fastify';
import { loadModel } from '../../src/runtime/model.js';

const port = Number(process.argv[2]);
const model = loadModel(process.argv[3]);
const empty = process.argv.includes('--empty');
const app = Fastify({ logger: false });
app.post('/v1/classify', async (request) => (empty ? { ok: true } : model.classify((request.body as { text: string }).text)));
app.get('/readyz', async () => ({ status: 'ready' }));
await app.listen({ port, host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close());
