import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compositeKey } from '../core/composite-key.js';
import type { OrderEvent, PaymentEvent } from '../core/events.js';
import { applyOrderEvent, applyPaymentEvent, emptyLedger, type OrderLedger } from '../processors/purchases/purchase-joiner.js';
import { orderLedgerCodec } from '../processors/state-codecs/order-ledger-codec.js';
import { cancelled, day, payment, placed } from './support/commerce-events.js';

function ledgerOf(events: Array<OrderEvent | PaymentEvent>, customer = 'C1'): OrderLedger {
  let ledger = emptyLedger(customer, events[0].order_id, 'USD');
  for (const e of events) ledger = ('line_items' in e ? applyOrderEvent(ledger, e) : applyPaymentEvent(ledger, e)).ledger;
  return ledger;
}

/** What the JSON codec (state format 4) gave back: the bar the compact codec must meet. */
function assertRoundTrip(ledger: OrderLedger, key = compositeKey(ledger.customerId, ledger.orderId)): string {
  const text = orderLedgerCodec.encode(ledger, key);
  const back = orderLedgerCodec.decode(text, key);
  assert.deepStrictEqual(back, JSON.parse(JSON.stringify(ledger)));
  assert.equal(JSON.stringify(back), JSON.stringify(ledger), 'the same fields in the same order');
  return text;
}

const settled = () => ledgerOf([placed('O1', 1500, day(3), 'C1', ['music', 'books', 'music']), payment('PAYMENT_CAPTURED', 'O1', 1500, day(3) + 60_000)]);

test('a placed and captured order round-trips, in under a quarter of its JSON', () => {
  const ledger = settled();
  const text = assertRoundTrip(ledger);
  assert.ok(text.length < JSON.stringify(ledger).length / 4, `${text.length} vs ${JSON.stringify(ledger).length} characters`);
});

test('the emitted detail is stored once and comes back as the ledger\'s own values, as settle() leaves it', () => {
  const ledger = settled();
  assert.ok(ledger.emitted);
  const back = orderLedgerCodec.decode(orderLedgerCodec.encode(ledger, 'C1/O1'), 'C1/O1');
  assert.equal(back.emitted!.detail.lineItems, back.lineItems);
  assert.equal(back.emitted!.detail.categories, back.categories);
});

test('an emitted detail that differs from the ledger\'s is kept as it was', () => {
  const ledger = settled();
  const other: OrderLedger = { ...ledger, emitted: { ...ledger.emitted!, detail: { placedAt: day(2), categories: ['toys'], lineItems: [{ category: 'toys', quantity: 2, unit_price_minor: 999 }] } } };
  assertRoundTrip(other);
  assertRoundTrip({ ...ledger, emitted: { ...ledger.emitted!, detail: { ...ledger.emitted!.detail, placedAt: null } } });
});

test('every stage of an order round-trips: nothing yet, capture first, refunded, cancelled, payment retries, an old event out of the window', () => {
  const stages: Array<Array<OrderEvent | PaymentEvent>> = [
    [payment('PAYMENT_FAILED', 'O2', 900, day(1))],
    [payment('PAYMENT_CAPTURED', 'O2', 900, day(1)), payment('PAYMENT_CAPTURED', 'O2', 800, day(1), '-retry')],
    [placed('O2', 900, day(1)), payment('PAYMENT_CAPTURED', 'O2', 900, day(1)), payment('PAYMENT_REFUNDED', 'O2', 300, day(4)), payment('PAYMENT_REFUNDED', 'O2', 600, day(9), '-2')],
    [placed('O2', 900, day(1)), cancelled('O2', day(2))],
    [placed('O2', 900, day(1)), payment('PAYMENT_CAPTURED', 'O2', 900, day(90)), placed('O2', 900, day(0), 'C1', ['books'])],
  ];
  assertRoundTrip(emptyLedger('C1', 'O2', 'USD'));
  for (const events of stages) assertRoundTrip(ledgerOf(events));
});

test('a placement not among the ids seen, and categories that are not the lines\' own, are kept', () => {
  const ledger = settled();
  assertRoundTrip({ ...ledger, lineItemsFrom: [day(3), 'evt-forgotten'] });
  assertRoundTrip({ ...ledger, categories: ['books', 'music', 'toys'] });
  assertRoundTrip({ ...ledger, categories: [] });
  // The lines' categories, but unsorted or repeated: not what the lines give, so stored.
  assertRoundTrip({ ...ledger, categories: ['music', 'books'] });
  assertRoundTrip({ ...ledger, categories: ['books', 'books', 'music'] });
});

test('ids come from the key; ids the key does not say (escaped parts, another key) are stored', () => {
  const awkward = ledgerOf([placed('O/7%', 500, day(3), 'C/1%'), payment('PAYMENT_CAPTURED', 'O/7%', 500, day(3), '', 'C/1%')], 'C/1%');
  const text = assertRoundTrip(awkward);
  assert.ok(!text.includes('C/1%'), 'the customer id is the key\'s');
  assertRoundTrip(settled(), 'another/key');
});

test('a value that is not an order ledger of state format 5 fails with a message saying so', () => {
  const key = 'C1/O1';
  const good = JSON.parse(orderLedgerCodec.encode(settled(), key)) as unknown[];
  const bad = (fields: unknown[]) => JSON.stringify(fields);
  const cases: Array<[string, RegExp]> = [
    [JSON.stringify(settled()), /not an order ledger of state format 5: expected a JSON array of 15 fields, got object/],
    ['{"customerId":', /not an order ledger of state format 5: not JSON/],
    [bad(good.slice(1)), /expected 15 fields, got 14/],
    [bad(good.map((v, i) => (i === 3 ? 42 : v))), /field 3 \(currency\) should be a string, got 42/],
    [bad(good.map((v, i) => (i === 4 ? ['music', 1] : v))), /field 4 \(lineItems\) should be an array of 3-field records/],
    [bad(good.map((v, i) => (i === 14 ? [2, 'ACTIVE', 1500] : v))), /field 1 \(status\) should be 1 \(ACTIVE\) or 0 \(VOIDED\)/],
  ];
  for (const [text, message] of cases) assert.throws(() => orderLedgerCodec.decode(text, key), message);
  assert.throws(() => orderLedgerCodec.decode(orderLedgerCodec.encode(settled(), key), 'C1'), /"C1" is not compositeKey\(customerId, orderId\)/);
});

test('a time that JSON cannot hold is refused when encoding, not stored as null', () => {
  assert.throws(() => orderLedgerCodec.encode({ ...settled(), seen: [['e1', Number.NaN]] }, 'C1/O1'), /cannot encode seen event time NaN/);
});
