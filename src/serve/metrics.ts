import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Decision } from '../runtime/model.js';

/** Label value for a decision without an intent or language (empty input). */
const NONE = 'none';

/**
 * The service's Prometheus metrics, in a registry of their own (so several services in one
 * process, as in tests, do not share counters). Names start with `allina_`; Node's process
 * metrics (CPU, memory, event-loop lag) come with them.
 *
 * @example
 * const metrics = new ServeMetrics();
 * metrics.decided(model.classify('kdy dorazí balík?'));
 * const text = await metrics.registry.metrics(); // Prometheus text format
 */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'allina_http_requests_total', help: 'HTTP requests answered, by route, method and status code', labelNames: ['route', 'method', 'status_code'] as const, registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'allina_http_request_duration_seconds',
    help: 'Time from request received to response sent, by route and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly decisions = new Counter({ name: 'allina_decisions_total', help: 'Decisions made, by reason, intent and language ("none" for empty input)', labelNames: ['reason', 'intent', 'language'] as const, registers: [this.registry] });
  readonly feedback = new Counter({ name: 'allina_feedback_total', help: 'Buyer feedback recorded, by outcome and the intent that was answered (escalation rate = escalated / all)', labelNames: ['outcome', 'intent'] as const, registers: [this.registry] });
  readonly modelInfo = new Gauge({ name: 'allina_model_info', help: 'The model serving now: 1 for its version', labelNames: ['version'] as const, registers: [this.registry], aggregator: 'max' });
  readonly reloads = new Counter({ name: 'allina_model_reloads_total', help: 'Model reloads: result "success" (now serving) or "refused" (broken; the old model keeps serving)', labelNames: ['result'] as const, registers: [this.registry] });
  readonly logWriteErrors = new Counter({ name: 'allina_log_write_errors_total', help: 'Failed writes to the outcome log (each failed write of a batch of lines counts once)', registers: [this.registry] });
  readonly logLines = new Counter({ name: 'allina_log_lines_written_total', help: 'Lines written to the outcome log, by type (decision, outcome)', labelNames: ['type'] as const, registers: [this.registry] });

  constructor(options: { decisionIndexSize?: () => number } = {}) {
    collectDefaultMetrics({ register: this.registry });
    const size = options.decisionIndexSize;
    if (size) {
      new Gauge({ name: 'allina_decision_index_size', help: 'Recent decisions the service can take feedback for', registers: [this.registry], collect() { this.set(size()); } });
    }
    for (const result of ['success', 'refused']) this.reloads.inc({ result }, 0);
    this.logWriteErrors.inc(0);
  }

  /** Counts one decision. */
  decided(decision: Decision): void {
    this.decisions.inc({ reason: decision.reason, intent: decision.intent ?? NONE, language: decision.language ?? NONE });
  }

  /** Marks `version` as the model serving now. */
  serving(version: string): void {
    this.modelInfo.reset();
    this.modelInfo.set({ version }, 1);
  }
}
