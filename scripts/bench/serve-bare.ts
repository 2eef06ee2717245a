/**
 * The baseline `npm run bench:serve` compares the service with: a bare Fastify route that
 * returns the same decision for the same body, with no schema, no decisionId, no outcome log,
 * no metrics and no request log. Started as its own process by the benchmark:
 *
 *   node dist/scripts/bench/serve-bare.js PORT [MODEL_DIR]
 */
import Fastify from 'fastify';
import { loadModel } from '../../src/runtime/model.js';

const port = Number(process.argv[2]);
const model = loadModel(process.argv[3]);
const app = Fastify({ logger: false });
app.post('/v1/classify', async (request) => model.classify((request.body as { text: string }).text));
app.get('/readyz', async () => ({ status: 'ready' }));
await app.listen({ port, host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close());
