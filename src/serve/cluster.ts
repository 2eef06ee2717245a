import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { isShardMessage, shardOf, type ShardMessage } from './shard.js';

/** What the primary process reports as it runs the workers. */
export interface ClusterEvents {
  /** Every worker listens: the service is up. */
  ready(url: string): void;
  /** A worker died while the service was running; `restarted` says whether another took its place. */
  workerExited(index: number, code: number | null, signal: string | null, restarted: boolean): void;
}

/** Environment variables that tell a forked worker which part it is. */
export const SHARD_ENV = { index: 'ALLINA_SHARD_INDEX', count: 'ALLINA_SHARD_COUNT' } as const;

/**
 * The primary process of `allina serve --workers N`: forks N workers (each runs the same
 * command and builds its own service on the shared port), relays feedback between them and
 * answers their metrics requests with every worker's metrics summed, restarts a worker that
 * dies, and on SIGTERM or SIGINT stops them all gracefully. Resolves with the exit code once
 * every worker has stopped: 0 after a signal, the first worker's exit code when one fails
 * before the service is up (a bad model or port: restarting would fail the same way).
 *
 * @example
 * // in the CLI, when cluster.isPrimary and --workers 2:
 * process.exitCode = await runCluster(2, { ready: (url) => log(url), workerExited: () => {} });
 */
export function runCluster(count: number, events: ClusterEvents): Promise<number> {
  const workers: (Worker | undefined)[] = new Array(count);
  const listening = new Set<number>();
  /**
   * Feedback passed to a worker and not answered yet, by that worker: answered 503 if it dies.
   * Each entry keeps the asking worker's process, so that a reply never reaches a replacement
   * that took its number (its request ids start again from 0).
   */
  const forwarded = new Map<number, Map<string, { origin: Worker; id: number }>>(Array.from({ length: count }, (_, index) => [index, new Map()]));
  /** Metrics collections under way: the listening workers' registries, summed when all answered. */
  const collections = new Map<number, { pending: Set<number>; metrics: unknown[]; finish: () => void }>();
  const restarts = new Set<NodeJS.Timeout>();
  const unavailable = (reason: string) => ({ statusCode: 503, payload: { error: 'unavailable', message: `the worker that made this decision ${reason}; retry` } });
  let nextCollection = 0;
  let up = false;
  let stopping = false;

  return new Promise<number>((resolve) => {
    let exitCode = 0;
    const sendTo = (worker: Worker | undefined, message: ShardMessage): boolean => {
      if (!worker || !worker.isConnected()) return false;
      worker.send(message);
      return true;
    };
    const finished = () => workers.every((entry) => entry === undefined) && restarts.size === 0;

    const fork = (index: number): void => {
      const worker = cluster.fork({ [SHARD_ENV.index]: String(index), [SHARD_ENV.count]: String(count) });
      workers[index] = worker;
      worker.on('message', (message: unknown) => relay(index, worker, message));
      worker.on('exit', (code, signal) => {
        if (workers[index] === worker) workers[index] = undefined;
        listening.delete(index);
        for (const { origin, id } of forwarded.get(index)!.values()) sendTo(origin, { allina: 'feedback-reply', id, reply: unavailable('stopped before answering') });
        forwarded.get(index)!.clear();
        for (const collection of collections.values()) if (collection.pending.delete(index) && collection.pending.size === 0) collection.finish();
        if (!up && !stopping) {
          // Failed before the service was up: the others are stopped and the failure reported.
          exitCode = code || 1;
          stop();
        } else if (stopping) {
          // A worker whose shutdown failed (its log not flushed) makes the whole stop a failure.
          if (code) exitCode = exitCode || code;
        } else {
          events.workerExited(index, code, signal, true);
          // A short pause keeps a worker that dies at once from being restarted in a tight loop.
          const timer = setTimeout(() => {
            restarts.delete(timer);
            if (!stopping) fork(index);
            else if (finished()) resolve(exitCode);
          }, 500);
          restarts.add(timer);
        }
        if (finished()) resolve(exitCode);
      });
    };

    const relay = (from: number, worker: Worker, message: unknown): void => {
      if (!isShardMessage(message)) return;
      if (message.allina === 'listening') {
        listening.add(from);
        if (!up && listening.size === count) {
          up = true;
          events.ready(message.url);
        }
      } else if (message.allina === 'feedback' && message.from === undefined) {
        // Only a worker that listens has its service (and IPC handler) in place: a message sent to
        // one still starting would be lost.
        const owner = ownerOf(message.body, count);
        if (owner !== undefined && listening.has(owner) && sendTo(workers[owner], { allina: 'feedback', id: message.id, body: message.body, from })) {
          forwarded.get(owner)!.set(`${from}:${message.id}`, { origin: worker, id: message.id });
        } else {
          sendTo(worker, { allina: 'feedback-reply', id: message.id, reply: unavailable('is restarting') });
        }
      } else if (message.allina === 'feedback-reply' && message.to !== undefined) {
        const key = `${message.to}:${message.id}`;
        const waiting = forwarded.get(from)!.get(key);
        forwarded.get(from)!.delete(key);
        if (waiting) sendTo(waiting.origin, { allina: 'feedback-reply', id: message.id, reply: message.reply });
      } else if (message.allina === 'metrics') {
        collectMetrics(worker, message.id);
      } else if (message.allina === 'metrics-collected') {
        const collection = collections.get(message.id);
        if (collection?.pending.delete(from)) {
          collection.metrics.push(message.metrics);
          if (collection.pending.size === 0) collection.finish();
        }
      }
    };

    /** Sums the registries of the workers that listen now (one starting up has none yet). */
    const collectMetrics = (origin: Worker, requestId: number): void => {
      const id = nextCollection++;
      const pending = new Set(listening);
      const metrics: unknown[] = [];
      const timer = setTimeout(() => finish(), METRICS_TIMEOUT_MS);
      const finish = (): void => {
        clearTimeout(timer);
        collections.delete(id);
        Promise.resolve(AggregatorRegistry.aggregate(metrics as Parameters<typeof AggregatorRegistry.aggregate>[0]).metrics()).then(
          (text) => sendTo(origin, { allina: 'metrics-reply', id: requestId, text }),
          (error: Error) => sendTo(origin, { allina: 'metrics-reply', id: requestId, error: error.message }),
        );
      };
      collections.set(id, { pending, metrics, finish });
      for (const index of pending) if (!sendTo(workers[index], { allina: 'metrics-collect', id })) pending.delete(index);
      if (pending.size === 0) finish();
    };

    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
      for (const worker of workers) if (worker && !worker.isDead()) worker.process.kill('SIGTERM');
      if (finished()) resolve(exitCode);
    };
    // Every later SIGTERM or SIGINT (a second Ctrl-C) is taken too: the workers are stopping already.
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    // SIGHUP (look for a new model now) goes to every worker that is serving; one still starting
    // has no handler for it yet and would die of it, and it loads the newest model anyway.
    process.on('SIGHUP', () => {
      for (const index of listening) workers[index]?.process.kill('SIGHUP');
    });

    for (let index = 0; index < count; index++) fork(index);
  });
}

/** How long a metrics scrape waits for the workers' registries before answering with those it has. */
const METRICS_TIMEOUT_MS = 2000;

function ownerOf(body: unknown, count: number): number | undefined {
  const decisionId = (body as { decisionId?: unknown } | null)?.decisionId;
  if (typeof decisionId !== 'string') return undefined;
  return shardOf(decisionId, count);
}
