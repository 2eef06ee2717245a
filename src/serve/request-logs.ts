import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * The service's structured request log (pino, one JSON line per request, instead of Fastify's
 * two): method, url, route, status code, milliseconds and the request id (`reqId`, taken from an
 * incoming X-Request-Id header when there is one, so a caller's trace id shows up here).
 */
export class RequestLogs extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { method: request.method, url: request.url, route: request.routeOptions.url ?? null, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 1000) / 1000 };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request');
  }
}
