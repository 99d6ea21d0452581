/**
 * Purchase histories for training tests, from a seeded BG/NBD-like process: customers join
 * in the first 120 days, buy at a rate drawn per customer, and drop out after any purchase
 * with a probability drawn per customer. Days count from 1997-01-01 (UTC).
 */
import { InMemoryStateStore } from '../../adapters/in-memory/in-memory-state-store.js';
import { MS_PER_DAY } from '../../core/calendar.js';
import type { CustomerPurchaseHistory, PurchasedOrder } from '../../processors/features/customer-purchase-history.js';
import { createRng } from '../../producers/synthetic/prng.js';

export const EPOCH_DAY = Date.UTC(1997, 0, 1) / MS_PER_DAY;
export const endOfDay = (d: number) => (EPOCH_DAY + d + 1) * MS_PER_DAY - 1;

export function trainingHistories(customers: number, lastDay: number, seed = 7): InMemoryStateStore<CustomerPurchaseHistory> {
  const rng = createRng(seed);
  const store = new InMemoryStateStore<CustomerPurchaseHistory>();
  const entries = new Map<string, CustomerPurchaseHistory>();
  for (let c = 0; c < customers; c++) {
    const id = `C${String(c).padStart(5, '0')}`;
    const meanGap = 10 + rng() * 80;
    const dropout = 0.05 + rng() * 0.4;
    const spend = 1000 + Math.floor(rng() * 9000);
    const orders: PurchasedOrder[] = [];
    for (let d = Math.floor(rng() * 120); d <= lastDay; d += Math.max(1, Math.round(-Math.log(1 - rng()) * meanGap))) {
      const time = (EPOCH_DAY + d) * MS_PER_DAY + 12 * 3_600_000;
      orders.push({ orderId: `${id}-${d}`, day: EPOCH_DAY + d, time, revision: 0, status: 'ACTIVE', net: Math.round(spend * (0.5 + rng())), categories: [], lines: [] });
      if (rng() < dropout) break;
    }
    entries.set(id, { customerId: id, currency: 'USD', orders, compacted: null });
  }
  void store.setMany(entries);
  return store;
}
