/**
 * Turns a transaction file into the events a shop would have emitted: for each row an
 * ORDER_PLACED and a PAYMENT_CAPTURED for the full amount, with ids derived from the row so
 * a replay of the same file produces the same event ids (and is deduplicated downstream).
 */
import type { OrderEvent, PaymentEvent } from '../core/events.js';
import type { Transaction } from './transaction-file.js';

export type CommerceMessage =
  | { topic: 'commerce.orders.v1'; key: string; value: OrderEvent }
  | { topic: 'commerce.payments.v1'; key: string; value: PaymentEvent };

export interface ReplayOptions {
  currency: string;
  /** Instant of a purchase given only by its day (local noon: no zone puts it on another day). */
  timeOfDay: (day: number) => number;
  /** Distinguishes replays of different files. */
  source: string;
}

export function transactionEvents(t: Transaction, options: ReplayOptions): [CommerceMessage, CommerceMessage] {
  const orderId = `${options.source}-${t.line}`;
  const time = t.time ?? options.timeOfDay(t.day);
  return [
    {
      topic: 'commerce.orders.v1',
      key: t.customerId,
      value: {
        event_id: `${orderId}-placed`, event_time: time, type: 'ORDER_PLACED', customer_id: t.customerId,
        order_id: orderId, amount_minor: t.amountMinor, currency: options.currency, line_items: [],
      },
    },
    {
      topic: 'commerce.payments.v1',
      key: t.customerId,
      value: {
        event_id: `${orderId}-captured`, event_time: time, type: 'PAYMENT_CAPTURED', customer_id: t.customerId,
        order_id: orderId, payment_id: `${orderId}-payment`, amount_minor: t.amountMinor, currency: options.currency,
      },
    },
  ];
}
