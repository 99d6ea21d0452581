/**
 * Price tiers of a category: its unit prices cut at equal quantiles (quartiles for 4 tiers),
 * from the percentiles stored with the model. Tiers are numbered 1..tiers from the cheapest.
 */
import type { CategoryStat } from './category-statistics.js';

/** Lower bounds of tiers 2..tiers, minor units (non-decreasing; equal bounds mean an empty tier). */
export function tierFloors(stat: CategoryStat, tiers: number): number[] {
  const p = stat.pricePercentilesMinor;
  if (p.length === 0) return [];
  const floors: number[] = [];
  for (let k = 1; k < tiers; k++) floors.push(p[Math.round((100 * k) / tiers)]);
  return floors;
}

/** Tier (1-based) of a unit price: one plus the number of floors at or below it. */
export function tierOf(priceMinor: number, floors: readonly number[]): number {
  let tier = 1;
  for (const f of floors) if (priceMinor >= f) tier++;
  return tier;
}

export interface NextTier {
  currentTier: number;
  nextTier: number;
  /** Lower bound of the next tier, minor units. */
  floorMinor: number;
}

/** The first tier above `priceMinor`, or null when it is already in the top tier (or no prices are known). */
export function nextPriceTier(stat: CategoryStat, priceMinor: number, tiers: number): NextTier | null {
  const floors = tierFloors(stat, tiers);
  const above = floors.find((f) => f > priceMinor);
  if (above === undefined) return null;
  return { currentTier: tierOf(priceMinor, floors), nextTier: tierOf(above, floors), floorMinor: above };
}
