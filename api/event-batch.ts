/**
 * What POST /v1/events accepts: one `{ topic, event }` or an array of them, each event the
 * JSON form of its Avro schema (schemas/commerce.*.avsc, core/events.ts): integers for
 * times (epoch ms) and money (minor units). The TypeBox schemas document the body in
 * OpenAPI; `eventBatchValidator` checks it, item by item, with the schema of the item's own
 * topic, so that an error names the index and field (`body/3/event/amount_minor must be
 * integer`) instead of listing every branch of a union.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Format } from 'typebox/format';
import { EARLIEST_EVENT_TIME_MS } from '../core/event-validation.js';
import type { OrderEvent, PaymentEvent } from '../core/events.js';
import { ID_FORMAT, ID_MAX_LENGTH, ID_PATTERN, idProblem } from '../core/id-rule.js';
import { Topics } from '../core/topics.js';

// The id rule of core/id-rule.ts, so that the API, the replay and the processors agree: the
// pattern states it for any reader, the format adds what a pattern cannot (lone surrogates).
Format.Set(ID_FORMAT, (value) => idProblem(value) === null);
const Id = (description: string) => Type.String({
  minLength: 1, maxLength: ID_MAX_LENGTH, pattern: ID_PATTERN, format: ID_FORMAT,
  description: `${description}; no control, format or lone-surrogate characters`,
});
const EpochMs = Type.Integer({ minimum: EARLIEST_EVENT_TIME_MS, maximum: 8_640_000_000_000_000, description: 'epoch milliseconds, UTC, from 1990-01-01 (core/event-validation.ts)' });
const Minor = (description: string) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: `${description}, minor units` });
/** The shop currency (CLV_CURRENCY): the only one the pipeline takes, so the only one the schema admits. */
const Currency = (currency: string) => Type.Literal(currency, { description: 'ISO 4217 code of the shop currency (CLV_CURRENCY)' });
const Text = Type.String({ maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });

export const LineItemSchema = Type.Object({
  sku: Text,
  category: Text,
  quantity: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  unit_price_minor: Minor('price of one unit'),
}, { additionalProperties: false });

const orderEventSchema = (currency: string) => Type.Object({
  event_id: Id('unique per event; a redelivery keeps it'),
  event_time: EpochMs,
  type: Type.Enum(['ORDER_PLACED', 'ORDER_CANCELLED']),
  customer_id: Id('the customer; the partition key'),
  order_id: Id('the order'),
  amount_minor: Minor('order total'),
  currency: Currency(currency),
  line_items: Type.Optional(Type.Array(LineItemSchema, { maxItems: 1000, description: 'default []' })),
}, { additionalProperties: false });

const paymentEventSchema = (currency: string) => Type.Object({
  event_id: Id('unique per event; a redelivery keeps it'),
  event_time: EpochMs,
  type: Type.Enum(['PAYMENT_CAPTURED', 'PAYMENT_FAILED', 'PAYMENT_REFUNDED']),
  customer_id: Id('the customer; the partition key'),
  order_id: Id('the order paid'),
  payment_id: Id('the payment'),
  amount_minor: Minor('amount captured, failed or refunded (a magnitude: refunds are positive)'),
  currency: Currency(currency),
}, { additionalProperties: false });

/** The body schema, for the OpenAPI document. */
export function eventBatchSchema(maxBatchEvents: number, currency: string): TSchema {
  const OrderItem = Type.Object({ topic: Type.Literal(Topics.orders), event: orderEventSchema(currency) }, { additionalProperties: false });
  const PaymentItem = Type.Object({ topic: Type.Literal(Topics.payments), event: paymentEventSchema(currency) }, { additionalProperties: false });
  const Item = Type.Union([OrderItem, PaymentItem]);
  return Type.Union([Item, Type.Array(Item, { minItems: 1, maxItems: maxBatchEvents })], {
    description: `One event or an array of 1 to ${maxBatchEvents} events`,
  });
}

export type EventItem =
  | { topic: typeof Topics.orders; event: OrderEvent }
  | { topic: typeof Topics.payments; event: PaymentEvent };

type Checked = { value: EventItem[] } | { error: FastifySchemaValidationError[] };

const ERRORS_REPORTED = 10;

/**
 * A body validator (compiled once, at registration): returns the items, normalised to an
 * array with `line_items` defaulted, or schema errors with instance paths into the body.
 */
export function eventBatchValidator(maxBatchEvents: number, currency: string): (body: unknown) => Checked {
  const checks = new Map<string, ReturnType<typeof Compile>>([
    [Topics.orders, Compile(orderEventSchema(currency))],
    [Topics.payments, Compile(paymentEventSchema(currency))],
  ]);
  const error = (instancePath: string, keyword: string, message: string, params: Record<string, unknown> = {}): FastifySchemaValidationError =>
    ({ keyword, instancePath, schemaPath: '#', params, message });

  return (body) => {
    const batch = Array.isArray(body);
    const items: unknown[] = batch ? body : [body];
    if (batch && items.length === 0) return { error: [error('', 'minItems', 'must hold at least one event')] };
    if (items.length > maxBatchEvents) return { error: [error('', 'maxItems', `holds ${items.length} events; at most ${maxBatchEvents} are allowed per request`)] };
    const errors: FastifySchemaValidationError[] = [];
    for (let i = 0; i < items.length && errors.length < ERRORS_REPORTED; i++) {
      const at = batch ? `/${i}` : '';
      const item = items[i];
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        errors.push(error(at, 'type', 'must be an object { topic, event }'));
        continue;
      }
      const { topic, event, ...rest } = item as Record<string, unknown>;
      const extra = Object.keys(rest);
      if (extra.length > 0) errors.push(error(at, 'additionalProperties', '', { additionalProperties: extra }));
      const check = typeof topic === 'string' ? checks.get(topic) : undefined;
      if (!check) {
        errors.push(error(`${at}/topic`, 'enum', '', { allowedValues: [...checks.keys()] }));
        continue;
      }
      if (!check.Check(event)) {
        for (const e of check.Errors(event)) errors.push({ ...e, instancePath: `${at}/event${e.instancePath}` } as FastifySchemaValidationError);
      }
    }
    if (errors.length > 0) return { error: errors };
    return {
      value: (items as Array<{ topic: string; event: Record<string, unknown> }>).map((it) =>
        (it.topic === Topics.orders ? { topic: it.topic, event: { ...it.event, line_items: it.event.line_items ?? [] } } : it) as unknown as EventItem),
    };
  };
}
