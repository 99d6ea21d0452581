/**
 * The stream side of a reconciliation as the shop's books: the captures, refunds and placed
 * orders the pipeline accepted. Events it dead-letters (core/event-validation.ts: another
 * currency than the shop's, a negative amount, an empty id, a time in the future) are not in
 * the books and are only counted. A capture re-sent under a new event id is the same capture
 * (one per reference: the earliest); refunds are kept one by one (a payment refunded in parts
 * has several under its reference); a re-placed order counts at its latest amount.
 */
import { validateOrderEvent, validatePaymentEvent, type ValidationRules } from '../core/event-validation.js';
import type { PaymentEvent } from '../core/events.js';
import type { OrderRow } from '../core/ports/analytics-store.js';

export interface StreamBooks {
  /** Payment id → its capture. */
  captureByRef: Map<string, PaymentEvent>;
  /** Payment id → its refunds, by time. */
  refundsByRef: Map<string, PaymentEvent[]>;
  /** Order id → the amount and currency it was placed for. */
  orderAmount: Map<string, { amountMinor: number; currency: string }>;
  /** Captures, refunds and placed orders left out because the pipeline dead-letters them. */
  ignored: number;
}

const byTimeThenId = (a: { event_time: number; event_id: string }, b: typeof a) => a.event_time - b.event_time || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);

export function streamBooks(payments: readonly PaymentEvent[], orders: readonly OrderRow[], rules: ValidationRules): StreamBooks {
  let ignored = 0;
  const captureByRef = new Map<string, PaymentEvent>();
  const refundsByRef = new Map<string, PaymentEvent[]>();
  for (const p of [...payments].sort(byTimeThenId)) {
    if (p.type !== 'PAYMENT_CAPTURED' && p.type !== 'PAYMENT_REFUNDED') continue;
    if (validatePaymentEvent(p, rules) !== null) {
      ignored++;
      continue;
    }
    if (p.type === 'PAYMENT_CAPTURED') {
      if (!captureByRef.has(p.payment_id)) captureByRef.set(p.payment_id, p);
    } else {
      const list = refundsByRef.get(p.payment_id);
      if (list) list.push(p);
      else refundsByRef.set(p.payment_id, [p]);
    }
  }
  const orderAmount = new Map<string, { amountMinor: number; currency: string }>();
  for (const o of [...orders].sort(byTimeThenId)) {
    if (o.type !== 'ORDER_PLACED') continue;
    // Line items are not in the analyst row; their rules cannot be checked here.
    if (validateOrderEvent({ ...o, type: 'ORDER_PLACED', line_items: [] }, rules) !== null) {
      ignored++;
      continue;
    }
    orderAmount.set(o.order_id, { amountMinor: o.amount_minor, currency: o.currency });
  }
  return { captureByRef, refundsByRef, orderAmount, ignored };
}
