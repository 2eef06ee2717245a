import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { packageVersion } from '../util/package-root.js';
import { registerClassifyRoute } from './classify-route.js';
import type { ServiceContext } from './context.js';
import { DecisionIndex, loadEarlierDecisions } from './decision-index.js';
import { formatSchemaErrors, handleError, errorBody } from './errors.js';
import { registerFeedbackRoute } from './feedback-route.js';
import { ServeMetrics } from './metrics.js';
import { ModelHolder } from './model-holder.js';
import { OutcomeLog } from './outcome-log.js';
import { decisionSchema, errorSchema } from './schemas.js';
import { registerStatusRoutes } from './status-routes.js';
import { RequestLogs } from './request-logs.js';
import { owns, type Shard } from './shard.js';

/** Settings of the service; the defaults are the CLI's (README, "The HTTP service"). */
export interface ServeOptions {
  /** A model directory, or a model store's `current` pointer (watched for new versions). */
  model: string;
  /** Where the outcome log goes (one new file per process) and where earlier decisions are read from. */
  logDir: string;
  /** Most questions in one batch request. Default 1000. */
  maxBatch?: number;
  /** Largest request body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** How many recent decisions feedback is accepted for. Default 1,000,000. */
  feedbackWindow?: number;
  /** How often the model path is checked for a new model, in ms; 0 = only on `holder.check()`. Default 2000. */
  reloadIntervalMs?: number;
  /** Fastify's logger option (pino): `false` for none, or pino options. Default: info level on standard output. */
  logger?: FastifyServerOptions['logger'];
  /** This process's part of a service run as several workers (`serve/cluster.ts`); none = the whole service. */
  shard?: Shard;
}

export const SERVE_DEFAULTS = { maxBatch: 1000, bodyLimit: 1024 * 1024, feedbackWindow: 1_000_000, reloadIntervalMs: 2000 } as const;

/** A built service: the Fastify instance plus what tests and the CLI look at. */
export interface AllinaService extends ServiceContext {
  app: FastifyInstance;
  /** Stops accepting, finishes requests in flight, flushes and closes the outcome log. */
  close(): Promise<void>;
}

function checkWhole(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) throw new RangeError(`${name} must be a whole number ≥ ${minimum}, got ${value}`);
  return value;
}

/**
 * Builds the HTTP service (not listening yet): loads the model, opens a new outcome log file in
 * `logDir`, starts reading earlier decisions from it and registers the routes. Throws an
 * ArtifactError if the model does not load.
 *
 * @example
 * const service = await createService({ model: 'models/live/current', logDir: 'logs/' });
 * await service.app.listen({ port: 8080, host: '127.0.0.1' });
 * // … on SIGTERM:
 * await service.close();
 */
export async function createService(options: ServeOptions): Promise<AllinaService> {
  const limits = {
    maxBatch: checkWhole('maxBatch', options.maxBatch ?? SERVE_DEFAULTS.maxBatch, 1),
    bodyLimit: checkWhole('bodyLimit', options.bodyLimit ?? SERVE_DEFAULTS.bodyLimit, 1024),
    feedbackWindow: checkWhole('feedbackWindow', options.feedbackWindow ?? SERVE_DEFAULTS.feedbackWindow, 1),
  };
  const reloadIntervalMs = checkWhole('reloadIntervalMs', options.reloadIntervalMs ?? SERVE_DEFAULTS.reloadIntervalMs, 0);

  const app = Fastify({
    logger: options.logger ?? { level: 'info' },
    logController: new RequestLogs(),
    bodyLimit: limits.bodyLimit,
    requestIdHeader: 'x-request-id',
    requestTimeout: 30_000,
    return503OnClosing: true,
    // Invalid settings are errors, not silently converted or dropped values.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    schemaErrorFormatter: (errors, dataVar) => formatSchemaErrors(errors as never, dataVar),
  });

  const metrics = new ServeMetrics({ decisionIndexSize: () => index.size });
  const index = new DecisionIndex(limits.feedbackWindow);
  const holder = new ModelHolder(options.model, {
    intervalMs: reloadIntervalMs,
    onReload: (event) => {
      metrics.reloads.inc({ result: event.result });
      if (event.result === 'success') {
        metrics.serving(event.version);
        app.log.info({ event: 'model_reloaded', version: event.version, previous: event.previous, directory: event.directory }, `now serving model ${event.version}`);
      } else {
        app.log.error({ event: 'model_refused', directory: event.directory, error: event.error }, `new model refused, the old one keeps serving: ${event.error}`);
      }
    },
  });
  metrics.serving(holder.model.manifest.modelVersion);
  let log: OutcomeLog;
  try {
    log = createLog();
  } catch (error) {
    holder.stop();
    throw error;
  }
  function createLog(): OutcomeLog {
    return OutcomeLog.create(options.logDir, {
    onWriteError: (error, lostLines) => {
      metrics.logWriteErrors.inc();
      app.log.error({ err: error, lostLines, file: log.file }, 'outcome log write failed');
    },
    onWritten: (decisions, outcomes) => {
      if (decisions) metrics.logLines.inc({ type: 'decision' }, decisions);
      if (outcomes) metrics.logLines.inc({ type: 'outcome' }, outcomes);
    },
    });
  }

  const state = { indexLoaded: false, closing: false };
  const shard = options.shard;
  const indexLoaded = loadEarlierDecisions(index, options.logDir, log.file, shard ? (id) => owns(shard, id) : undefined).then(
    (report) => {
      state.indexLoaded = true;
      app.log.info({ event: 'decisions_loaded', ...report }, `read ${report.decisions} earlier decisions and ${report.outcomes} outcomes from ${report.files} log files${report.unreadableLines ? ` (${report.unreadableLines} unreadable lines skipped)` : ''}`);
    },
    (error) => {
      // Feedback for earlier decisions is then a 404; the service itself works.
      state.indexLoaded = true;
      app.log.error({ err: error }, 'earlier decisions could not be read');
    },
  );

  const context: ServiceContext = { holder, log, index, metrics, indexLoaded, state, limits, ...(shard ? { shard } : {}) };

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Allina', version: packageVersion(), description: 'Buyer-question intent decisions (may the bot answer?) and buyer feedback. Every error is { error, message } with a one-line message.' },
      tags: [{ name: 'decisions' }, { name: 'model' }, { name: 'operations' }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, index) => String(json.$id ?? `def-${index}`) },
  });
  app.addSchema(decisionSchema);
  app.addSchema(errorSchema);

  // JSON only: a text/plain body is a 415, not a string that fails the schema.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error, request, reply) => handleError(error as never, request, reply, limits.bodyLimit));
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.requests.inc({ route, method: request.method, status_code: reply.statusCode });
    metrics.latency.observe({ route, method: request.method }, seconds);
    done();
  });
  app.addHook('preClose', (done) => {
    state.closing = true;
    holder.stop();
    done();
  });
  app.addHook('onClose', async () => {
    await log.close();
  });

  registerClassifyRoute(app, context);
  registerFeedbackRoute(app, context);
  registerStatusRoutes(app, context);

  return { ...context, app, close: () => app.close() };
}
