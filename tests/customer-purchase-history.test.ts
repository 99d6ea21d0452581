import { shuffledWithDuplicates } from './support/redelivery.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dayIndexer } from '../core/calendar.js';
import type { OrderEvent, PaymentEvent, PurchaseEvent } from '../core/events.js';
import { applyPurchase, featuresOf, latestEventTime, periodSpend, summarizeHistory, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { applyOrderEvent, applyPaymentEvent, emptyLedger, type OrderLedger } from '../processors/purchases/purchase-joiner.js';
import { cancelled, day, payment, placed } from './support/commerce-events.js';

const utc = dayIndexer('UTC');

function fold(purchases: PurchaseEvent[]): CustomerPurchaseHistory | undefined {
  let h: CustomerPurchaseHistory | undefined;
  for (const p of purchases) h = applyPurchase(h, p, utc).history;
  return h;
}

function join(events: Array<OrderEvent | PaymentEvent>): PurchaseEvent[] {
  const ledgers = new Map<string, OrderLedger>();
  const out: PurchaseEvent[] = [];
  for (const e of events) {
    const ledger = ledgers.get(e.order_id) ?? emptyLedger(e.customer_id, e.order_id, 'USD');
    const r = 'line_items' in e ? applyOrderEvent(ledger, e) : applyPaymentEvent(ledger, e);
    ledgers.set(e.order_id, r.ledger);
    if (r.purchase) out.push(r.purchase);
  }
  return out;
}

/** A random customer history: orders on random days, some cancelled, some refunded. */
const orderEvents = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 400 }),
      hour: fc.integer({ min: 0, max: 23 }),
      amount: fc.integer({ min: 0, max: 50_000 }),
      fate: fc.constantFrom('paid', 'paid', 'paid', 'unpaid', 'cancelled', 'refunded', 'partly-refunded'),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((orders) =>
    orders.flatMap((o, i): Array<OrderEvent | PaymentEvent> => {
      const id = `O${i}`;
      const at = day(o.day, o.hour);
      const events: Array<OrderEvent | PaymentEvent> = [placed(id, o.amount, at)];
      if (o.fate !== 'unpaid') events.push(payment('PAYMENT_CAPTURED', id, o.amount, at + 60_000));
      if (o.fate === 'cancelled') events.push(cancelled(id, at + 30_000));
      if (o.fate === 'refunded') events.push(payment('PAYMENT_REFUNDED', id, o.amount, at + 86_400_000));
      if (o.fate === 'partly-refunded') events.push(payment('PAYMENT_REFUNDED', id, Math.floor(o.amount / 3), at + 86_400_000));
      return events;
    }),
  );

test('RFM does not depend on event order, and duplicates never count (property)', () => {
  fc.assert(
    fc.property(orderEvents, fc.infiniteStream(fc.nat()), fc.array(fc.nat(), { maxLength: 10 }), (events, noise, dupes) => {
      const shuffled = shuffledWithDuplicates(events, noise, dupes);
      const a = fold(join(events));
      const b = fold(join(shuffled));
      // No history at all and a history of voided orders both mean "no purchase".
      assert.deepEqual(a ? summarizeHistory(a) : null, b ? summarizeHistory(b) : null);
    }),
    { numRuns: 300 },
  );
});

test('purchase revisions applied in any order, repeated, converge (property)', () => {
  const purchases = (n: number) =>
    Array.from({ length: n }, (_, r): PurchaseEvent => ({
      event_id: `O1:${r + 1}`, event_time: day(5), customer_id: 'C1', order_id: 'O1', revision: r + 1,
      status: r === n - 1 && n > 2 ? 'VOIDED' : 'ACTIVE', net_amount_minor: 1000 - r * 100, currency: 'USD', categories: [], line_items: [],
    }));
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.nat(), { minLength: 1, maxLength: 15 }), (n, picks) => {
      const all = purchases(n);
      const shuffledWithRepeats = [...picks.map((p) => all[p % n]), ...all].reverse();
      assert.deepEqual(fold(shuffledWithRepeats)?.orders, fold(all)?.orders);
    }),
  );
});

test('purchases on one calendar day are one transaction, as in the BG/NBD papers', () => {
  const h = fold(join([
    placed('A', 1000, day(0, 9)), payment('PAYMENT_CAPTURED', 'A', 1000, day(0, 9)),
    placed('B', 500, day(0, 18)), payment('PAYMENT_CAPTURED', 'B', 500, day(0, 18)),
    placed('C', 700, day(14, 10)), payment('PAYMENT_CAPTURED', 'C', 700, day(14, 10)),
    placed('D', 300, day(14, 11)), payment('PAYMENT_CAPTURED', 'D', 300, day(14, 11)),
  ]))!;
  assert.deepEqual(summarizeHistory(h), {
    firstDay: utc(day(0)), lastDay: utc(day(14)), purchaseDays: 2, repeatPurchaseDays: 1, repeatValueMinor: 1000, totalValueMinor: 2500,
  });
});

test('the calendar day follows the configured time zone', () => {
  // 20:00 UTC on day 0 is already day 1 in Ho Chi Minh City (UTC+7): two transactions there, one in UTC.
  const events = [
    placed('A', 1000, day(0, 10)), payment('PAYMENT_CAPTURED', 'A', 1000, day(0, 10)),
    placed('B', 500, day(0, 20)), payment('PAYMENT_CAPTURED', 'B', 500, day(0, 20)),
  ];
  const vn = dayIndexer('Asia/Ho_Chi_Minh');
  let h: CustomerPurchaseHistory | undefined;
  for (const p of join(events)) h = applyPurchase(h, p, vn).history;
  assert.equal(summarizeHistory(h!)?.repeatPurchaseDays, 1);
  assert.equal(summarizeHistory(fold(join(events))!)?.repeatPurchaseDays, 0);
});

test('features carry first/last purchase times and an as-of no earlier than the last purchase', () => {
  const h = fold(join([
    placed('A', 1000, day(2)), payment('PAYMENT_CAPTURED', 'A', 1000, day(2)),
    placed('B', 400, day(9)), payment('PAYMENT_CAPTURED', 'B', 400, day(9)),
  ]))!;
  const f = featuresOf(h, day(5), 'x')!;
  assert.equal(f.first_purchase_time, day(2));
  assert.equal(f.last_purchase_time, day(9));
  assert.equal(f.event_time, day(9));
  assert.equal(f.total_value_minor, 1400);
  assert.equal(featuresOf(h, day(30), 'x')!.event_time, day(30));
});

test('a customer whose every order was voided has no features', () => {
  const h = fold(join([placed('A', 1000, day(2)), payment('PAYMENT_CAPTURED', 'A', 1000, day(2)), cancelled('A', day(3))]))!;
  assert.equal(featuresOf(h, day(5), 'x'), null);
});

test('period spend buckets the last N periods, oldest first', () => {
  const h = fold(join([
    placed('A', 1000, day(0)), payment('PAYMENT_CAPTURED', 'A', 1000, day(0)),
    placed('B', 400, day(8)), payment('PAYMENT_CAPTURED', 'B', 400, day(8)),
    placed('C', 200, day(13)), payment('PAYMENT_CAPTURED', 'C', 200, day(13)),
  ]))!;
  assert.deepEqual(periodSpend(h, utc(day(13)), 7, 3), [0, 1000, 600]);
});

test('the as-of (latestEventTime) is the same whether a fully refunded order arrived before or after its payments', () => {
  const o1 = [placed('O1', 5000, day(10)), payment('PAYMENT_CAPTURED', 'O1', 5000, day(10) + 60_000)];
  const o2 = { order: placed('O2', 3000, day(20)), paid: payment('PAYMENT_CAPTURED', 'O2', 3000, day(20) + 60_000), refunded: payment('PAYMENT_REFUNDED', 'O2', 3000, day(21)) };
  const orderFirst = fold(join([...o1, o2.order, o2.paid, o2.refunded]))!;
  const paymentsFirst = fold(join([...o1, o2.paid, o2.refunded, o2.order]))!;
  assert.equal(latestEventTime(orderFirst), day(10));
  assert.equal(latestEventTime(paymentsFirst), latestEventTime(orderFirst));
  assert.equal(featuresOf(orderFirst, latestEventTime(orderFirst), 'f')!.event_time, featuresOf(paymentsFirst, latestEventTime(paymentsFirst), 'f')!.event_time);
});
