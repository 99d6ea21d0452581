import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderEvent, PaymentEvent, PurchaseEvent } from '../core/events.js';
import { applyOrderEvent, applyPaymentEvent, emptyLedger, type OrderLedger } from '../processors/purchases/purchase-joiner.js';
import { cancelled, day, payment, placed } from './support/commerce-events.js';

function run(events: Array<OrderEvent | PaymentEvent>): { ledger: OrderLedger; purchases: PurchaseEvent[] } {
  let ledger = emptyLedger('C1', events[0].order_id, 'USD');
  const purchases: PurchaseEvent[] = [];
  for (const e of events) {
    const r = 'line_items' in e ? applyOrderEvent(ledger, e) : applyPaymentEvent(ledger, e);
    ledger = r.ledger;
    if (r.purchase) purchases.push(r.purchase);
  }
  return { ledger, purchases };
}

const last = (ps: PurchaseEvent[]) => ps[ps.length - 1];

test('order then capture makes one active purchase dated by the order', () => {
  const { purchases } = run([placed('O1', 1500, day(3)), payment('PAYMENT_CAPTURED', 'O1', 1500, day(5))]);
  assert.equal(purchases.length, 1);
  assert.deepEqual(
    { status: purchases[0].status, net: purchases[0].net_amount_minor, time: purchases[0].event_time, rev: purchases[0].revision, id: purchases[0].event_id },
    // Numbered by the events applied: the order and the capture.
    { status: 'ACTIVE', net: 1500, time: day(3), rev: 2, id: 'O1:2' },
  );
});

test('capture before order joins the same way', () => {
  const { purchases } = run([payment('PAYMENT_CAPTURED', 'O1', 1500, day(3)), placed('O1', 1500, day(3))]);
  assert.equal(purchases.length, 1);
  assert.equal(purchases[0].net_amount_minor, 1500);
});

test('an order without a capture, or with only a failed payment, is no purchase', () => {
  assert.equal(run([placed('O1', 1500, day(3))]).purchases.length, 0);
  assert.equal(run([placed('O1', 1500, day(3)), payment('PAYMENT_FAILED', 'O1', 1500, day(3))]).purchases.length, 0);
});

test('a cancellation before capture voids the purchase (never active), whatever the arrival order', () => {
  const events = [placed('O1', 1500, day(3)), cancelled('O1', day(4)), payment('PAYMENT_CAPTURED', 'O1', 1500, day(5))];
  // VOIDED, not nothing: the features must see the order in every arrival order (a customer
  // whose only order it was then ends with no active order, never with a stale score).
  assert.deepEqual(run(events).purchases.map((p) => [p.revision, p.status, p.net_amount_minor]), [[3, 'VOIDED', 0]]);
  assert.deepEqual(run([events[1], events[2], events[0]]).purchases.map((p) => [p.revision, p.status, p.net_amount_minor]), [[3, 'VOIDED', 0]]);
  // Cancelled but never captured: no purchase at all, in either order.
  assert.equal(run([events[0], events[1]]).purchases.length, 0);
  assert.equal(run([events[1], events[0]]).purchases.length, 0);
});

test('a capture refunded in full before its order arrives: the order is emitted VOIDED, as its last revision is when it arrives first', () => {
  const order = placed('O1', 1500, day(3));
  const capture = payment('PAYMENT_CAPTURED', 'O1', 1500, day(3));
  const refund = payment('PAYMENT_REFUNDED', 'O1', 1500, day(6));
  const early = run([capture, refund, order]).purchases;
  const first = run([order, capture, refund]).purchases;
  assert.deepEqual(early.map((p) => [p.revision, p.status]), [[3, 'VOIDED']]);
  assert.deepEqual(first.map((p) => [p.revision, p.status]), [[2, 'ACTIVE'], [3, 'VOIDED']]);
  // Numbered by the three events in both: the same last revision, id included.
  assert.deepEqual(last(early), last(first));
});

test('a cancellation after a capture voids the purchase already emitted', () => {
  const { purchases } = run([placed('O1', 1500, day(3)), payment('PAYMENT_CAPTURED', 'O1', 1500, day(3)), cancelled('O1', day(9))]);
  assert.deepEqual(purchases.map((p) => [p.revision, p.status]), [[2, 'ACTIVE'], [3, 'VOIDED']]);
});

test('refunds reduce the value; a full refund voids the purchase', () => {
  const partial = run([placed('O1', 1500, day(3)), payment('PAYMENT_CAPTURED', 'O1', 1500, day(3)), payment('PAYMENT_REFUNDED', 'O1', 500, day(10))]);
  assert.equal(last(partial.purchases).net_amount_minor, 1000);
  assert.equal(last(partial.purchases).status, 'ACTIVE');
  const full = run([
    placed('O1', 1500, day(3)),
    payment('PAYMENT_CAPTURED', 'O1', 1500, day(3)),
    payment('PAYMENT_REFUNDED', 'O1', 500, day(10), 'a'),
    payment('PAYMENT_REFUNDED', 'O1', 1000, day(11), 'b'),
  ]);
  assert.equal(last(full.purchases).status, 'VOIDED');
  assert.equal(last(full.purchases).net_amount_minor, 0);
});

test('a duplicate event (same event_id) never counts twice', () => {
  const refund = payment('PAYMENT_REFUNDED', 'O1', 500, day(10));
  const capture = payment('PAYMENT_CAPTURED', 'O1', 1500, day(3));
  const { purchases, ledger } = run([placed('O1', 1500, day(3)), capture, capture, refund, refund]);
  assert.equal(last(purchases).net_amount_minor, 1000);
  assert.equal(ledger.seen.length, 2);
  assert.deepEqual(ledger.refundIds, [refund.event_id]);
  assert.equal(purchases.length, 2);
});

test('the final revision is the same for every arrival order', () => {
  const events = [
    placed('O1', 3000, day(3), 'C1', ['jazz', 'rock']),
    payment('PAYMENT_FAILED', 'O1', 3000, day(3)),
    payment('PAYMENT_CAPTURED', 'O1', 3000, day(4)),
    payment('PAYMENT_REFUNDED', 'O1', 700, day(12)),
  ];
  const permutations = (xs: typeof events): (typeof events)[] =>
    xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
  const finals = permutations(events).map((p) => {
    const f = last(run(p).purchases);
    return `${f.status}/${f.net_amount_minor}/${f.event_time}/${f.categories.join(',')}`;
  });
  assert.deepEqual(new Set(finals), new Set([`ACTIVE/2300/${day(3)}/jazz,rock`]));
});

test('a zero-value order that is captured is a purchase (CDNOW has $0 rows that count as transactions)', () => {
  const { purchases } = run([placed('O1', 0, day(3)), payment('PAYMENT_CAPTURED', 'O1', 0, day(3))]);
  assert.deepEqual(purchases.map((p) => [p.status, p.net_amount_minor]), [['ACTIVE', 0]]);
});

test('the purchase carries the order lines without SKUs, same category and price merged, sorted', () => {
  const order: OrderEvent = {
    ...placed('A', 4500, day(1)),
    line_items: [
      { sku: 'm-1', category: 'music', quantity: 1, unit_price_minor: 1500 },
      { sku: 'b-1', category: 'books', quantity: 1, unit_price_minor: 1000 },
      { sku: 'm-2', category: 'music', quantity: 1, unit_price_minor: 1500 },
      { sku: 'b-2', category: 'books', quantity: 1, unit_price_minor: 500 },
    ],
  };
  const { purchases } = run([order, payment('PAYMENT_CAPTURED', 'A', 4500, day(1))]);
  assert.deepEqual(purchases.at(-1)?.line_items, [
    { category: 'books', quantity: 1, unit_price_minor: 500 },
    { category: 'books', quantity: 1, unit_price_minor: 1000 },
    { category: 'music', quantity: 2, unit_price_minor: 1500 },
  ]);
});

test('a retried checkout takes the lines of the earliest placement, even when it arrives after the purchase was emitted', () => {
  const first: OrderEvent = { ...placed('A', 1000, day(1, 9), 'C1', ['books']), event_id: 'A-placed-1' };
  const retry: OrderEvent = { ...placed('A', 1000, day(1, 10), 'C1', ['music']), event_id: 'A-placed-2' };
  const capture = payment('PAYMENT_CAPTURED', 'A', 1000, day(1, 11));
  const inOrder = run([first, retry, capture]).purchases.at(-1)!;
  const late = run([retry, capture, first]).purchases.at(-1)!;
  assert.deepEqual(late.line_items, [{ category: 'books', quantity: 1, unit_price_minor: 0 }]);
  assert.deepEqual({ ...late, event_id: '', revision: 0 }, { ...inOrder, event_id: '', revision: 0 });
  assert.equal(late.event_time, day(1, 9));
});

test('a ledger read back from JSON (as a Redis-backed store returns it) still tells a changed purchase from an unchanged one', () => {
  const first: OrderEvent = { ...placed('A', 1000, day(1, 9), 'C1', ['books']), event_id: 'A-placed-1' };
  const retry: OrderEvent = { ...placed('A', 1000, day(1, 10), 'C1', ['music']), event_id: 'A-placed-2' };
  const { ledger } = run([retry, payment('PAYMENT_CAPTURED', 'A', 1000, day(1, 11))]);
  const asJsonCopy = JSON.parse(JSON.stringify(ledger)) as OrderLedger;
  for (const stored of [ledger, asJsonCopy]) {
    // A failed payment changes nothing but is a new event: the same content under revision 3
    // (revisions count events, so a rebuilt ledger numbers them alike).
    const failed = applyPaymentEvent(stored, payment('PAYMENT_FAILED', 'A', 1000, day(1, 12))).purchase;
    assert.deepEqual([failed?.revision, failed?.status, failed?.net_amount_minor], [3, 'ACTIVE', 1000]);
    // Redelivered: no revision.
    assert.equal(applyPaymentEvent(stored, payment('PAYMENT_CAPTURED', 'A', 1000, day(1, 11))).purchase, null);
    // The earlier placement moves the date and the lines: a new revision.
    assert.equal(applyOrderEvent(stored, first).purchase?.revision, 3);
  }
});

/** An order kept open for two years: daily declined payment retries and monthly partial refunds, each redelivered a day later. */
function longLivedOrder(): Array<OrderEvent | PaymentEvent> {
  const events: Array<OrderEvent | PaymentEvent> = [placed('O1', 1_000_000, day(0)), payment('PAYMENT_CAPTURED', 'O1', 1_000_000, day(0, 13))];
  for (let d = 1; d <= 730; d++) {
    const failed = payment('PAYMENT_FAILED', 'O1', 100, day(d), `-${d}`);
    events.push(failed);
    if (d % 30 === 0) {
      const refund = payment('PAYMENT_REFUNDED', 'O1', 1_000, day(d, 14), `-${d}`);
      events.push(refund, refund); // the duplicate, as a redelivery brings it
    }
  }
  return events;
}

test('a long-lived order keeps event ids only within the dedup window, stays small, and still counts each refund once', () => {
  const { ledger, purchases } = run(longLivedOrder());
  const bytes = Buffer.byteLength(JSON.stringify(ledger));
  assert.ok(bytes <= 4 * 1024, `ledger JSON ${bytes} B after ${longLivedOrder().length} events`);
  assert.equal(last(purchases).net_amount_minor, 1_000_000 - 24 * 1_000, '24 refunds, each once');
});

test('past the dedup window a redelivered refund is still told apart by its id (kept for the ledger\'s life) and a new one applied; other redelivered events are applied again and change nothing', () => {
  const refund = payment('PAYMENT_REFUNDED', 'O1', 500, day(5));
  const capture = payment('PAYMENT_CAPTURED', 'O1', 1500, day(3));
  const order = placed('O1', 1500, day(3));
  const { ledger, purchases } = run([order, capture, refund, payment('PAYMENT_FAILED', 'O1', 1, day(60))]);
  assert.deepEqual(ledger.seen.map(([id]) => id), ['O1-PAYMENT_FAILED'], 'only ids within 30 days of the latest event');
  assert.deepEqual(applyPaymentEvent(ledger, refund), { ledger, purchase: null }, 'the redelivered refund is a no-op');
  // A refund dated before the window that was never seen (it arrived after a later event of
  // the order) is applied: its fate does not depend on what arrived first.
  const older = payment('PAYMENT_REFUNDED', 'O1', 200, day(4), '-older');
  const applied = applyPaymentEvent(ledger, older);
  assert.equal(applied.purchase?.net_amount_minor, 800);
  assert.deepEqual(applied.ledger.refundIds, [older.event_id, refund.event_id].sort());
  for (const again of [order, capture]) {
    const r = 'line_items' in again ? applyOrderEvent(ledger, again) : applyPaymentEvent(ledger, again);
    assert.equal(r.purchase, null, `${again.event_id} changes nothing`);
    assert.equal(r.ledger.seen.length, 1, 'and is not recorded');
  }
  assert.equal(last(purchases).net_amount_minor, 1000);
});

test('a ledger rebuilt from the topics in another arrival order, with an event more, ends on a greater revision than the first ledger emitted (the features keep the highest)', () => {
  const failed = payment('PAYMENT_FAILED', 'O1', 1500, day(3));
  const order = placed('O1', 1500, day(3));
  const capture = payment('PAYMENT_CAPTURED', 'O1', 1500, day(3, 13));
  const refund = payment('PAYMENT_REFUNDED', 'O1', 500, day(9));
  const first = run([failed, order, capture]).purchases;
  // Redis lost: the ledger starts again from the topics, which now hold the refund too.
  const rebuilt = run([order, capture, refund, failed]).purchases;
  assert.ok(last(rebuilt).revision > Math.max(...first.map((p) => p.revision)), 'numbered by changes it would be 2, below the 3 the features hold');
  assert.deepEqual([last(rebuilt).revision, last(rebuilt).net_amount_minor], [4, 1000]);
});
