/**
 * Cross-sell: categories the customer has not bought that co-occur with theirs in other
 * customers' orders. Each candidate B is scored by its best rule A → B over the customer's
 * categories A, by lift = P(A ∧ B) / (P(A) · P(B)) (Brin, Motwani, Ullman & Tsur 1997, who
 * call it interest), kept only above the policy's support, lift and pair-count floors.
 */
import type { CrossSellSettings } from '../action-policy.js';
import type { CategoryIndex } from './category-index.js';

export interface CrossSellCandidate {
  category: string;
  /** The customer's category behind the best rule. */
  because: string;
  lift: number;
  /** P(B | A): share of the orders with A that also have B. */
  confidence: number;
  /** Orders with both. */
  pairOrders: number;
}

/** Lift of a pair from counts: n_AB · N / (n_A · n_B). */
export function lift(pairOrders: number, ordersA: number, ordersB: number, orders: number): number {
  return (pairOrders * orders) / (ordersA * ordersB);
}

/** Best candidates first (lift, then pair orders, then name); at most `max`. */
export function crossSellCandidates(owned: readonly string[], index: CategoryIndex, s: CrossSellSettings, max: number): CrossSellCandidate[] {
  const have = new Set(owned);
  const best = new Map<string, CrossSellCandidate>();
  // Sorted so that ties between rules resolve the same way whatever the summary's order.
  for (const a of [...have].sort()) {
    const statA = index.byName.get(a);
    if (!statA) continue;
    for (const [b, pairOrders] of index.neighbours.get(a) ?? []) {
      if (have.has(b) || pairOrders < s.minPairOrders || pairOrders / index.orders < s.minSupport) continue;
      const statB = index.byName.get(b) as NonNullable<ReturnType<typeof index.byName.get>>;
      const l = lift(pairOrders, statA.orders, statB.orders, index.orders);
      if (l < s.minLift) continue;
      const known = best.get(b);
      if (!known || l > known.lift || (l === known.lift && pairOrders > known.pairOrders)) {
        best.set(b, { category: b, because: a, lift: l, confidence: pairOrders / statA.orders, pairOrders });
      }
    }
  }
  return [...best.values()]
    .sort((x, y) => y.lift - x.lift || y.pairOrders - x.pairOrders || (x.category < y.category ? -1 : 1))
    .slice(0, max);
}
