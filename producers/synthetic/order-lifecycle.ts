/**
 * What happens to one order after the customer clicks "buy", as events: ORDER_PLACED, then
 * usually PAYMENT_CAPTURED minutes later; sometimes the capture comes days later, or a
 * PAYMENT_FAILED precedes a retried capture; a few orders are cancelled before any capture;
 * a few captured ones are refunded, fully or partly, days later. The history ends at
 * `endMs`: events that would happen after it are not emitted, and what the order is worth
 * (`countedMinor`) is decided from the events that are — exactly what a correct pipeline sees.
 */
import type { LineItem, OrderEvent, PaymentEvent } from '../../core/events.js';
import { logNormal } from './distributions.js';
import type { LifecycleRates } from './options.js';
import type { Rng } from './prng.js';

export interface OrderPlan {
  customerId: string;
  /** 1-based, unique within a history; ids derive from it. */
  orderSeq: number;
  placedAtMs: number;
  amountMinor: number;
  lineItems: LineItem[];
}

export type RefundKind = 'none' | 'full' | 'partial';

export interface OrderOutcome {
  /** The order's events with event_time < endMs, in event-time order. */
  events: Array<OrderEvent | PaymentEvent>;
  /** Captured − refunded when placed, captured and not cancelled; else 0. 0 = not a purchase. */
  countedMinor: number;
  cancelled: boolean;
  captured: boolean;
  paymentFailures: number;
  latePayment: boolean;
  refund: RefundKind;
  /** Events not emitted because they fall after the end of the history. */
  droppedAfterEnd: number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function orderIdOf(orderSeq: number): string {
  return `O${String(orderSeq).padStart(8, '0')}`;
}

export function paymentIdOf(orderSeq: number, attempt: number): string {
  return `P${String(orderSeq).padStart(8, '0')}-${attempt}`;
}

/** Deterministic and unique per (seed, order, event): re-running a seed re-sends the same ids. */
export function eventIdOf(seed: number, orderSeq: number, k: number): string {
  return `evt-${seed}-${orderSeq}-${k}`;
}

/** Card authorisation-and-capture latency: median 90 s, most within a few minutes. */
const captureDelay = (rng: Rng): number => Math.round(logNormal(rng, Math.log(90 * SECOND), 0.8));

export function orderLifecycle(rng: Rng, plan: OrderPlan, rates: LifecycleRates, currency: string, seed: number, endMs: number): OrderOutcome {
  const { customerId, orderSeq, placedAtMs, amountMinor } = plan;
  const orderId = orderIdOf(orderSeq);
  const all: Array<OrderEvent | PaymentEvent> = [];
  let k = 0;
  const order = (type: OrderEvent['type'], at: number): void => {
    all.push({ event_id: eventIdOf(seed, orderSeq, ++k), event_time: at, type, customer_id: customerId, order_id: orderId,
      amount_minor: amountMinor, currency,
      // A cancellation repeats the order's lines; its own copy, so no two events share objects.
      line_items: type === 'ORDER_PLACED' ? plan.lineItems : plan.lineItems.map((li) => ({ ...li })) });
  };
  const payment = (type: PaymentEvent['type'], at: number, attempt: number, amount: number): void => {
    all.push({ event_id: eventIdOf(seed, orderSeq, ++k), event_time: at, type, customer_id: customerId, order_id: orderId,
      payment_id: paymentIdOf(orderSeq, attempt), amount_minor: amount, currency });
  };

  order('ORDER_PLACED', placedAtMs);
  let refund: RefundKind = 'none';
  let late = false;
  if (rng() < rates.cancelRate) {
    // Half the cancellations follow a declined card: the shopper gives up.
    let at = placedAtMs + Math.round(logNormal(rng, Math.log(30 * MINUTE), 1.2));
    if (rng() < 0.5) {
      const failedAt = placedAtMs + captureDelay(rng);
      payment('PAYMENT_FAILED', failedAt, 1, amountMinor);
      at = Math.max(at, failedAt + MINUTE);
    }
    order('ORDER_CANCELLED', at);
  } else {
    let attempt = 1;
    let at = placedAtMs + captureDelay(rng);
    if (rng() < rates.paymentFailureRate) {
      payment('PAYMENT_FAILED', at, attempt++, amountMinor);
      at += Math.round(logNormal(rng, Math.log(2 * HOUR), 1)); // retry: minutes to a day later
    }
    if (rng() < rates.latePaymentRate) {
      late = true;
      at += Math.round(DAY + rng() * 4 * DAY); // invoice / bank transfer paid 1–5 days later
    }
    payment('PAYMENT_CAPTURED', at, attempt, amountMinor);
    if (rng() < rates.refundRate) {
      const full = amountMinor <= 1 || rng() < rates.fullRefundShare;
      const refunded = full ? amountMinor : Math.max(1, Math.min(amountMinor - 1, Math.round(amountMinor * (0.1 + 0.5 * rng()))));
      refund = full ? 'full' : 'partial';
      payment('PAYMENT_REFUNDED', at + Math.round(2 * DAY + rng() * 28 * DAY), attempt, refunded);
    }
  }

  // Draws above do not depend on endMs, so a longer history extends rather than reshuffles.
  const events = all.filter((e) => e.event_time < endMs).sort((a, b) => a.event_time - b.event_time);
  let captured = 0;
  let refunded = 0;
  let cancelled = false;
  let paymentFailures = 0;
  for (const e of events) {
    if (e.type === 'PAYMENT_CAPTURED') captured += e.amount_minor;
    else if (e.type === 'PAYMENT_REFUNDED') refunded += e.amount_minor;
    else if (e.type === 'ORDER_CANCELLED') cancelled = true;
    else if (e.type === 'PAYMENT_FAILED') paymentFailures++;
  }
  const keptRefund = events.some((e) => e.type === 'PAYMENT_REFUNDED');
  return {
    events,
    countedMinor: captured > 0 && !cancelled ? captured - refunded : 0,
    cancelled,
    captured: captured > 0,
    paymentFailures,
    latePayment: late && captured > 0,
    refund: keptRefund ? refund : 'none',
    droppedAfterEnd: all.length - events.length,
  };
}
