import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AllinaError } from '../util/errors.js';

/** An error a route answers with: an HTTP status, a machine-readable kind and a one-line message. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

/** The error body every failed request gets. */
export function errorBody(kind: string, message: string): { error: string; message: string } {
  return { error: kind, message: oneLine(message) };
}

function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** '/items/3/text' under 'body' → 'body.items[3].text'. */
function where(dataVar: string, instancePath: string): string {
  return dataVar + instancePath.split('/').slice(1).map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`)).join('');
}

/**
 * One line for a request that broke its route's schema, naming the field and the rule:
 * "body has an unknown field 'treshold'", "body.items[3].text is longer than 1000 characters".
 * Used as Fastify's `schemaErrorFormatter`.
 *
 * @example
 * formatSchemaErrors([{ keyword: 'maximum', instancePath: '/threshold', params: { limit: 1 }, message: 'must be <= 1' }], 'body').message
 * // → 'body.threshold must be <= 1'
 */
export function formatSchemaErrors(errors: SchemaError[], dataVar: string): Error {
  // An unknown field first: a typo such as 'treshold' must not read as "no threshold given".
  const error = errors.find((candidate) => candidate.keyword === 'additionalProperties') ?? errors[0];
  if (!error) return new Error(`${dataVar} is not valid`);
  const field = where(dataVar, error.instancePath);
  const params = error.params;
  switch (error.keyword) {
    case 'additionalProperties':
      return new Error(`${field} has an unknown field '${String(params.additionalProperty)}'`);
    case 'required':
      return new Error(`${field} is missing '${String(params.missingProperty)}'`);
    case 'maxLength':
      return new Error(`${field} is longer than ${String(params.limit)} characters`);
    case 'minLength':
      return new Error(`${field} must not be empty`);
    case 'maxItems':
      return new Error(`${field} has more than ${String(params.limit)} entries${field === 'body.items' ? ' (the batch limit: send several requests)' : ''}`);
    case 'minItems':
      return new Error(`${field} must have at least ${String(params.limit)} entr${params.limit === 1 ? 'y' : 'ies'}`);
    case 'type':
      return new Error(`${field} must be ${String(params.type).replace(',', ' or ')}`);
    case 'enum':
      return new Error(`${field} must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`);
  }
  return new Error(`${field} ${error.message ?? 'is not valid'}`);
}

/**
 * Fastify's error handler for the service: every failure is `{ error, message }` with a one-line
 * message and the right status; nothing a client sends can make it a 500 or crash the process.
 */
export function handleError(error: FastifyError & { validation?: unknown }, request: FastifyRequest, reply: FastifyReply, bodyLimit: number): void {
  let status: number;
  let kind: string;
  let message: string;
  if (error instanceof HttpError) {
    [status, kind, message] = [error.statusCode, error.kind, error.message];
  } else if (error.validation) {
    [status, kind, message] = [400, 'bad_request', error.message];
  } else if (error instanceof AllinaError) {
    // PolicyError (an unknown intent in answerableIntents, …) and LogEventError: the request's fault.
    [status, kind, message] = [400, 'bad_request', error.message];
  } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    [status, kind, message] = [413, 'payload_too_large', `body is larger than the limit of ${bodyLimit} bytes`];
  } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    [status, kind, message] = [415, 'unsupported_media_type', `send JSON (Content-Type: application/json), not ${JSON.stringify(request.headers['content-type'] ?? '')}`];
  } else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    [status, kind, message] = [400, 'bad_request', 'body is empty: send a JSON object'];
  } else if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    [status, kind, message] = [400, 'bad_request', 'body is not valid JSON'];
  } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    [status, kind, message] = [error.statusCode, 'bad_request', error.message];
  } else {
    request.log.error({ err: error }, 'request failed');
    [status, kind, message] = [500, 'internal', 'internal error (logged by the service)'];
  }
  if (status >= 500 && status !== 500) request.log.warn({ err: error }, message);
  void reply.code(status).send(errorBody(kind, message));
}
