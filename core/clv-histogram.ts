/**
 * Bins CLVs for a histogram. Pure.
 *
 * CLV is heavy-tailed (in the API fixture the 99th percentile is ~27× the median), so bins
 * of equal width up to the maximum would put most customers in the first bin. The bins
 * therefore cover [min(0, lowest), 95th percentile] and the top 5% are counted apart in
 * `above`; the bin width is rounded up to 1, 2, 2.5 or 5 × 10^k minor units so that the
 * edges read well on an axis.
 */
import type { MinorUnits } from './events.js';

/** Share of customers the equal-width bins are sized to hold; the rest go to `above`. */
export const BINNED_SHARE = 0.95;

export interface ClvBin {
  /** Inclusive lower edge, minor units. */
  lowerMinor: MinorUnits;
  /** Exclusive upper edge, minor units. */
  upperMinor: MinorUnits;
  customers: number;
}

export interface ClvHistogram {
  /** Customers counted (bins + above). */
  customers: number;
  /** Consecutive, equal width, in ascending order; empty when no customer is counted. */
  bins: ClvBin[];
  /** Customers at or above the last bin's upper edge. */
  above: number;
  /** Nearest-rank quantiles, minor units; null when no customer is counted. */
  quantiles: { p50: MinorUnits; p90: MinorUnits; p99: MinorUnits } | null;
  maxMinor: MinorUnits | null;
}

/** The smallest 1, 2, 2.5 or 5 × 10^k (k ≥ 0) that is ≥ x: minor units are integers. */
export function niceWidth(x: number): number {
  if (!(x > 1)) return 1;
  const scale = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * scale >= x) return Number.isInteger(step * scale) ? step * scale : Math.ceil(step * scale);
  return 10 * scale;
}

/** `values` in minor units, any order (sorted in place); `bins` ≥ 1. */
export function clvHistogram(values: number[], bins: number): ClvHistogram {
  const n = values.length;
  if (n === 0) return { customers: 0, bins: [], above: 0, quantiles: null, maxMinor: null };
  values.sort((a, b) => a - b);
  const rank = (q: number) => values[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  const lower = Math.min(0, values[0]);
  const width = niceWidth((rank(BINNED_SHARE) - lower) / bins);
  const counts = new Array<number>(bins).fill(0);
  let above = 0;
  for (const v of values) {
    const i = Math.floor((v - lower) / width);
    if (i < bins) counts[i]++;
    else above++;
  }
  return {
    customers: n,
    bins: counts.map((customers, i) => ({ lowerMinor: lower + i * width, upperMinor: lower + (i + 1) * width, customers })),
    above,
    quantiles: { p50: rank(0.5), p90: rank(0.9), p99: rank(0.99) },
    maxMinor: values[n - 1],
  };
}
