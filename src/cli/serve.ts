import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { pino } from 'pino';
import { createService, SERVE_DEFAULTS, type AllinaService } from '../serve/app.js';
import { runCluster, SHARD_ENV } from '../serve/cluster.js';
import { isShardMessage, workerShard, type Shard } from '../serve/shard.js';
import { loadModel } from '../runtime/model.js';
import { AllinaError } from '../util/errors.js';
import { defaultPaths, parsePositiveInteger } from './options.js';

function parsePort(value: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 = any free port)');
  return number;
}

function parseMilliseconds(value: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('expected a whole number of milliseconds ≥ 0');
  return number;
}

function parseWorkers(value: string): number {
  if (value.trim() === 'auto') return availableParallelism();
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 64) throw new InvalidArgumentError("expected 'auto' (one per core) or a whole number of worker processes from 1 to 64");
  return number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

interface ServeCommandOptions {
  model: string;
  logDir?: string;
  port: number;
  host: string;
  maxBatch: number;
  bodyLimit: number;
  feedbackWindow: number;
  reloadInterval: number;
  shutdownTimeout: number;
  logLevel: string;
  workers: number;
}

/** This process's shard when it is a worker forked by `--workers` (the primary set the variables). */
function shardFromEnvironment(): (Shard & { receive(message: unknown): void }) | undefined {
  if (!cluster.isWorker) return undefined;
  const index = Number(process.env[SHARD_ENV.index]);
  const count = Number(process.env[SHARD_ENV.count]);
  if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1 || index < 0 || index >= count) return undefined;
  const shard = workerShard(index, count, (message) => process.send?.(message));
  process.on('message', (message: unknown) => {
    if (isShardMessage(message)) shard.receive(message);
  });
  return shard;
}

/** The primary of `--workers N`: forks the workers and reports what happens to them. */
async function runPrimary(options: ServeCommandOptions): Promise<void> {
  // A model that does not load fails once, here, with its one line, not once per worker.
  loadModel(options.model);
  const log = pino({ level: options.logLevel });
  log.info({ event: 'starting', workers: options.workers }, `starting ${options.workers} worker processes`);
  const exitCode = await runCluster(options.workers, {
    ready: (url) => log.info({ event: 'ready', url, workers: options.workers, model: options.model }, `serving at ${url} with ${options.workers} worker processes`),
    workerExited: (index, code, signal, restarted) => log.error({ event: 'worker_exited', worker: index, code, signal, restarted }, `worker ${index} exited (${signal ?? `code ${code}`})${restarted ? '; starting a new one' : ''}`),
  });
  if (exitCode !== 0) throw new AllinaError('a worker could not start the service (its error is above); stopped', exitCode);
  log.info({ event: 'stopped' }, 'every worker stopped');
}

/** Serves until SIGTERM or SIGINT, then shuts down gracefully; SIGHUP looks for a new model now. */
async function serveUntilStopped(service: AllinaService, shutdownTimeoutMs: number): Promise<void> {
  const reload = () => service.holder.check();
  process.on('SIGHUP', reload);
  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      // A second signal (Ctrl-C again, or a worker's SIGTERM from the primary after the terminal's
      // SIGINT reached every process) does not cut the graceful stop short.
      if (stopping) return;
      stopping = true;
      service.app.log.info({ event: 'shutdown', signal }, `${signal}: no new connections; finishing the requests in flight`);
      // A client that never finishes its request must not keep the service from stopping.
      const timer = setTimeout(() => service.app.server.closeAllConnections(), shutdownTimeoutMs);
      timer.unref();
      service.close().then(
        () => {
          clearTimeout(timer);
          service.app.log.info({ event: 'stopped', logFile: service.log.file }, 'stopped; outcome log flushed');
          resolve();
        },
        (error) => reject(new AllinaError(`shutdown failed: ${(error as Error).message}`)),
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  process.removeListener('SIGHUP', reload);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('HTTP service: decisions (POST /v1/classify), buyer feedback (POST /v1/feedback), hot model reload, metrics')
    .addOption(new Option('--model <dir>', 'model directory or a model store pointer (e.g. models/live/current), watched for new versions').env('ALLINA_MODEL').default(defaultPaths.model, 'the shipped model'))
    .addOption(new Option('--log-dir <dir>', 'outcome log directory (required): one new file per process; earlier files are read at start for feedback').env('ALLINA_LOG_DIR'))
    .addOption(new Option('--port <n>', 'TCP port (0 = any free port, printed at start)').env('ALLINA_PORT').argParser(parsePort).default(8080))
    .addOption(new Option('--host <address>', 'address to bind; 0.0.0.0 or :: to accept connections from other machines').env('ALLINA_HOST').default('127.0.0.1'))
    .addOption(new Option('--max-batch <n>', 'most questions in one batch request').env('ALLINA_MAX_BATCH').argParser(parsePositiveInteger).default(SERVE_DEFAULTS.maxBatch))
    .addOption(new Option('--body-limit <bytes>', 'largest request body').env('ALLINA_BODY_LIMIT').argParser(parsePositiveInteger).default(SERVE_DEFAULTS.bodyLimit))
    .addOption(new Option('--feedback-window <n>', 'feedback is accepted for this many most recent decisions (~100 bytes of memory each)').env('ALLINA_FEEDBACK_WINDOW').argParser(parsePositiveInteger).default(SERVE_DEFAULTS.feedbackWindow))
    .addOption(new Option('--reload-interval <ms>', 'how often the model path is checked for a new model (0 = only on SIGHUP)').env('ALLINA_RELOAD_INTERVAL').argParser(parseMilliseconds).default(SERVE_DEFAULTS.reloadIntervalMs))
    .addOption(new Option('--shutdown-timeout <ms>', 'on SIGTERM, how long requests in flight may take before their connections are closed').env('ALLINA_SHUTDOWN_TIMEOUT').argParser(parseMilliseconds).default(10_000))
    .addOption(new Option('--workers <n>', "worker processes sharing the port: 'auto' = one per core; feedback reaches the worker that made the decision whichever gets it").env('ALLINA_WORKERS').argParser(parseWorkers).default(1))
    .addOption(new Option('--log-level <level>', 'request and event log level (pino JSON lines on standard output)').env('ALLINA_LOG_LEVEL').choices(LOG_LEVELS).default('info'))
    .addHelpText('after', `
Every flag can also be set by the environment variable shown next to it; a flag wins.
The service binds 127.0.0.1 unless told otherwise. Logs are JSON lines (pino) on standard output.
SIGTERM or SIGINT: stop accepting, finish requests in flight, flush the outcome log, exit 0.
SIGHUP: look for a new model at --model now.
--workers N runs N processes on the same port (each classifies on its own core); every
outcome log line is written by the worker that made the decision, /metrics sums all workers.

Examples:
  $ allina serve --model models/live/current --port 8080 --log-dir logs/
  $ ALLINA_LOG_DIR=/var/log/allina ALLINA_HOST=0.0.0.0 allina serve --model /srv/models/live/current
  $ curl -s localhost:8080/v1/classify -H 'content-type: application/json' -d '{"text":"Gdzie jest moja paczka?"}'

API: GET /openapi.json; README, "The HTTP service".`)
    .action(async (options: ServeCommandOptions) => {
      if (!options.logDir) throw new AllinaError('serve needs an outcome log directory: --log-dir DIR (or ALLINA_LOG_DIR)', 2);
      if (options.workers > 1 && cluster.isPrimary) return runPrimary(options);
      const shard = shardFromEnvironment();
      try {
        // Request logs are written asynchronously: lines logged while a write is under way go out
        // together in the next one, so a busy service does not pay a system call per request, and
        // an idle one still shows each line at once. Workers share standard output, so each of
        // them writes every line in a system call of its own: lines from different processes
        // never interleave mid-line. The outcome log, which must survive a crash, has its own
        // durable writer.
        const requestLog = pino.destination({ dest: 1, sync: shard !== undefined });
        const flushRequestLog = () => {
          try {
            requestLog.flushSync();
          } catch {
            // Standard output already closed (the reader went away): nothing left to write to.
          }
        };
        process.on('exit', flushRequestLog);
        let service: AllinaService;
        try {
          service = await createService({
            model: options.model,
            logDir: options.logDir,
            maxBatch: options.maxBatch,
            bodyLimit: options.bodyLimit,
            feedbackWindow: options.feedbackWindow,
            reloadIntervalMs: options.reloadInterval,
            logger: { level: options.logLevel, stream: requestLog, ...(shard ? { base: { pid: process.pid, worker: shard.index } } : {}) },
            ...(shard ? { shard } : {}),
          });
          // The primary sums every worker's registry when /metrics is asked.
          if (shard) shard.ownMetrics = () => service.metrics.registry.getMetricsAsJSON();
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code && !(error instanceof AllinaError)) throw new AllinaError(`${options.logDir}: cannot write the outcome log there (${code})`);
          throw error;
        }
        try {
          await service.app.listen({ port: options.port, host: options.host });
        } catch (error) {
          await service.close();
          const code = (error as NodeJS.ErrnoException).code;
          throw new AllinaError(`cannot listen on ${options.host}:${options.port} (${code === 'EADDRINUSE' ? 'address already in use' : code ?? (error as Error).message})`);
        }
        const address = service.app.server.address();
        const url = typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : String(address);
        if (shard) process.send?.({ allina: 'listening', index: shard.index, url });
        service.app.log.info({ event: shard ? 'worker_ready' : 'ready', url, modelVersion: service.holder.model.manifest.modelVersion, model: options.model, logFile: service.log.file }, `serving model ${service.holder.model.manifest.modelVersion} at ${url}`);
        await serveUntilStopped(service, options.shutdownTimeout);
      } finally {
        // A worker's IPC channel would keep it alive, also when its service failed to start; the
        // primary waits for it to exit. Through cluster's own disconnect the exit is an intended
        // one, which keeps this process's exit code (a plain disconnect makes it exit 0).
        if (shard && process.connected) cluster.worker?.disconnect();
      }
    });
}
