/**
 * A small shop with a planted revenue shape per segment, as purchase histories plus each
 * customer's segment: what a revenue forecast run reads. Each planted segment books one order
 * a day, from one of its five customers in turn; `lost` buys on 10 days only; one unscored
 * customer buys every third day. Seeded, so every run sees the same numbers.
 */
import { InMemoryStateStore } from '../../adapters/in-memory/in-memory-state-store.js';
import type { Segment } from '../../core/segmentation.js';
import { weekdayOf } from '../../models/forecast/revenue-series.js';
import type { CustomerPurchaseHistory, PurchasedOrder } from '../../processors/features/customer-purchase-history.js';

/** Planted weekly pattern of high_value, Sunday first, mean 0 (minor units): a Saturday peak. */
export const PLANTED_WEEKLY = [2000, -1500, -1500, -1000, -500, 0, 2500];
/** Planted yearly pattern of medium_value: one cycle a year, amplitude 3000 minor units. */
export const plantedYearly = (day: number) => 3000 * Math.sin((2 * Math.PI * day) / 365.25);

export async function segmentRevenueShop(fromDay: number, toDay: number) {
  let seed = 99;
  const uniform = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296 || 1e-12;
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const plans: Array<[Segment, (day: number) => number]> = [
    ['high_value', (day) => 20_000 + PLANTED_WEEKLY[weekdayOf(day)] + 300 * gauss()],
    ['medium_value', (day) => 10_000 + plantedYearly(day) + 300 * gauss()],
    ['low_value', () => 2_000 + 200 * gauss()],
  ];
  const histories = new Map<string, CustomerPurchaseHistory>();
  const segments = new Map<string, Segment | null>();
  const add = (customerId: string, segment: Segment | null, day: number, net: number) => {
    const h = histories.get(customerId) ?? { customerId, currency: 'USD', orders: [] as PurchasedOrder[], compacted: null };
    h.orders.push({ orderId: `${customerId}-${day}`, day, time: day * 86_400_000, revision: 1, status: 'ACTIVE', net: Math.max(1, Math.round(net)), categories: [], lines: [] });
    histories.set(customerId, h);
    segments.set(customerId, segment);
  };
  for (let day = fromDay; day <= toDay; day++) {
    for (const [segment, plan] of plans) add(`${segment}-${day % 5}`, segment, day, plan(day));
    if (day % 3 === 0) add('unscored-1', null, day, 500);
  }
  for (let k = 0; k < 10; k++) add('lost-1', 'lost', fromDay + 30 * k, 4000);
  const store = new InMemoryStateStore<CustomerPurchaseHistory>();
  await store.setMany(histories);
  return { histories: store, segments };
}
