/**
 * The shop-wide category statistics (core/recommendations/category-statistics.ts) as of a
 * time, from every customer's history in the feature store: what training stores with the
 * model version. Only active orders placed by `asOfMs` count, each order once (the history
 * keeps its latest revision). Baskets are the orders a history keeps in detail, the last
 * DETAIL_DAYS of each customer: compacted days keep no baskets (purchase-history-compaction.ts).
 */
import type { StateStore } from '../../core/ports/state-store.js';
import { CategoryStatisticsBuilder, type CategoryStatistics } from '../../core/recommendations/category-statistics.js';
import type { CustomerPurchaseHistory } from './customer-purchase-history.js';

export async function categoryStatisticsAsOf(histories: StateStore<CustomerPurchaseHistory>, asOfMs: number): Promise<CategoryStatistics> {
  const builder = new CategoryStatisticsBuilder();
  for await (const page of histories.scan(10_000)) {
    for (const [, history] of page) addHistory(builder, history, asOfMs);
  }
  return builder.build();
}

/** Adds one customer's active orders placed by `asOfMs`. */
function addHistory(builder: CategoryStatisticsBuilder, history: CustomerPurchaseHistory, asOfMs: number): void {
  for (const o of history.orders) {
    if (o.status !== 'ACTIVE' || o.time > asOfMs) continue;
    builder.add({ categories: o.categories, lines: o.lines.map(([category, quantity, unit_price_minor]) => ({ category, quantity, unit_price_minor })) });
  }
}
