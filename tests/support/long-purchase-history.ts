/**
 * Ten years of one loyal customer's purchases, as the features processor receives them: on
 * about a third of the days one or two orders of one to three lines from twelve categories;
 * some orders are later partly refunded (revision 2, three days on) or voided (revision 2, a
 * day on). Seeded, so every run sees the same 1,500-odd orders. Returned in arrival order,
 * with the history an unbounded store would keep (each order's latest revision) to compare with.
 */
import { MS_PER_DAY } from '../../core/calendar.js';
import type { PurchaseEvent, PurchaseLineItem } from '../../core/events.js';
import type { CustomerPurchaseHistory, PurchasedOrder } from '../../processors/features/customer-purchase-history.js';
import { createRng } from '../../producers/synthetic/prng.js';

export const LONG_HISTORY_FIRST_DAY = Date.UTC(2015, 0, 1) / MS_PER_DAY;
export const LONG_HISTORY_DAYS = 3_652;
const CATEGORIES = ['books', 'music', 'movies', 'games', 'garden', 'kitchen', 'toys', 'sports', 'beauty', 'tools', 'pets', 'office'];
const PRICES = [499, 999, 1_499, 2_499, 4_999];

export interface LongPurchaseHistory {
  /** In arrival order (a revision arrives after the order's earlier ones). */
  purchases: PurchaseEvent[];
  /** Every order with its latest revision, as kept without compaction. */
  everyOrder: CustomerPurchaseHistory;
  /** The last order's time, epoch ms. */
  lastOrderMs: number;
}

export function longPurchaseHistory(customerId = 'C-loyal', seed = 11): LongPurchaseHistory {
  const rng = createRng(seed);
  const arrivals: Array<{ at: number; purchase: PurchaseEvent }> = [];
  const latest = new Map<string, PurchaseEvent>();
  let lastOrderMs = 0;
  let n = 0;
  for (let d = 0; d < LONG_HISTORY_DAYS; d++) {
    if (rng() >= 0.35) continue;
    const ordersToday = rng() < 0.2 ? 2 : 1;
    for (let k = 0; k < ordersToday; k++) {
      const orderId = `O${n++}`;
      const time = (LONG_HISTORY_FIRST_DAY + d) * MS_PER_DAY + Math.floor(rng() * 86_400_000);
      const lines: PurchaseLineItem[] = [];
      const lineCount = 1 + Math.floor(rng() * 3);
      for (let l = 0; l < lineCount; l++) {
        lines.push({ category: CATEGORIES[Math.floor(rng() * CATEGORIES.length)], quantity: 1 + Math.floor(rng() * 3), unit_price_minor: PRICES[Math.floor(rng() * PRICES.length)] });
      }
      lines.sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : a.unit_price_minor - b.unit_price_minor));
      const net = lines.reduce((s, l) => s + l.quantity * l.unit_price_minor, 0);
      const categories = [...new Set(lines.map((l) => l.category))].sort();
      const first: PurchaseEvent = { event_id: `${orderId}:1`, event_time: time, customer_id: customerId, order_id: orderId, revision: 1, status: 'ACTIVE', net_amount_minor: net, currency: 'USD', categories, line_items: lines };
      arrivals.push({ at: time + 60_000, purchase: first });
      latest.set(orderId, first);
      const fate = rng();
      if (fate < 0.08) {
        const refunded = { ...first, event_id: `${orderId}:2`, revision: 2, net_amount_minor: Math.round(net * 0.6) };
        arrivals.push({ at: time + 3 * MS_PER_DAY, purchase: refunded });
        latest.set(orderId, refunded);
      } else if (fate < 0.11) {
        const voided = { ...first, event_id: `${orderId}:2`, revision: 2, status: 'VOIDED' as const, net_amount_minor: 0 };
        arrivals.push({ at: time + MS_PER_DAY, purchase: voided });
        latest.set(orderId, voided);
      }
      lastOrderMs = Math.max(lastOrderMs, time);
    }
  }
  arrivals.sort((a, b) => a.at - b.at);
  const orders: PurchasedOrder[] = [...latest.values()].map((p) => ({
    orderId: p.order_id, day: Math.floor(p.event_time / MS_PER_DAY), time: p.event_time, revision: p.revision, status: p.status, net: p.net_amount_minor,
    categories: p.categories, lines: p.line_items.map((l) => [l.category, l.quantity, l.unit_price_minor] as [string, number, number]),
  }));
  return { purchases: arrivals.map((a) => a.purchase), everyOrder: { customerId, currency: 'USD', orders, compacted: null } as CustomerPurchaseHistory, lastOrderMs };
}
