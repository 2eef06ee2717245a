/**
 * Allina's public API.
 *
 * Services import the runtime (no TensorFlow.js is loaded by it):
 *
 * @example
 * import { loadModel, EscalationLogger } from 'allina';
 * const model = loadModel('models/default');
 * const decision = model.classify('Gdzie jest moja paczka?');
 * // → { intent: 'delivery_status', confidence: 0.97, language: 'pl', answer: true, reason: 'answerable', ... }
 *
 * Training, evaluation and the feedback loop are exported for tools and tests; they load
 * TensorFlow.js on first use.
 */
export { loadModel, AllinaModel, SHIPPED_MODEL_PATH, type Decision } from './runtime/model.js';
export { DECISION_REASONS, type DecisionOptions, type DecisionReason, type DecisionPolicy } from './runtime/decision.js';
export { EscalationLogger, LogEventError } from './learning/logger.js';
export type { EscalationEvent } from './learning/events.js';
export type { ArtifactManifest } from './artifact/manifest.js';
export { AllinaError, ArtifactError, DataError, PolicyError, UsageError } from './util/errors.js';
