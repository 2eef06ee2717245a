import { DECISION_REASONS } from '../runtime/decision.js';
import { MAX_LOGGED_TEXT_LENGTH } from '../learning/events.js';

/**
 * JSON Schemas of the HTTP API. Fastify validates requests with them (a violation is a 400 with
 * a one-line reason, see errors.ts), serialises responses with them, and @fastify/swagger turns
 * them into GET /openapi.json. Shared shapes are registered once by `$id` and referenced, so the
 * OpenAPI document names them (components/schemas).
 */

/** Longest question accepted, in characters: the outcome log's limit too. */
/** The outcome log's limit: every question the service answers can be logged. */
export const MAX_TEXT_LENGTH = MAX_LOGGED_TEXT_LENGTH;
/** Longest sellerId, decisionId and intent name accepted. */
const MAX_ID_LENGTH = 200;

const text = { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH, description: `The buyer's question as written (1–${MAX_TEXT_LENGTH} characters).` } as const;
const language = { type: 'string', minLength: 1, maxLength: 16, description: "The question's language if your service knows it better than the model (e.g. the buyer's chosen locale): one of the model's languages (pl, cs, sk, hu, en, other). Recorded in the outcome log instead of the language the model found; the decision itself does not change." } as const;
const sellerId = { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH, description: 'Whose buyer asked; recorded in the outcome log.' } as const;

const policyProperties = {
  enabled: { type: 'boolean', description: 'false = the seller switched the bot off: classify, but never answer (reason "disabled").' },
  answerableIntents: { type: 'array', maxItems: 64, items: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH }, description: "Intents the bot may answer for this request (default: the model's answerable set). Unknown intents are a 400." },
  threshold: { type: 'number', minimum: 0, maximum: 1, description: "Minimum calibrated confidence to answer (default: the model's)." },
  margin: { type: 'number', minimum: 0, maximum: 1, description: "Minimum gap between the top two intents' confidences (default: the model's)." },
} as const;

export const decisionSchema = {
  $id: 'Decision',
  type: 'object',
  description: 'What the model made of one question and whether the bot may answer it.',
  required: ['decisionId', 'intent', 'confidence', 'language', 'languageConfidence', 'familiarity', 'intentFamiliarity', 'wordFamiliarity', 'answer', 'reason', 'alternatives', 'modelVersion'],
  properties: {
    decisionId: { type: 'string', description: 'Send it back with POST /v1/feedback when the buyer reacts to the answer.' },
    intent: { type: ['string', 'null'], description: 'Most likely intent; null only for empty input.' },
    confidence: { type: 'number', description: 'Calibrated probability of intent (0 for empty input).' },
    language: { type: ['string', 'null'], description: 'pl, cs, sk, hu, en, or "other" (a language the bot does not answer in); null for empty input.' },
    languageConfidence: { type: 'number' },
    familiarity: { type: 'number', description: "Share of the question's features seen in training, 0–1." },
    intentFamiliarity: { type: 'number', description: 'Share of them seen in training questions of intent, 0–1.' },
    wordFamiliarity: { type: 'number', description: 'Mean over its words of how much of each was seen in training questions of intent, 0–1.' },
    answer: { type: 'boolean', description: 'true = the bot may answer now; false = route the question to the seller.' },
    reason: { type: 'string', enum: [...DECISION_REASONS], description: 'Why the bot may or may not answer (README: the decision reasons).' },
    alternatives: { type: 'array', items: { type: 'object', required: ['intent', 'confidence'], properties: { intent: { type: 'string' }, confidence: { type: 'number' } } }, description: 'The top three intents.' },
    modelVersion: { type: 'string' },
  },
} as const;

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'Machine-readable kind: bad_request, not_found, conflict, payload_too_large, unsupported_media_type, unavailable, internal.' },
    message: { type: 'string', description: 'One line saying what is wrong.' },
  },
} as const;

const errorReference = { $ref: 'Error#' } as const;

/** Body of POST /v1/classify: one question (`text`) or a batch (`items`), plus the policy. */
export function classifyBodySchema(maxBatch: number) {
  return {
    type: 'object',
    description: `Either one question (text, with optional language and sellerId) or a batch (items, 1–${maxBatch} questions), never both. The policy fields apply to every question of the request.`,
    properties: {
      text,
      language,
      sellerId,
      items: {
        type: 'array',
        minItems: 1,
        maxItems: maxBatch,
        description: `A batch of 1–${maxBatch} questions, answered in order.`,
        items: { type: 'object', required: ['text'], properties: { text, language, sellerId }, additionalProperties: false },
      },
      ...policyProperties,
    },
    additionalProperties: false,
  } as const;
}

export const batchResponseSchema = {
  type: 'object',
  required: ['modelVersion', 'decisions'],
  properties: {
    modelVersion: { type: 'string', description: 'The model that made every decision of the batch.' },
    decisions: { type: 'array', items: { $ref: 'Decision#' }, description: 'One decision per item, in order.' },
  },
} as const;

/** The same shapes without references, for serialising responses (compiled once per schema object). */
const { $id: _decisionId, ...inlineDecision } = decisionSchema;
export const decisionSerialization = inlineDecision;
export const batchSerialization = { ...batchResponseSchema, properties: { ...batchResponseSchema.properties, decisions: { type: 'array', items: inlineDecision } } } as const;

export function classifyRouteSchema(maxBatch: number) {
  return {
    summary: 'Classify one buyer question or a batch, and decide whether the bot may answer',
    tags: ['decisions'],
    body: classifyBodySchema(maxBatch),
    response: {
      200: { description: 'One Decision for `text`; { modelVersion, decisions } for `items`.', oneOf: [{ $ref: 'Decision#' }, batchResponseSchema] },
      400: { description: 'A schema violation, an unknown intent or language, or an invalid policy value.', ...errorReference },
      413: { description: 'The body is larger than the body limit.', ...errorReference },
      415: { description: 'The body is not JSON.', ...errorReference },
    },
  };
}

export const feedbackRouteSchema = {
  summary: "Record the buyer's reaction to an answer",
  description: 'accepted = "no thanks" (the answer was enough); escalated = "yes, send it" to the seller. Answered with 202 once the outcome is on disk. Idempotent by decisionId: the same feedback again is answered 202 again (recorded: false); a different one is a 409.',
  tags: ['decisions'],
  body: {
    type: 'object',
    required: ['decisionId', 'outcome'],
    properties: {
      decisionId: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH, description: 'The decisionId POST /v1/classify returned.' },
      outcome: { type: 'string', enum: ['accepted', 'escalated'] },
      label: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH, description: "The intent the question really had, if your service knows it (one of the model's intents)." },
    },
    additionalProperties: false,
  },
  response: {
    202: {
      description: 'The outcome is in the outcome log (synced to disk).',
      type: 'object',
      required: ['decisionId', 'outcome', 'recorded'],
      properties: {
        decisionId: { type: 'string' },
        outcome: { type: 'string', enum: ['accepted', 'escalated'] },
        label: { type: 'string' },
        recorded: { type: 'boolean', description: 'false when this feedback had already been recorded (a retry).' },
      },
    },
    400: errorReference,
    404: { description: 'No recent decision has this id (see the feedback window).', ...errorReference },
    409: { description: 'The decision was not answered (nothing for the buyer to react to), or it already has a different outcome.', ...errorReference },
    503: { description: 'The outcome could not be written; retry.', ...errorReference },
  },
} as const;

export const modelRouteSchema = {
  summary: 'The model serving now: version, intents, answerable set, decision policy, test metrics',
  tags: ['model'],
  response: {
    200: {
      type: 'object',
      required: ['modelVersion', 'intents', 'answerableIntents', 'languages', 'decision', 'loadedAt'],
      properties: {
        modelVersion: { type: 'string' },
        createdAt: { type: 'string' },
        loadedAt: { type: 'string', description: 'When this service loaded it.' },
        path: { type: 'string', description: 'What the service watches (--model).' },
        directory: { type: 'string', description: 'The directory the model was loaded from (a store pointer resolved).' },
        intents: { type: 'array', items: { type: 'string' } },
        answerableIntents: { type: 'array', items: { type: 'string' } },
        languages: { type: 'array', items: { type: 'string' } },
        decision: { type: 'object', additionalProperties: true, description: 'The default policy: threshold, margin and the familiarity cuts.' },
        metrics: { type: ['object', 'null'], additionalProperties: true, description: 'Metrics on the held-out test split, recorded at training (null if none).' },
        lastRefusedReload: {
          type: ['object', 'null'],
          description: 'The last model that was refused because it did not load (null if none).',
          properties: { at: { type: 'string' }, directory: { type: 'string' }, error: { type: 'string' } },
        },
      },
    },
  },
} as const;

const statusSchema = { type: 'object', required: ['status'], properties: { status: { type: 'string' }, modelVersion: { type: 'string' } } } as const;

export const healthRouteSchema = {
  summary: 'Liveness: 200 while the process runs',
  tags: ['operations'],
  response: { 200: statusSchema },
} as const;

export const readyRouteSchema = {
  summary: 'Readiness: 200 once earlier decisions are loaded; 503 while loading or shutting down',
  tags: ['operations'],
  response: { 200: statusSchema, 503: statusSchema },
} as const;

export const metricsRouteSchema = {
  summary: 'Prometheus metrics (text format)',
  tags: ['operations'],
  produces: ['text/plain'],
  response: { 200: { description: 'Prometheus text exposition format 0.0.4', type: 'string' } },
} as const;

export const openapiRouteSchema = {
  summary: 'This API as an OpenAPI 3.1 document',
  tags: ['operations'],
  response: { 200: { type: 'object', additionalProperties: true } },
} as const;
