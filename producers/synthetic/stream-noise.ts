/**
 * Turns clean events into what a broker actually delivers: each event arrives shortly after
 * it happens, but some are re-sent (same event_id), some overtake or are overtaken by
 * others (a payment before its order), some arrive days late; and some messages are not
 * acceptable input at all — semantically invalid events and undecodable bytes — which a
 * correct pipeline dead-letters. Injected messages are marked (`flaw`, `poison`) and counted
 * so tests can compare the dead-letter topic with what was put in.
 */
import type { OrderEvent, PaymentEvent } from '../../core/events.js';
import { exponential, intBelow, logNormal } from './distributions.js';
import type { NoiseRates } from './options.js';
import type { Rng } from './prng.js';

export const ORDERS_TOPIC = 'commerce.orders.v1';
export const PAYMENTS_TOPIC = 'commerce.payments.v1';
export type CommerceTopic = typeof ORDERS_TOPIC | typeof PAYMENTS_TOPIC;

/** Why an injected, schema-valid event must be rejected. */
export type SemanticFlaw = 'negative-amount' | 'foreign-currency' | 'future-event-time' | 'empty-customer-id';
export const SEMANTIC_FLAWS: readonly SemanticFlaw[] = Object.freeze(['negative-amount', 'foreign-currency', 'future-event-time', 'empty-customer-id']);

/** One delivered message. `deliveredAtMs` is when it reaches the topic (≥ event_time except for injected future times). */
export type SyntheticMessage = SyntheticEventMessage | SyntheticPoisonMessage;

/** A decodable event; `flaw` is present only on injected invalid ones. */
export type SyntheticEventMessage =
  | { topic: typeof ORDERS_TOPIC; key: string; value: OrderEvent; deliveredAtMs: number; flaw?: SemanticFlaw }
  | { topic: typeof PAYMENTS_TOPIC; key: string; value: PaymentEvent; deliveredAtMs: number; flaw?: SemanticFlaw };

/** Bytes that no decoder accepts; `why` says what makes them undecodable. */
export interface SyntheticPoisonMessage { topic: CommerceTopic; key: string; poison: Buffer; why: string; deliveredAtMs: number }

export interface NoiseStats {
  /** Distinct valid events, each delivered at least once. */
  validEvents: number;
  duplicates: number;
  reordered: number;
  late: number;
  invalid: Record<SemanticFlaw, number>;
  poison: number;
}

export interface NoiseContext {
  seed: number;
  currency: string;
  /** End of the history; injected future times lie well beyond it. */
  endMs: number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 86_400_000;
/** "Far in the future" must be so against any clock — the history's and the wall clock of a replay. */
const FUTURE_FLOOR_MS = Date.UTC(2100, 0, 1);
const OTHER_CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'VND', 'CAD'];
const POISON_WHY = 'random bytes: first byte 0xff is neither the Confluent magic byte 0x00 nor valid UTF-8';

function isOrderEvent(e: OrderEvent | PaymentEvent): e is OrderEvent {
  return e.type === 'ORDER_PLACED' || e.type === 'ORDER_CANCELLED';
}

function copyOf<E extends OrderEvent | PaymentEvent>(e: E): E {
  return 'line_items' in e ? { ...e, line_items: e.line_items.map((li) => ({ ...li })) } : { ...e };
}

function messageOf(e: OrderEvent | PaymentEvent, deliveredAtMs: number, flaw?: SemanticFlaw): SyntheticEventMessage {
  const m: SyntheticEventMessage = isOrderEvent(e)
    ? { topic: ORDERS_TOPIC, key: e.customer_id, value: e, deliveredAtMs }
    : { topic: PAYMENTS_TOPIC, key: e.customer_id, value: e, deliveredAtMs };
  if (flaw !== undefined) m.flaw = flaw;
  return m;
}

function flawed(rng: Rng, e: OrderEvent | PaymentEvent, flaw: SemanticFlaw, eventId: string, ctx: NoiseContext): OrderEvent | PaymentEvent {
  // Same order_id as a real order on purpose: a pipeline that fails to reject it corrupts
  // that order's value, which the ground-truth comparison then catches.
  const bad = copyOf(e);
  bad.event_id = eventId;
  if (flaw === 'negative-amount') bad.amount_minor = -Math.max(1, e.amount_minor);
  else if (flaw === 'foreign-currency') {
    const others = OTHER_CURRENCIES.filter((c) => c !== ctx.currency);
    bad.currency = others[intBelow(rng, others.length)];
  } else if (flaw === 'future-event-time') {
    bad.event_time = Math.max(FUTURE_FLOOR_MS, ctx.endMs + 3650 * DAY) + intBelow(rng, 365 * DAY);
  } else bad.customer_id = '';
  return bad;
}

function poisonBytes(rng: Rng): Buffer {
  const bytes = Buffer.alloc(16 + intBelow(rng, 81));
  for (let i = 0; i < bytes.length; i++) bytes[i] = intBelow(rng, 256);
  bytes[0] = 0xff;
  return bytes;
}

/**
 * Delivers `events` (any order) with the faults of `rates` and returns the messages sorted
 * by delivery time (ties in generation order, as Array.prototype.sort is stable).
 */
export function deliverWithNoise(events: ReadonlyArray<OrderEvent | PaymentEvent>, rates: NoiseRates, rng: Rng, ctx: NoiseContext): { messages: SyntheticMessage[]; stats: NoiseStats } {
  const messages: SyntheticMessage[] = [];
  const stats: NoiseStats = { validEvents: events.length, duplicates: 0, reordered: 0, late: 0,
    invalid: { 'negative-amount': 0, 'foreign-currency': 0, 'future-event-time': 0, 'empty-customer-id': 0 }, poison: 0 };
  let badSeq = 0;
  for (const e of events) {
    // Producer-to-broker latency, mean 2 s: reorders events that happen within seconds.
    let at = e.event_time + Math.round(exponential(rng, 1 / (2 * SECOND)));
    if (rng() < rates.lateRate) {
      stats.late++;
      at += Math.round(DAY + rng() * 9 * DAY); // a device or batch job offline for 1–10 days
    } else if (rng() < rates.reorderRate) {
      stats.reordered++;
      at += Math.round(logNormal(rng, Math.log(10 * MINUTE), 1)); // enough to fall behind a capture
    }
    messages.push(messageOf(e, at));
    if (rng() < rates.duplicateRate) {
      stats.duplicates++;
      // At-least-once redelivery: seconds (producer retry) to hours (consumer replay) later.
      messages.push(messageOf(copyOf(e), at + Math.round(logNormal(rng, Math.log(30 * SECOND), 2))));
    }
    if (rng() < rates.invalidRate) {
      const flaw = SEMANTIC_FLAWS[intBelow(rng, SEMANTIC_FLAWS.length)];
      stats.invalid[flaw]++;
      messages.push(messageOf(flawed(rng, e, flaw, `evt-${ctx.seed}-bad-${++badSeq}`, ctx), at + intBelow(rng, MINUTE), flaw));
    }
    if (rng() < rates.poisonRate) {
      stats.poison++;
      const topic = isOrderEvent(e) ? ORDERS_TOPIC : PAYMENTS_TOPIC;
      messages.push({ topic, key: e.customer_id, poison: poisonBytes(rng), why: POISON_WHY, deliveredAtMs: at + intBelow(rng, MINUTE) });
    }
  }
  messages.sort((a, b) => a.deliveredAtMs - b.deliveredAtMs);
  return { messages, stats };
}
