import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { dayIndexer } from '../core/calendar.js';
import { ReturnGapSample } from '../core/one-time-buyer-lapse.js';
import type { CustomerPurchaseHistory, PurchasedOrder } from '../processors/features/customer-purchase-history.js';
import { addFirstTwoPurchaseDays, oneTimeBuyerLapseAsOf } from '../processors/features/one-time-buyer-lapse-as-of.js';
import { day } from './support/commerce-events.js';

const dayOf = dayIndexer('UTC');
const order = (id: string, d: number, status: PurchasedOrder['status'] = 'ACTIVE'): PurchasedOrder => ({
  orderId: id, day: dayOf(day(d)), time: day(d), revision: 1, status, net: 1000, categories: [], lines: [],
});
const history = (customerId: string, orders: PurchasedOrder[]): CustomerPurchaseHistory => ({ customerId, currency: 'USD', orders, compacted: null });
const settings = { atRiskPAlive: 0.5, lostPAlive: 0.2, oneTimeBuyerAtRiskDays: 0, oneTimeBuyerLostDays: 0 };

/**
 * The gap between the first and second purchase day the history gives as of `asOfDay`, or −1
 * for none: thirty copies of the customer make every quantile of the lapse that one gap
 * (the lapse as of day 400, a 200-day window).
 */
function returnGap(h: CustomerPurchaseHistory, asOfDay: number): number {
  const sample = new ReturnGapSample();
  for (let i = 0; i < 30; i++) addFirstTwoPurchaseDays(sample, h, day(asOfDay));
  return sample.lapse(dayOf(day(400)), { atRiskDays: -1, lostDays: -1, source: 'rules', returnGaps: 0 }).atRiskDays;
}

test('the second purchase day skips voided orders, same-day orders and orders after the as-of, in any order', () => {
  const orders = [order('late', 390), order('void', 5, 'VOIDED'), order('b', 10), order('a', 0), order('same-day', 0), order('c', 20)];
  assert.deepEqual(returnGap(history('C', orders), 400), 10);
  assert.deepEqual(returnGap(history('C', orders.slice().reverse()), 400), 10);
  assert.deepEqual(returnGap(history('C', [order('a', 0), order('later', 150)]), 100), -1, 'one purchase by day 100: no return');
});

test('learned from the feature store, with configured days taking precedence', async () => {
  const store = new InMemoryStateStore<CustomerPurchaseHistory>();
  const entries = new Map<string, CustomerPurchaseHistory>();
  for (let g = 1; g <= 50; g++) entries.set(`R${g}`, history(`R${g}`, [order('a', 0), order('b', 2 * g)]));
  for (let i = 0; i < 50; i++) entries.set(`O${i}`, history(`O${i}`, [order('a', 0)]));
  await store.setMany(entries);
  // 50 gaps 2, 4, …, 100: the 80th percentile is the 41st (82), the 95th the 48th (96).
  assert.deepEqual(await oneTimeBuyerLapseAsOf(store, day(400), dayOf, settings), { atRiskDays: 82, lostDays: 96, source: 'return-gaps', returnGaps: 50 });
  assert.deepEqual(
    await oneTimeBuyerLapseAsOf(store, day(400), dayOf, { ...settings, oneTimeBuyerAtRiskDays: 60 }),
    { atRiskDays: 60, lostDays: 96, source: 'config', returnGaps: 50 },
  );
  // As of day 40 only gaps up to 40 days have happened, and the window (20 days) keeps those up to 20: 10 gaps, too few.
  assert.deepEqual(await oneTimeBuyerLapseAsOf(store, day(40), dayOf, settings), { atRiskDays: 152, lostDays: 235, source: 'rules', returnGaps: 0 });
});
