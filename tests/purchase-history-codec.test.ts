import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexer } from '../core/calendar.js';
import { applyPurchase, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { purchaseHistoryCodec } from '../processors/state-codecs/purchase-history-codec.js';
import { longPurchaseHistory } from './support/long-purchase-history.js';

/** What the JSON codec (state format 4) gave back: the bar the compact codec must meet. */
function assertRoundTrip(history: CustomerPurchaseHistory, key = history.customerId): string {
  const text = purchaseHistoryCodec.encode(history, key);
  const back = purchaseHistoryCodec.decode(text, key);
  assert.deepStrictEqual(back, JSON.parse(JSON.stringify(history)));
  assert.equal(JSON.stringify(back), JSON.stringify(history), 'the same fields in the same order');
  return text;
}

/** Ten years of a loyal customer applied one purchase at a time: every state on the way, compacted ones included. */
function historiesOnTheWay(timeZone: string, every = 50): CustomerPurchaseHistory[] {
  const dayOf = dayIndexer(timeZone);
  const out: CustomerPurchaseHistory[] = [];
  let history: CustomerPurchaseHistory | undefined;
  for (const [i, p] of longPurchaseHistory().purchases.entries()) {
    history = applyPurchase(history, p, dayOf).history;
    if (i % every === 0) out.push(history);
  }
  out.push(history!);
  return out;
}

test('ten years of purchases round-trip at every stage, compacted days and voided orders included, in under half their JSON', () => {
  const states = historiesOnTheWay('UTC');
  assert.ok(states.at(-1)!.compacted !== null && states.at(-1)!.orders.some((o) => o.status === 'VOIDED'));
  for (const h of states) assertRoundTrip(h);
  const last = states.at(-1)!;
  const text = purchaseHistoryCodec.encode(last, last.customerId);
  assert.ok(text.length < JSON.stringify(last).length / 2, `${text.length} vs ${JSON.stringify(last).length} characters`);
});

test('days counted in a time zone far from UTC (either side) round-trip', () => {
  for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/New_York']) {
    const states = historiesOnTheWay(zone, 400);
    for (const h of states) assertRoundTrip(h);
  }
});

test('categories that are not an order\'s lines\' own, orders without lines, and a customer id the key does not say are kept', () => {
  const h = historiesOnTheWay('UTC', 10_000)[0];
  const order = h.orders[0];
  assertRoundTrip({ ...h, orders: [{ ...order, categories: ['toys', ...order.categories] }] });
  assertRoundTrip({ ...h, orders: [{ ...order, lines: [] }, { ...order, orderId: 'O-none', categories: [], lines: [] }] });
  assertRoundTrip({ ...h, orders: [] });
  assertRoundTrip(h, 'another-key');
});

test('a value that is not a purchase history of state format 5 fails with a message saying so', () => {
  const h = historiesOnTheWay('UTC', 10_000)[0];
  const good = JSON.parse(purchaseHistoryCodec.encode(h, h.customerId)) as unknown[];
  const cases: Array<[string, RegExp]> = [
    [JSON.stringify(h), /not a purchase history of state format 5: expected a JSON array of 4 fields, got object/],
    ['[0, "USD"', /not a purchase history of state format 5: not JSON/],
    [JSON.stringify([0, 'USD', [['O1', 1, 0, 1, 1, 100, 0]], null]), /not a purchase history's order of state format 5: expected 8 fields, got 7/],
    [JSON.stringify(good.map((v, i) => (i === 2 ? 'orders' : v))), /field 2 \(orders\) should be an array, got "orders"/],
    [JSON.stringify(good.map((v, i) => (i === 3 ? [1, [], null, 0] : v))), /not a purchase history's compacted days of state format 5: expected 6 fields, got 4/],
  ];
  for (const [text, message] of cases) assert.throws(() => purchaseHistoryCodec.decode(text, h.customerId), message);
});
