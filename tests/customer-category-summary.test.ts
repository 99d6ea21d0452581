import { shuffledWithDuplicates } from './support/redelivery.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dayIndexer } from '../core/calendar.js';
import type { OrderEvent, PaymentEvent, PurchaseEvent } from '../core/events.js';
import { categorySummaryOf, MAX_SUMMARY_CATEGORIES } from '../processors/features/customer-category-summary.js';
import { applyPurchase, featuresOf, type CustomerPurchaseHistory, type PurchasedOrder } from '../processors/features/customer-purchase-history.js';
import { applyOrderEvent, applyPaymentEvent, emptyLedger, type OrderLedger } from '../processors/purchases/purchase-joiner.js';
import { day, payment } from './support/commerce-events.js';

const utc = dayIndexer('UTC');

function order(orderId: string, lines: Array<[string, number, number]>, status: PurchasedOrder['status'] = 'ACTIVE'): PurchasedOrder {
  return { orderId, day: 0, time: 0, revision: 1, status, net: 0, categories: [...new Set(lines.map(([c]) => c))].sort(), lines };
}

test('sums orders, units and spend per category over active orders, most ordered first', () => {
  const summary = categorySummaryOf([
    order('A', [['books', 2, 1000], ['music', 1, 500]]),
    order('B', [['books', 1, 3000], ['books', 1, 1000]]),
    order('C', [['music', 1, 500]]),
    order('D', [['electronics', 1, 90000]], 'VOIDED'),
  ]);
  assert.deepEqual(summary, [
    { category: 'books', orders: 2, quantity: 4, spend_minor: 6000 },
    { category: 'music', orders: 2, quantity: 2, spend_minor: 1000 },
  ]);
});

test('an order without lines (categories only) still counts for its categories', () => {
  const old: PurchasedOrder = { orderId: 'A', day: 0, time: 0, revision: 1, status: 'ACTIVE', net: 100, categories: ['music'], lines: [] };
  assert.deepEqual(categorySummaryOf([old]), [{ category: 'music', orders: 1, quantity: 0, spend_minor: 0 }]);
});

test(`keeps at most ${MAX_SUMMARY_CATEGORIES} categories, the most ordered`, () => {
  const orders = Array.from({ length: 20 }, (_, i) => order(`O${i}`, Array.from({ length: i + 1 }, (_, k) => [`c${String(k).padStart(2, '0')}`, 1, 100] as [string, number, number])));
  const summary = categorySummaryOf(orders);
  assert.equal(summary.length, MAX_SUMMARY_CATEGORIES);
  assert.equal(summary[0].category, 'c00'); // in all 20 orders
  assert.ok(!summary.some((s) => s.category === 'c19')); // in one order only
});

/** Orders with random lines, some placed twice with different lines (a retried checkout), some refunded or cancelled. */
const orderEvents = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 300 }),
      lines: fc.array(fc.tuple(fc.constantFrom('books', 'music', 'movies', 'home'), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 5000 })), { minLength: 1, maxLength: 4 }),
      retryLines: fc.option(fc.array(fc.tuple(fc.constantFrom('books', 'beauty'), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 5000 })), { minLength: 1, maxLength: 2 })),
      fate: fc.constantFrom('paid', 'paid', 'cancelled', 'refunded', 'partly-refunded'),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((orders) =>
    orders.flatMap((o, i): Array<OrderEvent | PaymentEvent> => {
      const id = `O${i}`;
      const at = day(o.day);
      const placedWith = (lines: Array<[string, number, number]>, suffix: string, when: number): OrderEvent => ({
        event_id: `${id}-placed${suffix}`, event_time: when, type: 'ORDER_PLACED', customer_id: 'C1', order_id: id, amount_minor: 10_000, currency: 'USD',
        line_items: lines.map(([category, quantity, unit], k) => ({ sku: `${category}-${k}`, category, quantity, unit_price_minor: unit })),
      });
      const events: Array<OrderEvent | PaymentEvent> = [placedWith(o.lines, '', at), payment('PAYMENT_CAPTURED', id, 10_000, at + 60_000)];
      if (o.retryLines) events.push(placedWith(o.retryLines, '-retry', at + 5_000));
      if (o.fate === 'cancelled') events.push({ ...placedWith([], '-cancelled', at + 30_000), type: 'ORDER_CANCELLED' });
      if (o.fate === 'refunded') events.push(payment('PAYMENT_REFUNDED', id, 10_000, at + 86_400_000));
      if (o.fate === 'partly-refunded') events.push(payment('PAYMENT_REFUNDED', id, 3_000, at + 86_400_000));
      return events;
    }),
  );

function pipeline(events: Array<OrderEvent | PaymentEvent>): CustomerPurchaseHistory | undefined {
  const ledgers = new Map<string, OrderLedger>();
  const purchases: PurchaseEvent[] = [];
  for (const e of events) {
    const ledger = ledgers.get(e.order_id) ?? emptyLedger(e.customer_id, e.order_id, 'USD');
    const r = 'line_items' in e ? applyOrderEvent(ledger, e) : applyPaymentEvent(ledger, e);
    ledgers.set(e.order_id, r.ledger);
    if (r.purchase) purchases.push(r.purchase);
  }
  let h: CustomerPurchaseHistory | undefined;
  for (const p of purchases) h = applyPurchase(h, p, utc).history;
  return h;
}

test('the category summary on the features event does not depend on event order, and duplicates never count (property)', () => {
  fc.assert(
    fc.property(orderEvents, fc.infiniteStream(fc.nat()), fc.array(fc.nat(), { maxLength: 10 }), (events, noise, dupes) => {
      const shuffled = shuffledWithDuplicates(events, noise, dupes);
      const a = pipeline(events);
      const b = pipeline(shuffled);
      const summaryOf = (h: CustomerPurchaseHistory | undefined) => (h ? featuresOf(h, day(400), 'x')?.category_summary ?? null : null);
      assert.deepEqual(summaryOf(b), summaryOf(a));
    }),
    { numRuns: 300 },
  );
});
