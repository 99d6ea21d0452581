/**
 * POST /v1/events (scope ingest): validated ingestion into the event log.
 *
 * All or nothing: the batch is checked against the schemas (400 API_BAD_REQUEST naming index
 * and field), then against the domain rules the purchases processor applies
 * (core/event-validation.ts; 400 API_INVALID_EVENT naming index and rule), and only a batch
 * with no error is encoded and published, keyed by customer_id, with 202 and the counts.
 * The whole batch goes to the log in one `publishAll` call, one request (Kafka: one produce
 * request per broker), so it is never published topic by topic. Publishing has a deadline,
 * CLV_API_PUBLISH_TIMEOUT_MS: when the log cannot take the batch in time (Kafka down, the
 * publish queue over its byte cap), the answer is 503 with Retry-After. Events that had not
 * left are withdrawn; a request already sent may still land, and a retry of the whole batch
 * is harmless: the pipeline drops what it already has by event_id.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../config/config.js';
import { validateOrderEvent, validatePaymentEvent, type ValidationRules } from '../../core/event-validation.js';
import type { EventCodec } from '../../core/ports/event-codec.js';
import type { EventLog, OutgoingMessage, TopicMessages } from '../../core/ports/event-log.js';
import { Topics } from '../../core/topics.js';
import { ApiError } from '../errors.js';
import { eventBatchSchema, eventBatchValidator, type EventItem } from '../event-batch.js';
import { recordEventsOut } from '../../metrics/metrics-registry.js';
import { errorResponses } from '../plugins/errors.js';

export interface EventRoutesOptions {
  log: EventLog;
  codec: EventCodec;
  config: Readonly<Config>;
  maxBatchEvents: number;
  /** CLV_API_PUBLISH_TIMEOUT_MS. */
  publishTimeoutMs: number;
  now?: () => number;
}

const Accepted = Type.Object({
  accepted: Type.Integer({ description: 'Events published' }),
  topics: Type.Record(Type.String(), Type.Integer(), { description: 'Events published per topic' }),
});

const VIOLATIONS_REPORTED = 10;

export async function eventRoutes(app: FastifyInstance, options: EventRoutesOptions): Promise<void> {
  const { log, codec, config } = options;
  const rules: ValidationRules = { currency: config.currency, maxFutureSkewMs: config.maxFutureSkewMs, now: options.now ?? Date.now };
  const validateBody = eventBatchValidator(options.maxBatchEvents, config.currency);

  app.post('/v1/events', {
    config: { auth: 'ingest' },
    schema: {
      tags: ['events'],
      summary: 'Ingest order and payment events (one, or a batch; all or nothing)',
      body: eventBatchSchema(options.maxBatchEvents, config.currency),
      response: { 202: Accepted, ...errorResponses('INVALID_EVENT', 'UNAUTHENTICATED', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'UNAVAILABLE') },
    },
    validatorCompiler: ({ httpPart }) => (httpPart === 'body' ? validateBody : (value: unknown) => ({ value })),
  }, async (request, reply) => {
    const items = request.body as EventItem[];
    const single = items.length === 1;
    const problems: string[] = [];
    items.forEach((item, i) => {
      if (problems.length >= VIOLATIONS_REPORTED) return;
      const v = item.topic === Topics.orders ? validateOrderEvent(item.event, rules) : validatePaymentEvent(item.event, rules);
      if (v) problems.push(`${single ? 'event' : `event ${i}`}: ${v.reason} (${v.code})`);
    });
    if (problems.length > 0) throw new ApiError('INVALID_EVENT', `nothing was published: ${problems.join('; ')}`);

    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const { topic, event } of items) {
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      // The codec rejects what Avro cannot carry (ClvError INVALID_EVENT → 400).
      list.push({ key: event.customer_id, value: await codec.encode(topic, event) });
    }
    const batches = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    await publishWithin(log, batches, options.publishTimeoutMs);
    const counts: Record<string, number> = {};
    for (const { topic, messages } of batches) {
      recordEventsOut(topic, messages.length);
      counts[topic] = messages.length;
    }
    return reply.code(202).send({ accepted: items.length, topics: counts });
  });
}

/**
 * Publishes within `timeoutMs` or throws 503: the log is told of the deadline (so it withdraws
 * what it has not sent), and the answer does not wait on a log that ignores it.
 */
async function publishWithin(log: EventLog, batches: TopicMessages[], timeoutMs: number): Promise<void> {
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      deadline.abort();
      reject(new Error(`no answer from the event log within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const published = log.publishAll(batches, { signal: deadline.signal });
  published.catch(() => undefined); // settled later when the deadline won
  try {
    await Promise.race([published, expired]);
  } catch (cause) {
    const retryAfterS = Math.max(1, Math.ceil(timeoutMs / 1000));
    throw new ApiError('UNAVAILABLE', 'the event log did not accept the events in time; retry the whole batch later', { cause, retryAfterS });
  } finally {
    clearTimeout(timer);
  }
}
