/**
 * A deterministic set of events on every topic, for the analytics sink's tests: orders with
 * line items, captures and partial refunds, purchase revisions, features, scores, segment
 * changes and dead letters, with awkward amounts (odd cents, large values).
 */
import type {
  ClvScoreEvent, CustomerFeaturesEvent, DeadLetterEvent, OrderEvent, PaymentEvent, PurchaseEvent, SegmentChangedEvent,
} from '../../core/events.js';
import { Topics } from '../../core/topics.js';

const DAY = 86_400_000;
const START = Date.UTC(1997, 0, 1, 9, 30, 0, 250);

export interface SinkEvents {
  byTopic: Map<string, Array<{ key: string | null; value: unknown }>>;
  orders: OrderEvent[];
  payments: PaymentEvent[];
  purchases: PurchaseEvent[];
  features: CustomerFeaturesEvent[];
  scores: ClvScoreEvent[];
  segmentChanges: SegmentChangedEvent[];
  deadLetters: DeadLetterEvent[];
}

export function sinkEvents(customers: number): SinkEvents {
  const e: SinkEvents = { byTopic: new Map(), orders: [], payments: [], purchases: [], features: [], scores: [], segmentChanges: [], deadLetters: [] };
  for (let c = 0; c < customers; c++) {
    const customer = `C${String(c).padStart(4, '0')}`;
    const orderCount = 1 + (c % 3);
    let total = 0;
    for (let k = 0; k < orderCount; k++) {
      const order = `${customer}-O${k}`;
      const at = START + (c * 7 + k * 45) * DAY + k * 1_001;
      const amount = 1_999 + c * 137 + k * 1_000_003;
      const items = [{ sku: `sku-${k}`, category: k % 2 ? 'books' : 'music', quantity: 1 + k, unit_price_minor: 999 }, { sku: "gift'wrap", category: 'extras', quantity: 1, unit_price_minor: 1 }];
      e.orders.push({ event_id: `${order}-placed`, event_time: at, type: 'ORDER_PLACED', customer_id: customer, order_id: order, amount_minor: amount, currency: 'USD', line_items: items });
      e.payments.push({ event_id: `${order}-captured`, event_time: at + 60_000, type: 'PAYMENT_CAPTURED', customer_id: customer, order_id: order, payment_id: `${order}-pay`, amount_minor: amount, currency: 'USD' });
      e.purchases.push({ event_id: `${order}:1`, event_time: at, customer_id: customer, order_id: order, revision: 1, status: 'ACTIVE', net_amount_minor: amount, currency: 'USD', categories: ['music'], line_items: [{ category: 'music', quantity: 1, unit_price_minor: 999 }] });
      let net = amount;
      if ((c + k) % 3 === 0) {
        const refund = 333 + c;
        net = amount - refund;
        e.payments.push({ event_id: `${order}-refunded`, event_time: at + 2 * DAY, type: 'PAYMENT_REFUNDED', customer_id: customer, order_id: order, payment_id: `${order}-pay`, amount_minor: refund, currency: 'USD' });
        e.purchases.push({ event_id: `${order}:2`, event_time: at, customer_id: customer, order_id: order, revision: 2, status: 'ACTIVE', net_amount_minor: net, currency: 'USD', categories: ['music'], line_items: [{ category: 'music', quantity: 1, unit_price_minor: 999 }] });
      }
      total += net;
    }
    const asOf = START + (c * 7 + (orderCount - 1) * 45) * DAY + 5_000;
    const first = START + c * 7 * DAY;
    for (let s = 0; s < 2; s++) {
      const t = asOf + s * DAY;
      e.features.push({
        event_id: `${customer}@f${s}`, event_time: t, customer_id: customer, first_purchase_time: first, last_purchase_time: asOf - 5_000, purchase_days: orderCount,
        repeat_purchase_days: orderCount - 1, repeat_value_minor: total - 1_999, total_value_minor: total, currency: 'USD',
        category_summary: [{ category: 'music', orders: orderCount, quantity: orderCount, spend_minor: 999 * orderCount }],
      });
      e.scores.push({
        event_id: `${customer}@${t}@v1`, event_time: t, customer_id: customer, model_version: 'v1', model_kind: 'bgnbd-gamma-gamma', clv_minor: total * 2 + s, p_alive: 1 / (c + 2),
        expected_purchases: 0.5 + c / 1000, expected_avg_value_minor: 2_500, horizon_days: 365, segment: c % 2 ? 'high' : 'low', action: 'upsell', currency: 'USD',
        recommended_categories: ['books'], recommendation_reason: "customer's favourite", recommended_min_unit_price_minor: 1_999,
        // Both kinds of score: with an interval and without one (a point-estimate model).
        clv_lower_minor: s === 0 ? null : total, clv_upper_minor: s === 0 ? null : total * 4 + s, clv_interval_level: s === 0 ? null : 0.8, sequence: s + 1,
      });
      e.segmentChanges.push({
        event_id: `${customer}@${t}@v1`, event_time: t, customer_id: customer, previous_segment: s === 0 ? null : 'new', segment: c % 2 ? 'high' : 'low',
        clv_minor: total * 2 + s, action: 'upsell', reason: "customer's value changed", model_version: 'v1',
        recommended_categories: ['books'], recommendation_reason: "customer's favourite", recommended_min_unit_price_minor: 1_999,
      });
    }
    e.deadLetters.push({
      event_id: `${Topics.orders}/${c % 4}/${c}`, event_time: START + c * DAY, source_topic: Topics.orders, source_partition: c % 4, source_offset: String(c),
      key: customer, payload: Buffer.from([c % 256, 0, 255, 39, 92]), payload_json: c % 2 ? null : `{"bad":"amount'\\\\"}`, error_code: 'CLV_INVALID_EVENT', reason: 'negative amount',
    });
  }
  const put = (topic: string, values: Array<{ customer_id?: string; key?: string | null }>) =>
    e.byTopic.set(topic, values.map((v) => ({ key: v.customer_id ?? v.key ?? null, value: v })));
  put(Topics.orders, e.orders);
  put(Topics.payments, e.payments);
  put(Topics.purchases, e.purchases);
  put(Topics.features, e.features);
  put(Topics.scores, e.scores);
  put(Topics.segmentChanges, e.segmentChanges);
  put(Topics.deadLetter, e.deadLetters);
  return e;
}

/** Sum of `f` per customer_id. */
export function sumByCustomer<T extends { customer_id: string }>(items: readonly T[], f: (x: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const x of items) out.set(x.customer_id, (out.get(x.customer_id) ?? 0) + f(x));
  return out;
}
