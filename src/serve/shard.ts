import { fnv1a32 } from '../features/hash.js';
import { newDecisionId } from './decision-index.js';

/**
 * One worker's part of a service that runs as several processes (`allina serve --workers N`).
 *
 * Every decisionId belongs to one worker: the one `shardOf` names, computed from the id alone.
 * A worker only hands out ids that are its own (a random UUID is drawn again until it is), so
 * the worker that made a decision is the one that remembers it, logs its outcome in its own
 * file and tells a repeated feedback from a new one. Feedback that reaches another worker (any
 * connection may land on any worker) is passed to the owner through the primary process, and
 * after a restart each worker reads back only the decisions it owns.
 */
export interface Shard {
  /** This worker's number, 0 … count − 1. */
  index: number;
  count: number;
  /** Sends a feedback body to the worker that owns its decisionId; resolves with that worker's answer. */
  forwardFeedback(body: unknown): Promise<ForwardedReply>;
  /** Every worker's metrics, summed (Prometheus text format). */
  clusterMetrics(): Promise<string>;
  /** Set by the service: answers feedback that another worker passed on. */
  onFeedback?: (body: unknown) => Promise<ForwardedReply>;
  /** Set by the service: this worker's metrics, as prom-client's `getMetricsAsJSON` gives them, for the primary to sum. */
  ownMetrics?: () => Promise<unknown>;
}

/** An HTTP answer computed in one worker and sent from another. */
export interface ForwardedReply {
  statusCode: number;
  payload: unknown;
}

/**
 * The worker that owns a decisionId.
 *
 * @example
 * shardOf('5b1f0c1e-6a53-4c43-9a0f-3c1d2b4e5f60', 2) // → 0 or 1, the same every time
 */
export function shardOf(decisionId: string, count: number): number {
  return fnv1a32(decisionId) % count;
}

/** Whether `shard` owns a decisionId (every id is its own when there is no shard: one process). */
export function owns(shard: Pick<Shard, 'index' | 'count'> | undefined, decisionId: string): boolean {
  return !shard || shardOf(decisionId, shard.count) === shard.index;
}

/** A new decisionId that `shard` owns (any new id without one). */
export function newOwnedDecisionId(shard?: Pick<Shard, 'index' | 'count'>): string {
  for (;;) {
    const id = newDecisionId();
    if (owns(shard, id)) return id;
  }
}

/** The messages worker and primary exchange; `allina` tells them from other IPC traffic. */
export type ShardMessage =
  | { allina: 'listening'; index: number; url: string }
  | { allina: 'feedback'; id: number; body: unknown; from?: number }
  | { allina: 'feedback-reply'; id: number; reply: ForwardedReply; to?: number }
  | { allina: 'metrics'; id: number }
  | { allina: 'metrics-reply'; id: number; text?: string; error?: string }
  | { allina: 'metrics-collect'; id: number }
  | { allina: 'metrics-collected'; id: number; metrics: unknown };

export function isShardMessage(message: unknown): message is ShardMessage {
  return typeof message === 'object' && message !== null && typeof (message as { allina?: unknown }).allina === 'string';
}

/**
 * The worker side of the link to the primary process (over the IPC channel `cluster.fork`
 * opens). Requests wait at most `timeoutMs` for an answer.
 */
export function workerShard(index: number, count: number, send: (message: ShardMessage) => void, timeoutMs = 10_000): Shard & { receive(message: ShardMessage): void } {
  let next = 0;
  const pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  function request<T>(message: (id: number) => ShardMessage): Promise<T> {
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`no answer from the primary process within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (value: never) => void, reject, timer });
      send(message(id));
    });
  }
  function settle(id: number, outcome: { value?: unknown; error?: Error }): void {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    clearTimeout(waiting.timer);
    if (outcome.error) waiting.reject(outcome.error);
    else waiting.resolve(outcome.value as never);
  }
  const shard: Shard & { receive(message: ShardMessage): void } = {
    index,
    count,
    forwardFeedback: (body) => request<ForwardedReply>((id) => ({ allina: 'feedback', id, body })),
    clusterMetrics: () => request<string>((id) => ({ allina: 'metrics', id })),
    receive(message) {
      if (message.allina === 'feedback-reply') settle(message.id, { value: message.reply });
      else if (message.allina === 'metrics-reply') settle(message.id, message.error !== undefined ? { error: new Error(message.error) } : { value: message.text });
      else if (message.allina === 'metrics-collect') {
        const own = shard.ownMetrics ? shard.ownMetrics() : Promise.resolve([]);
        void own.then(
          (metrics) => send({ allina: 'metrics-collected', id: message.id, metrics }),
          () => send({ allina: 'metrics-collected', id: message.id, metrics: [] }),
        );
      } else if (message.allina === 'feedback' && message.from !== undefined) {
        const from = message.from;
        const answer = shard.onFeedback ? shard.onFeedback(message.body) : Promise.resolve({ statusCode: 503, payload: { error: 'unavailable', message: 'this worker is not ready for feedback yet; retry' } });
        void answer.then(
          (reply) => send({ allina: 'feedback-reply', id: message.id, to: from, reply }),
          (error: Error) => send({ allina: 'feedback-reply', id: message.id, to: from, reply: { statusCode: 500, payload: { error: 'internal', message: `feedback failed in worker ${index}: ${error.message}` } } }),
        );
      }
    },
  };
  return shard;
}
