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
  const aggregator = new AggregatorRegistry();
  const workers: (Worker | undefined)[] = new Array(count);
  const listening = new Set<number>();
  /** Feedback passed to a worker and not answered yet, by that worker: answered 503 if it dies. */
  const forwarded = new Map<number, Map<string, { from: number; id: number }>>(Array.from({ length: count }, (_, index) => [index, new Map()]));
  const unavailable = (reason: string) => ({ statusCode: 503, payload: { error: 'unavailable', message: `the worker that made this decision ${reason}; retry` } });
  let up = false;
  let stopping = false;

  return new Promise<number>((resolve) => {
    let exitCode = 0;
    const send = (index: number, message: ShardMessage): boolean => {
      const worker = workers[index];
      if (!worker || !worker.isConnected()) return false;
      worker.send(message);
      return true;
    };

    const fork = (index: number): void => {
      const worker = cluster.fork({ [SHARD_ENV.index]: String(index), [SHARD_ENV.count]: String(count) });
      workers[index] = worker;
      worker.on('message', (message: unknown) => relay(index, message));
      worker.on('exit', (code, signal) => {
        if (workers[index] === worker) workers[index] = undefined;
        listening.delete(index);
        for (const { from, id } of forwarded.get(index)!.values()) send(from, { allina: 'feedback-reply', id, reply: unavailable('stopped before answering') });
        forwarded.get(index)!.clear();
        const restart = up && !stopping;
        if (!up && !stopping) {
          // Failed before the service was up: the others are stopped and the failure reported.
          exitCode = code || 1;
          stop();
        } else if (!stopping) {
          events.workerExited(index, code, signal, restart);
        }
        // A short pause keeps a worker that dies at once from being restarted in a tight loop.
        if (restart) setTimeout(() => fork(index), 500);
        if (!restart && workers.every((entry) => entry === undefined)) resolve(exitCode);
      });
    };

    const relay = (from: number, message: unknown): void => {
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
        if (owner !== undefined && listening.has(owner) && send(owner, { allina: 'feedback', id: message.id, body: message.body, from })) {
          forwarded.get(owner)!.set(`${from}:${message.id}`, { from, id: message.id });
        } else {
          send(from, { allina: 'feedback-reply', id: message.id, reply: unavailable('is restarting') });
        }
      } else if (message.allina === 'feedback-reply' && message.to !== undefined) {
        forwarded.get(from)!.delete(`${message.to}:${message.id}`);
        send(message.to, { allina: 'feedback-reply', id: message.id, reply: message.reply });
      } else if (message.allina === 'metrics') {
        aggregator.clusterMetrics().then(
          (text) => send(from, { allina: 'metrics-reply', id: message.id, text }),
          (error: Error) => send(from, { allina: 'metrics-reply', id: message.id, error: error.message }),
        );
      }
    };

    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      for (const worker of workers) if (worker && !worker.isDead()) worker.process.kill('SIGTERM');
    };
    const onSignal = (): void => {
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      stop();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    // SIGHUP (look for a new model now) goes to every worker.
    process.on('SIGHUP', () => {
      for (const worker of workers) if (worker && !worker.isDead()) worker.process.kill('SIGHUP');
    });

    for (let index = 0; index < count; index++) fork(index);
  });
}

function ownerOf(body: unknown, count: number): number | undefined {
  const decisionId = (body as { decisionId?: unknown } | null)?.decisionId;
  if (typeof decisionId !== 'string') return undefined;
  return shardOf(decisionId, count);
}
