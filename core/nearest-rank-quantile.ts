/** Nearest-rank quantile of sorted values (an observed value, never interpolated); 0 for none. */
export function nearestRankQuantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
