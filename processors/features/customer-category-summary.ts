/**
 * A customer's purchases per category, derived from the orders of the history (never
 * accumulated), so duplicates and out-of-order revisions cannot change it. Bounded: the
 * features event carries at most MAX_SUMMARY_CATEGORIES, the most ordered.
 */
import type { CategorySpend } from '../../core/events.js';
import type { PurchasedOrder } from './customer-purchase-history.js';

/** Enough for any one customer's tastes; cross-sell may re-suggest a category past it. */
export const MAX_SUMMARY_CATEGORIES = 16;

/**
 * Per category over the active orders: orders with a line in it (or, for orders stored
 * without lines, listing it), units and Σ quantity × unit price. Most ordered first, then
 * most spent, then name.
 */
export function categorySummaryOf(orders: readonly PurchasedOrder[]): CategorySpend[] {
  const by = new Map<string, CategorySpend>();
  const entry = (category: string) => {
    let e = by.get(category);
    if (!e) by.set(category, (e = { category, orders: 0, quantity: 0, spend_minor: 0 }));
    return e;
  };
  for (const o of orders) {
    if (o.status !== 'ACTIVE') continue;
    const seen = new Set<string>(o.categories);
    for (const [category, quantity, unitPrice] of o.lines ?? []) {
      seen.add(category);
      const e = entry(category);
      e.quantity += quantity;
      e.spend_minor += quantity * unitPrice;
    }
    for (const category of seen) entry(category).orders++;
  }
  return [...by.values()]
    .sort((a, b) => b.orders - a.orders || b.spend_minor - a.spend_minor || (a.category < b.category ? -1 : 1))
    .slice(0, MAX_SUMMARY_CATEGORIES);
}
