/** Small builders for commerce events in tests. */
import type { OrderEvent, PaymentEvent } from '../../core/events.js';

const DAY = 86_400_000;
export const day = (n: number, hour = 12) => Date.UTC(1997, 0, 1) + n * DAY + hour * 3_600_000;

export function placed(orderId: string, amount: number, at: number, customer = 'C1', categories: string[] = ['music']): OrderEvent {
  return {
    event_id: `${orderId}-placed`,
    event_time: at,
    type: 'ORDER_PLACED',
    customer_id: customer,
    order_id: orderId,
    amount_minor: amount,
    currency: 'USD',
    line_items: categories.map((category, i) => ({ sku: `${category}-${i}`, category, quantity: 1, unit_price_minor: 0 })),
  };
}

export function cancelled(orderId: string, at: number, customer = 'C1'): OrderEvent {
  return { ...placed(orderId, 0, at, customer, []), event_id: `${orderId}-cancelled`, type: 'ORDER_CANCELLED' };
}

export function payment(type: PaymentEvent['type'], orderId: string, amount: number, at: number, suffix = '', customer = 'C1'): PaymentEvent {
  return {
    event_id: `${orderId}-${type}${suffix}`,
    event_time: at,
    type,
    customer_id: customer,
    order_id: orderId,
    payment_id: `${orderId}-pay`,
    amount_minor: amount,
    currency: 'USD',
  };
}
