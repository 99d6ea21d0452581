/**
 * POST /v1/events (scope ingest): validated ingestion into the event log.
 *
 * All or nothing: the batch is checked against the schemas (400 API_BAD_REQUEST naming index
 * and field), then against the domain rules the purchases processor applies
 * (core/event-validation.ts; 400 API_INVALID_EVENT naming index and rule), and only a batch
 * with no error is encoded and published, keyed by customer_id, with 202 and the counts.
 * Publishing is per topic: if the log fails after the orders went out and before the
 * payments did, the client gets 503 and retries the whole batch; the pipeline drops the
 * orders it already has by event_id.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../../config/config.js';
import { validateOrderEvent, validatePaymentEvent, type ValidationRules } from '../../core/event-validation.js';
import type { EventCodec } from '../../core/ports/event-codec.js';
import type { EventLog, OutgoingMessage } from '../../core/ports/event-log.js';
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
  const validateBody = eventBatchValidator(options.maxBatchEvents);

  app.post('/v1/events', {
    config: { auth: 'ingest' },
    schema: {
      tags: ['events'],
      summary: 'Ingest order and payment events (one, or a batch; all or nothing)',
      body: eventBatchSchema(options.maxBatchEvents),
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
    const counts: Record<string, number> = {};
    for (const [topic, messages] of byTopic) {
      try {
        await log.publish(topic, messages);
      } catch (cause) {
        throw new ApiError('UNAVAILABLE', 'the event log did not accept the events; retry the whole batch later', { cause });
      }
      recordEventsOut(topic, messages.length);
      counts[topic] = messages.length;
    }
    return reply.code(202).send({ accepted: items.length, topics: counts });
  });
}
