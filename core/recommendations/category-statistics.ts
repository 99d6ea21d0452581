/**
 * Shop-wide category statistics for cross-sell and upsell: how often categories appear in
 * the same order, and the distribution of each category's unit prices. A keyed per-customer
 * processor cannot see other customers, so these are computed at training time from every
 * customer's history (the feature store) and stored with the model version, like the segment
 * thresholds: recommendations then stay put between retrains.
 *
 * Baskets are orders (classic market-basket analysis, Agrawal, Imieliński & Swami 1993):
 * support(A) = orders with A / orders, lift(A→B) = support(A∪B) / (support(A) · support(B)).
 */
import type { MinorUnits, PurchaseLineItem } from '../events.js';

/** One category's share of the orders and its unit prices. */
export interface CategoryStat {
  name: string;
  /** Orders with at least one line in the category. */
  orders: number;
  /**
   * Unit price percentiles 0, 1, …, 100 (101 values, quantity-weighted), minor units: the
   * p-th is the lowest price with more than p% of the units at or below it — a lower bound,
   * so percentile k/T·100 is where price tier k + 1 of T starts. Empty when no order carried
   * line prices for the category.
   */
  pricePercentilesMinor: MinorUnits[];
}

/** Plain JSON, stored in the model artifact. */
export interface CategoryStatistics {
  /** Orders counted: active orders with at least one category. */
  orders: number;
  /** Sorted by name. */
  categories: CategoryStat[];
  /** [i, j, orders with both] with i < j indexing `categories`; the most frequent pairs only (MAX_PAIRS). */
  pairs: Array<[number, number, number]>;
}

/** One order as the statistics see it. */
export interface Basket {
  categories: readonly string[];
  lines: readonly PurchaseLineItem[];
}

/** Keeps the artifact small whatever the catalogue: pairs past this many are the rarest, useless for lift anyway. */
export const MAX_PAIRS = 20_000;
/** Categories past this many (by orders) are dropped, for the same reason. */
export const MAX_CATEGORIES = 2_000;

export class CategoryStatisticsBuilder {
  private orders = 0;
  private readonly orderCount = new Map<string, number>();
  private readonly pairCount = new Map<string, number>();
  /** category → unit price → units. */
  private readonly prices = new Map<string, Map<number, number>>();

  add(basket: Basket): void {
    const categories = [...new Set([...basket.categories, ...basket.lines.map((l) => l.category)])].sort();
    if (categories.length === 0) return;
    this.orders++;
    for (let i = 0; i < categories.length; i++) {
      this.orderCount.set(categories[i], (this.orderCount.get(categories[i]) ?? 0) + 1);
      for (let j = i + 1; j < categories.length; j++) {
        // A JSON pair as the key: unambiguous for any category name (a separator is not).
        const key = JSON.stringify([categories[i], categories[j]]);
        this.pairCount.set(key, (this.pairCount.get(key) ?? 0) + 1);
      }
    }
    for (const line of basket.lines) {
      if (!(line.quantity > 0) || !(line.unit_price_minor >= 0)) continue;
      let byPrice = this.prices.get(line.category);
      if (!byPrice) this.prices.set(line.category, (byPrice = new Map()));
      byPrice.set(line.unit_price_minor, (byPrice.get(line.unit_price_minor) ?? 0) + line.quantity);
    }
  }

  build(): CategoryStatistics {
    const kept = [...this.orderCount.entries()]
      .sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))
      .slice(0, MAX_CATEGORIES)
      .map(([name]) => name)
      .sort(compare);
    const indexOf = new Map(kept.map((name, i) => [name, i]));
    const categories = kept.map((name) => ({ name, orders: this.orderCount.get(name) as number, pricePercentilesMinor: percentiles(this.prices.get(name)) }));
    const pairs: Array<[number, number, number]> = [];
    for (const [key, count] of this.pairCount) {
      const [a, b] = JSON.parse(key) as [string, string];
      const i = indexOf.get(a);
      const j = indexOf.get(b);
      if (i !== undefined && j !== undefined) pairs.push([i, j, count]);
    }
    pairs.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1]);
    pairs.length = Math.min(pairs.length, MAX_PAIRS);
    pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    return { orders: this.orders, categories, pairs };
  }
}

/** Statistics of a set of baskets; the result does not depend on their order. */
export function categoryStatisticsOf(baskets: Iterable<Basket>): CategoryStatistics {
  const builder = new CategoryStatisticsBuilder();
  for (const b of baskets) builder.add(b);
  return builder.build();
}

/** Quantity-weighted lower-bound percentiles 0..100 of unit prices (see CategoryStat); [] for none. */
function percentiles(byPrice: Map<number, number> | undefined): number[] {
  if (!byPrice || byPrice.size === 0) return [];
  const sorted = [...byPrice.entries()].sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, units] of sorted) total += units;
  const out: number[] = [];
  let at = 0;
  let cumulative = sorted[0][1];
  for (let p = 0; p <= 100; p++) {
    // The unit of rank ⌊p·total/100⌋ + 1 is the first one past p% of the units.
    const rank = Math.min(total, Math.floor((p * total) / 100) + 1);
    while (cumulative < rank) cumulative += sorted[++at][1];
    out.push(sorted[at][0]);
  }
  return out;
}

/** Code-point order, so the result does not depend on the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Checks a stored statistics document (a model artifact read back); throws TypeError naming
 * the problem. Null (a model trained on data without categories) is allowed.
 */
export function categoryStatisticsFromJSON(json: unknown): CategoryStatistics | null {
  if (json === null) return null;
  const s = json as CategoryStatistics;
  const isCount = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  if (typeof s !== 'object' || !isCount(s.orders) || !Array.isArray(s.categories) || !Array.isArray(s.pairs)) {
    throw new TypeError('category statistics: expected { orders, categories, pairs }');
  }
  for (const c of s.categories) {
    if (typeof c?.name !== 'string' || !isCount(c.orders) || !Array.isArray(c.pricePercentilesMinor) || ![0, 101].includes(c.pricePercentilesMinor.length)) {
      throw new TypeError(`category statistics: bad category ${JSON.stringify(c)?.slice(0, 80)}`);
    }
  }
  const n = s.categories.length;
  for (const p of s.pairs) {
    if (!Array.isArray(p) || p.length !== 3 || !isCount(p[0]) || !isCount(p[1]) || p[0] >= p[1] || p[1] >= n || !isCount(p[2])) {
      throw new TypeError(`category statistics: bad pair ${JSON.stringify(p)}`);
    }
  }
  return s;
}
