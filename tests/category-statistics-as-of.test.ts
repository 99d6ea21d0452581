import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { categoryStatisticsAsOf } from '../processors/features/category-statistics-as-of.js';
import type { CustomerPurchaseHistory, PurchasedOrder } from '../processors/features/customer-purchase-history.js';

const order = (orderId: string, time: number, lines: Array<[string, number, number]>, status: PurchasedOrder['status'] = 'ACTIVE'): PurchasedOrder =>
  ({ orderId, day: time, time, revision: 1, status, net: 100, categories: [...new Set(lines.map(([c]) => c))].sort(), lines });

test('counts the active orders placed by the as-of time, across every customer in the feature store', async () => {
  const store = new InMemoryStateStore<CustomerPurchaseHistory>();
  await store.setMany(new Map([
    ['C1', { customerId: 'C1', currency: 'USD', orders: [order('A', 10, [['books', 1, 1000], ['music', 1, 500]]), order('B', 20, [['books', 1, 3000]], 'VOIDED')], compacted: null }],
    ['C2', { customerId: 'C2', currency: 'USD', orders: [order('C', 15, [['books', 2, 2000], ['music', 1, 700]]), order('D', 99, [['movies', 1, 1800]])], compacted: null }],
    // An order without lines (e.g. an API event with categories only).
    ['C3', { customerId: 'C3', currency: 'USD', orders: [{ orderId: 'E', day: 5, time: 5, revision: 2, status: 'ACTIVE', net: 100, categories: ['music'], lines: [] }], compacted: null }],
  ]));
  const stats = await categoryStatisticsAsOf(store, 50);
  assert.equal(stats.orders, 3); // A, C and E: B is voided, D after the as-of
  assert.deepEqual(stats.categories.map((c) => [c.name, c.orders]), [['books', 2], ['music', 3]]);
  assert.deepEqual(stats.pairs, [[0, 1, 2]]);
  // Books units: 10.00 ×1 and 20.00 ×2; the voided 30.00 does not count.
  assert.equal(stats.categories[0].pricePercentilesMinor[0], 1000);
  assert.equal(stats.categories[0].pricePercentilesMinor[100], 2000);
});
