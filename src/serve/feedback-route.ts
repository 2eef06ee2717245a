import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { FeedbackOutcome } from '../learning/events.js';
import { outcomeLine } from '../learning/logger.js';
import { vocabularyOf, type ServiceContext } from './context.js';
import { errorBody, HttpError } from './errors.js';
import { owns, type ForwardedReply } from './shard.js';
import { feedbackRouteSchema } from './schemas.js';

interface FeedbackBody {
  decisionId: string;
  outcome: FeedbackOutcome;
  label?: string;
}

/** What a 202 says. */
export interface FeedbackReceipt {
  decisionId: string;
  outcome: FeedbackOutcome;
  label?: string;
  /** false when this feedback had been recorded before (a retry). */
  recorded: boolean;
}

/**
 * Records feedback for a decision this process made (or read back at start): the core of POST
 * /v1/feedback, also what another worker's forwarded feedback gets. Idempotent by decisionId:
 * the same feedback again is a 202 (recorded: false), a different outcome or label for the same
 * decision a 409; feedback arriving for a decision whose outcome is being written waits for that
 * write and is then answered the same way. Throws an HttpError for a 4xx or 503.
 */
export function feedbackTaker(context: ServiceContext): (body: FeedbackBody, log: FastifyBaseLogger) => Promise<FeedbackReceipt> {
  /** Outcome writes in flight, by decisionId. */
  const writing = new Map<string, { promise: Promise<void>; outcome: FeedbackOutcome; label?: string }>();

  function alreadyRecorded(body: FeedbackBody, recorded: { outcome: FeedbackOutcome; label?: string }): FeedbackReceipt {
    if (recorded.outcome !== body.outcome || (body.label !== undefined && recorded.label !== body.label)) {
      throw new HttpError(409, 'conflict', `decision ${body.decisionId} already has outcome '${recorded.outcome}'${recorded.label ? ` with label '${recorded.label}'` : ''}; an outcome is recorded once`);
    }
    return { decisionId: body.decisionId, outcome: recorded.outcome, ...(recorded.label !== undefined ? { label: recorded.label } : {}), recorded: false };
  }

  return async (body, log) => {
    const model = context.holder.model;
    if (body.label !== undefined && !model.manifest.intents.includes(body.label)) {
      throw new HttpError(400, 'bad_request', `label '${body.label}' is not one of the model's intents (${model.manifest.intents.join(', ')})`);
    }
    if (!context.state.indexLoaded) await context.indexLoaded;
    const inFlight = writing.get(body.decisionId);
    if (inFlight) {
      await inFlight.promise.catch(() => undefined);
    }
    const decision = context.index.lookup(body.decisionId);
    if (!decision) {
      throw new HttpError(404, 'not_found', `unknown decisionId '${body.decisionId}' (not among the last ${context.limits.feedbackWindow} decisions this service made or read at start)`);
    }
    if (!decision.answer) {
      throw new HttpError(409, 'conflict', `decision ${body.decisionId} was not answered by the bot: there is no answer for the buyer to react to`);
    }
    if (decision.outcome !== null) return alreadyRecorded(body, { outcome: decision.outcome, label: decision.label });
    const pending = writing.get(body.decisionId);
    if (pending) return alreadyRecorded(body, pending);

    const line = outcomeLine({ id: body.decisionId, outcome: body.outcome, label: body.label }, vocabularyOf(model));
    const promise = context.log.appendOutcome(line);
    writing.set(body.decisionId, { promise, outcome: body.outcome, label: body.label });
    try {
      await promise;
    } catch (error) {
      log.error({ err: error, decisionId: body.decisionId }, 'outcome not written');
      throw new HttpError(503, 'unavailable', `the outcome could not be written to the log (${(error as Error).message}); retry`);
    } finally {
      writing.delete(body.decisionId);
    }
    context.index.recordOutcome(body.decisionId, body.outcome, body.label);
    context.metrics.feedback.inc({ outcome: body.outcome, intent: decision.intent ?? 'none' });
    return { decisionId: body.decisionId, outcome: body.outcome, ...(body.label !== undefined ? { label: body.label } : {}), recorded: true };
  };
}

/**
 * POST /v1/feedback: the buyer's reaction to an answer → an outcome line, synced to disk before
 * the 202 (see {@link feedbackTaker}). With several workers, feedback for a decision another
 * worker made is answered by that worker.
 */
export function registerFeedbackRoute(app: FastifyInstance, context: ServiceContext): void {
  const take = feedbackTaker(context);
  const shard = context.shard;
  if (shard) {
    shard.onFeedback = async (body) => {
      try {
        return { statusCode: 202, payload: await take(body as FeedbackBody, app.log) };
      } catch (error) {
        if (error instanceof HttpError) return { statusCode: error.statusCode, payload: errorBody(error.kind, error.message) };
        throw error;
      }
    };
  }

  app.post('/v1/feedback', { schema: feedbackRouteSchema }, async (request, reply) => {
    const body = request.body as FeedbackBody;
    if (shard && !owns(shard, body.decisionId)) {
      let forwarded: ForwardedReply;
      try {
        forwarded = await shard.forwardFeedback(body);
      } catch (error) {
        throw new HttpError(503, 'unavailable', `the worker that made decision ${body.decisionId} did not answer (${(error as Error).message}); retry`);
      }
      return reply.code(forwarded.statusCode as 202).send(forwarded.payload);
    }
    return reply.code(202).send(await take(body, request.log));
  });
}
