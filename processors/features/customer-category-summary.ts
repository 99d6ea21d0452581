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
 * most spent, then name. `seed`: tallies of orders no longer kept one by one (a compacted
 * history's), added to.
 */
export function categorySummaryOf(orders: readonly PurchasedOrder[], seed: readonly CategorySpend[] = []): CategorySpend[] {
  return categoryTotals(orders, seed)
    .sort((a, b) => b.orders - a.orders || b.spend_minor - a.spend_minor || (a.category < b.category ? -1 : 1))
    .slice(0, MAX_SUMMARY_CATEGORIES);
}

/** The per-category tallies of the active orders added to copies of `seed`'s, unsorted and uncapped. */
export function categoryTotals(orders: readonly PurchasedOrder[], seed: readonly CategorySpend[] = []): CategorySpend[] {
  // Runs for every features event over the customer's whole history, so no Set per order:
  // `counted[i]` is the last order counted for entry i, which counts an order once per
  // category however many of its lines (and its category list) name it.
  const index = new Map<string, number>();
  const entries: CategorySpend[] = [];
  const counted: number[] = [];
  for (const s of seed) {
    index.set(s.category, entries.length);
    entries.push({ category: s.category, orders: s.orders, quantity: s.quantity, spend_minor: s.spend_minor });
    counted.push(-1);
  }
  const entryOf = (category: string, order: number): CategorySpend => {
    let i = index.get(category);
    if (i === undefined) {
      i = entries.length;
      index.set(category, i);
      entries.push({ category, orders: 0, quantity: 0, spend_minor: 0 });
      counted.push(-1);
    }
    const e = entries[i];
    if (counted[i] !== order) {
      counted[i] = order;
      e.orders++;
    }
    return e;
  };
  for (let k = 0; k < orders.length; k++) {
    const o = orders[k];
    if (o.status !== 'ACTIVE') continue;
    for (const category of o.categories) entryOf(category, k);
    const lines = o.lines;
    for (let j = 0; j < lines.length; j++) {
      const [category, quantity, unitPrice] = lines[j];
      const e = entryOf(category, k);
      e.quantity += quantity;
      e.spend_minor += quantity * unitPrice;
    }
  }
  return entries;
}
