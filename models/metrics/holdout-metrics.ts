/**
 * How well predictions match a time holdout (ARCHITECTURE: "Ensemble and evaluation").
 * Pure functions over paired arrays: `predicted[i]` and `actual[i]` belong to customer i
 * (purchases or value over the holdout, the same unit in both). A metric that is undefined
 * for the data (a zero denominator, fewer than two customers) is null, never NaN.
 *
 * Rank-based metrics treat tied predictions as tied: Spearman uses average ranks, and the
 * Gini and top-decile capture take the expectation over the orders of tied customers — so a
 * model that predicts the same value for everyone scores like random, not like whatever
 * order the input happened to have.
 */

type Values = ArrayLike<number>;

/** Every metric at once. */
export interface HoldoutMetrics {
  customers: number;
  predictedTotal: number;
  actualTotal: number;
  /** (predictedTotal − actualTotal) / actualTotal. */
  aggregateRelativeError: number | null;
  meanAbsoluteError: number | null;
  rootMeanSquaredError: number | null;
  spearman: number | null;
  normalizedGini: number | null;
  topDecileCapture: number | null;
  decileMape: number | null;
}

/** All metrics of {@link HoldoutMetrics}. @throws RangeError on unequal lengths or non-finite values. */
export function holdoutMetrics(predicted: Values, actual: Values): HoldoutMetrics {
  check(predicted, actual);
  const predictedTotal = sum(predicted);
  const actualTotal = sum(actual);
  // Two sorts instead of six: every rank metric reads one of these orders (the backtest
  // computes these metrics for every candidate on every fold, over up to a million customers).
  const byPrediction = descendingOrder(predicted);
  const byActual = descendingOrder(actual);
  const n = actual.length;
  const bestGini = gini(actual, actual, byActual);
  const g = bestGini === null || bestGini === 0 ? null : gini(predicted, actual, byPrediction);
  return {
    customers: actual.length,
    predictedTotal,
    actualTotal,
    aggregateRelativeError: actualTotal === 0 ? null : (predictedTotal - actualTotal) / actualTotal,
    meanAbsoluteError: meanAbsoluteError(predicted, actual),
    rootMeanSquaredError: rootMeanSquaredError(predicted, actual),
    spearman: n < 2 ? null : pearsonOfRanks(ranksFromDescending(predicted, byPrediction), ranksFromDescending(actual, byActual)),
    normalizedGini: g === null ? null : g / (bestGini as number),
    topDecileCapture: topDecileCaptureOrdered(predicted, actual, byPrediction),
    decileMape: decileMapeOrdered(predicted, actual, byPrediction),
  };
}

/** Mean |predicted − actual|; null for no customers. */
export function meanAbsoluteError(predicted: Values, actual: Values): number | null {
  check(predicted, actual);
  if (actual.length === 0) return null;
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(predicted[i] - actual[i]);
  return s / actual.length;
}

/** √(mean (predicted − actual)²); null for no customers. */
export function rootMeanSquaredError(predicted: Values, actual: Values): number | null {
  check(predicted, actual);
  if (actual.length === 0) return null;
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (predicted[i] - actual[i]) ** 2;
  return Math.sqrt(s / actual.length);
}

/** Spearman's ρ: Pearson correlation of average ranks. Null when either side is constant. */
export function spearmanCorrelation(predicted: Values, actual: Values): number | null {
  check(predicted, actual);
  if (actual.length < 2) return null;
  return pearsonOfRanks(averageRanks(predicted), averageRanks(actual));
}

function pearsonOfRanks(rp: Float64Array, ra: Float64Array): number | null {
  const n = rp.length;
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rp[i] - mean;
    const dy = ra[i] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/**
 * Normalized Gini: Gini of `actual` ordered by `predicted` over the Gini of `actual` ordered
 * by itself (1 = perfect ordering, 0 = random). Null when every actual is equal (or there
 * is no actual value). Actual values must be ≥ 0 for the usual reading.
 */
export function normalizedGini(predicted: Values, actual: Values): number | null {
  check(predicted, actual);
  const best = gini(actual, actual);
  if (best === null || best === 0) return null;
  const g = gini(predicted, actual);
  return g === null ? null : g / best;
}

/**
 * Share of the actual total held by the top 10% of customers by prediction (the first n/10;
 * a fractional last customer counts in proportion); null if the actual total is 0.
 */
export function topDecileCapture(predicted: Values, actual: Values): number | null {
  check(predicted, actual);
  return topDecileCaptureOrdered(predicted, actual, descendingOrder(predicted));
}

function topDecileCaptureOrdered(predicted: Values, actual: Values, order: Int32Array): number | null {
  const n = actual.length;
  const total = sum(actual);
  if (n === 0 || total === 0) return null;
  const take = n / 10;
  let captured = 0;
  let used = 0;
  forEachTieGroup(order, predicted, (start, end, groupSum) => {
    if (used >= take) return false;
    const size = end - start;
    // A tie group straddling the cut contributes in proportion: its expected share.
    const share = Math.min(size, take - used) / size;
    captured += share * groupSum(actual);
    used += size;
    return true;
  });
  return captured / total;
}

/**
 * Customers sorted by prediction (descending) into 10 groups of near-equal size; the mean
 * over groups of |Σ predicted − Σ actual| / Σ actual. Groups whose actual sum is 0 are left
 * out; null when all are.
 */
export function decileMape(predicted: Values, actual: Values): number | null {
  check(predicted, actual);
  return decileMapeOrdered(predicted, actual, descendingOrder(predicted));
}

function decileMapeOrdered(predicted: Values, actual: Values, order: Int32Array): number | null {
  const n = actual.length;
  let total = 0;
  let groups = 0;
  for (let g = 0; g < 10; g++) {
    const from = Math.floor((g * n) / 10);
    const to = Math.floor(((g + 1) * n) / 10);
    let p = 0;
    let a = 0;
    for (let k = from; k < to; k++) {
      p += predicted[order[k]];
      a += actual[order[k]];
    }
    if (a !== 0) {
      total += Math.abs(p - a) / Math.abs(a);
      groups++;
    }
  }
  return groups === 0 ? null : total / groups;
}

/**
 * Gini of `actual` with customers ordered by `key` descending (the Kaggle "normalized Gini"
 * building block): mean over positions of the cumulative share of actual minus the share of
 * customers, i.e. Σ_k (L_k − k/n) / n. Ties in `key` use the expected cumulative sums over
 * their random orders.
 */
function gini(key: Values, actual: Values, order: Int32Array = descendingOrder(key)): number | null {
  const n = actual.length;
  const total = sum(actual);
  if (n === 0 || total === 0) return null;
  let before = 0;
  let acc = 0;
  forEachTieGroup(order, key, (start, end, groupSum) => {
    const g = end - start;
    const s = groupSum(actual);
    // Expected prefix sums at the group's positions: before + (j/g)·s, j = 1..g.
    acc += g * before + (s * (g + 1)) / 2;
    before += s;
    return true;
  });
  return acc / total / n - (n + 1) / (2 * n);
}

function forEachTieGroup(order: Int32Array, key: Values, visit: (start: number, end: number, groupSum: (v: Values) => number) => boolean): void {
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && key[order[end]] === key[order[start]]) end++;
    const s = start;
    const e = end;
    const groupSum = (v: Values): number => {
      let t = 0;
      for (let k = s; k < e; k++) t += v[order[k]];
      return t;
    };
    if (!visit(start, end, groupSum)) return;
    start = end;
  }
}

function descendingOrder(v: Values): Int32Array {
  const order = Int32Array.from({ length: v.length }, (_, i) => i);
  return order.sort((i, j) => v[j] - v[i] || i - j);
}

/** Ranks 1..n, ties sharing the mean of their positions. */
function averageRanks(v: Values): Float64Array {
  const n = v.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => v[i] - v[j]);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && v[order[end]] === v[order[start]]) end++;
    const rank = (start + end + 1) / 2; // mean of positions start+1 … end
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

/** averageRanks(v) from v's descending order: a tie group at positions [start, end) there holds ascending ranks n − end + 1 … n − start. */
function ranksFromDescending(v: Values, order: Int32Array): Float64Array {
  const n = v.length;
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && v[order[end]] === v[order[start]]) end++;
    const rank = (n - end + (n - start) + 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = rank;
    start = end;
  }
  return ranks;
}

function sum(v: Values): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

function check(predicted: Values, actual: Values): void {
  if (predicted.length !== actual.length) throw new RangeError(`predicted has ${predicted.length} values, actual ${actual.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (!Number.isFinite(predicted[i]) || !Number.isFinite(actual[i])) throw new RangeError(`value ${i} is not finite`);
  }
}
