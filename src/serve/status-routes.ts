import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from './context.js';
import { healthRouteSchema, metricsRouteSchema, modelRouteSchema, openapiRouteSchema, readyRouteSchema } from './schemas.js';

/** GET /v1/model, /healthz, /readyz, /metrics and /openapi.json. */
export function registerStatusRoutes(app: FastifyInstance, context: ServiceContext): void {
  app.get('/v1/model', { schema: modelRouteSchema }, async () => {
    const { holder } = context;
    const manifest = holder.model.manifest;
    return {
      modelVersion: manifest.modelVersion,
      createdAt: manifest.createdAt,
      loadedAt: holder.loadedAt.toISOString(),
      path: holder.path,
      directory: holder.directory,
      intents: manifest.intents,
      answerableIntents: manifest.answerableIntents,
      languages: manifest.languages,
      decision: manifest.decision,
      metrics: (manifest.metrics as { test?: unknown } | undefined)?.test ?? null,
      lastRefusedReload: holder.lastRefusal ? { ...holder.lastRefusal, at: holder.lastRefusal.at.toISOString() } : null,
    };
  });

  app.get('/healthz', { schema: healthRouteSchema }, async () => ({ status: 'ok', modelVersion: context.holder.model.manifest.modelVersion }));

  app.get('/readyz', { schema: readyRouteSchema }, async (_request, reply) => {
    if (context.state.closing) return reply.code(503).send({ status: 'closing' });
    if (!context.state.indexLoaded) return reply.code(503).send({ status: 'loading' });
    return { status: 'ready', modelVersion: context.holder.model.manifest.modelVersion };
  });

  app.get('/metrics', { schema: metricsRouteSchema }, async (_request, reply) => {
    // With several workers every scrape sees the whole service, whichever worker answers it.
    const text = context.shard ? await context.shard.clusterMetrics() : await context.metrics.registry.metrics();
    return reply.type(context.metrics.registry.contentType).send(text);
  });

  app.get('/openapi.json', { schema: openapiRouteSchema }, async () => app.swagger());
}
