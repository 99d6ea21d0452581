/**
 * Category statistics prepared for lookups while scoring: by name, and each category's
 * co-occurring neighbours. Built once per statistics object (one per model version) and
 * memoised, since scoring a customer must not re-walk every pair.
 */
import type { CategoryStat, CategoryStatistics } from './category-statistics.js';

export interface CategoryIndex {
  /** Orders counted. */
  orders: number;
  byName: ReadonlyMap<string, CategoryStat>;
  /** category → [other category, orders with both]. */
  neighbours: ReadonlyMap<string, ReadonlyArray<readonly [string, number]>>;
}

const cache = new WeakMap<CategoryStatistics, CategoryIndex>();

export function indexCategoryStatistics(stats: CategoryStatistics): CategoryIndex {
  let index = cache.get(stats);
  if (index) return index;
  const byName = new Map(stats.categories.map((c) => [c.name, c]));
  const neighbours = new Map<string, Array<readonly [string, number]>>();
  const link = (from: string, to: string, count: number) => {
    let list = neighbours.get(from);
    if (!list) neighbours.set(from, (list = []));
    list.push([to, count]);
  };
  for (const [i, j, count] of stats.pairs) {
    link(stats.categories[i].name, stats.categories[j].name, count);
    link(stats.categories[j].name, stats.categories[i].name, count);
  }
  index = { orders: stats.orders, byName, neighbours };
  cache.set(stats, index);
  return index;
}
