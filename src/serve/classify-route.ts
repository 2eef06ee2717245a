import type { FastifyInstance, FastifyReply } from 'fastify';
import { decisionLine } from '../learning/logger.js';
import type { DecisionOptions } from '../runtime/decision.js';
import type { AllinaModel, Decision } from '../runtime/model.js';
import { vocabularyOf, type ServiceContext } from './context.js';
import { newOwnedDecisionId } from './shard.js';
import { HttpError } from './errors.js';
import { batchSerialization, classifyRouteSchema, decisionSerialization } from './schemas.js';

interface Question {
  text: string;
  language?: string;
  sellerId?: string;
}

interface ClassifyBody extends Question {
  items?: Question[];
  enabled?: boolean;
  answerableIntents?: string[];
  threshold?: number;
  margin?: number;
}

/** A batch is classified in slices, yielding to the event loop between them, so that one large batch does not hold up the single questions queued behind it. */
const SLICE = 64;

/** The decision as the API returns it: the runtime's Decision plus the id feedback refers to. */
export type ApiDecision = Decision & { decisionId: string };

function policyOf(body: ClassifyBody): DecisionOptions {
  const options: DecisionOptions = {};
  if (body.enabled !== undefined) options.enabled = body.enabled;
  if (body.answerableIntents !== undefined) options.answerableIntents = body.answerableIntents;
  if (body.threshold !== undefined) options.threshold = body.threshold;
  if (body.margin !== undefined) options.margin = body.margin;
  return options;
}

function checkLanguage(model: AllinaModel, language: string | undefined, field: string): void {
  if (language !== undefined && !model.manifest.languages.includes(language)) {
    throw new HttpError(400, 'bad_request', `${field} '${language}' is not one of the model's languages (${model.manifest.languages.join(', ')})`);
  }
}

/**
 * Remembers, counts and logs one decision. Empty input (no words at all) is not logged: there is
 * nothing in it to review or learn from. A line that cannot be logged does not fail the request
 * (the decision stands); it is counted as a log write error.
 */
function record(context: ServiceContext, model: AllinaModel, question: Question, decision: Decision, reply: FastifyReply): ApiDecision {
  const decisionId = newOwnedDecisionId(context.shard);
  context.index.remember(decisionId, decision.answer, decision.intent);
  context.metrics.decided(decision);
  if (decision.reason !== 'empty_input') {
    try {
      context.log.appendDecision(decisionLine({ id: decisionId, text: question.text, decision, language: question.language, sellerId: question.sellerId }, vocabularyOf(model)));
    } catch (error) {
      context.metrics.logWriteErrors.inc();
      reply.log.warn({ err: error, decisionId }, 'decision not logged');
    }
  }
  return { decisionId, ...decision };
}

/** POST /v1/classify: one question or a batch → decision(s) with decisionIds. */
export function registerClassifyRoute(app: FastifyInstance, context: ServiceContext): void {
  app.post('/v1/classify', { schema: classifyRouteSchema(context.limits.maxBatch) }, async (request, reply) => {
    const body = request.body as ClassifyBody;
    if ((body.text === undefined) === (body.items === undefined)) {
      throw new HttpError(400, 'bad_request', "body needs exactly one of 'text' (one question) and 'items' (a batch of questions)");
    }
    // One model for the whole request, even if a reload swaps it meanwhile.
    const model = context.holder.model;
    const options = policyOf(body);
    model.policy(options); // an invalid policy (unknown intent) is a 400 before anything is logged
    if (body.items === undefined) {
      checkLanguage(model, body.language, 'language');
      const decision = record(context, model, body, model.classify(body.text, options), reply);
      return reply.serializer(reply.compileSerializationSchema(decisionSerialization)).send(decision);
    }
    const items = body.items;
    items.forEach((item, index) => checkLanguage(model, item.language, `items[${index}].language`));
    const decisions: ApiDecision[] = [];
    for (let start = 0; start < items.length; start += SLICE) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const slice = items.slice(start, start + SLICE);
      const sliceDecisions = model.classifyBatch(slice.map((item) => item.text), options);
      slice.forEach((item, index) => decisions.push(record(context, model, item, sliceDecisions[index], reply)));
    }
    return reply.serializer(reply.compileSerializationSchema(batchSerialization)).send({ modelVersion: model.manifest.modelVersion, decisions });
  });
}
