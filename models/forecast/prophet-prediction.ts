/**
 * Prophet's prediction from stored parameters, in pure TypeScript (Taylor & Letham 2018):
 *   y(t) = g(t)·(1 + X_m(t)β) + X_a(t)β + ε,  ε ~ N(0, σ²)                        eq. (1)
 *   g(t) = (k + a(t)ᵀδ)·t + (m + a(t)ᵀγ),  γ_j = −s_j·δ_j,  a_j(t) = [t ≥ s_j]        eq. (4)
 * with t scaled to [0, 1] over the history and y divided by yScale during the fit.
 *
 * Intervals follow Prophet's simulation (§3.1.4, "Trend forecast uncertainty"): each sample
 * draws future changepoints at Prophet's historical rate S per unit of scaled time, their
 * rate changes from Laplace(0, mean|δ|), and Gaussian observation noise; the interval is the
 * sample quantiles. A seeded generator makes a stored model give the same interval twice.
 */
import type { FeatureMode } from './prophet-features.js';

/** A fitted model's parameters and scaling, as stored. */
export interface ProphetEstimate {
  growth: 'linear' | 'flat';
  k: number;
  m: number;
  delta: number[];
  /** Changepoint times s_j, scaled. */
  tChange: number[];
  beta: number[];
  /** One per β: whether the column adds to or multiplies the trend. */
  modes: FeatureMode[];
  sigmaObs: number;
  yScale: number;
  /** Day index at t = 0 (first period start) and days from it to the last period start (t = 1). */
  tStartDay: number;
  tScaleDays: number;
}

/** Point forecast and its parts, in the model's units (y before scaling). */
export interface PointParts {
  trend: number[];
  /** Σ additive columns·β. */
  additive: number[];
  /** Σ multiplicative columns·β (relative to the trend). */
  multiplicative: number[];
  yhat: number[];
}

/** Scaled time of a day index. */
export function scaledTime(e: ProphetEstimate, day: number): number {
  return (day - e.tStartDay) / e.tScaleDays;
}

/** g(t) in scaled units, eq. (4); flat growth: g = m. */
export function trendAt(e: ProphetEstimate, t: number): number {
  if (e.growth === 'flat') return e.m;
  let k = e.k;
  let m = e.m;
  for (let j = 0; j < e.tChange.length; j++) {
    if (t >= e.tChange[j]) {
      k += e.delta[j];
      m -= e.tChange[j] * e.delta[j];
    }
  }
  return k * t + m;
}

/** Point forecast for periods starting at `days`, given their feature columns (one per β). */
export function pointForecast(e: ProphetEstimate, days: readonly number[], columns: readonly ArrayLike<number>[]): PointParts {
  const n = days.length;
  const parts: PointParts = { trend: new Array(n), additive: new Array(n), multiplicative: new Array(n), yhat: new Array(n) };
  for (let i = 0; i < n; i++) {
    let add = 0;
    let mult = 0;
    for (let j = 0; j < e.beta.length; j++) {
      const x = columns[j][i] * e.beta[j];
      if (e.modes[j] === 'additive') add += x;
      else mult += x;
    }
    const trend = trendAt(e, scaledTime(e, days[i])) * e.yScale;
    parts.trend[i] = trend;
    parts.additive[i] = add * e.yScale;
    parts.multiplicative[i] = mult;
    parts.yhat[i] = trend * (1 + mult) + add * e.yScale;
  }
  return parts;
}

export interface IntervalOptions {
  /** Central probability of the interval, (0, 1). */
  width: number;
  samples: number;
  seed: number;
}

/** Lower and upper interval bounds (model units) for the points of `parts`. */
export function sampleIntervals(e: ProphetEstimate, days: readonly number[], parts: PointParts, o: IntervalOptions): { lower: number[]; upper: number[] } {
  const n = days.length;
  const draws = sampleDraws(e, days, parts, o);
  const lower = new Array<number>(n);
  const upper = new Array<number>(n);
  const qLow = (1 - o.width) / 2;
  for (let i = 0; i < n; i++) {
    const row = draws.subarray(i * o.samples, (i + 1) * o.samples).sort();
    lower[i] = quantile(row, qLow);
    upper[i] = quantile(row, 1 - qLow);
  }
  return { lower, upper };
}

/**
 * Interval bounds of sums of periods: `groups` lists indices into `days`, and each group's
 * bounds are the quantiles of the sum over its periods within each simulated path, after
 * `back` (the inverse transform, applied per period). A month's interval is therefore the
 * interval of the month's total, narrower than the sum of its days' bounds: the days'
 * observation noise partly cancels, their shared trend uncertainty does not.
 */
export function sampleTotalIntervals(
  e: ProphetEstimate, days: readonly number[], parts: PointParts, groups: readonly (readonly number[])[], back: (v: number) => number, o: IntervalOptions,
): { lower: number[]; upper: number[] } {
  const draws = sampleDraws(e, days, parts, o);
  const qLow = (1 - o.width) / 2;
  const lower: number[] = [];
  const upper: number[] = [];
  const sums = new Float64Array(o.samples);
  for (const group of groups) {
    sums.fill(0);
    for (const i of group) for (let s = 0; s < o.samples; s++) sums[s] += back(draws[i * o.samples + s]);
    const sorted = Float64Array.from(sums).sort();
    lower.push(quantile(sorted, qLow));
    upper.push(quantile(sorted, 1 - qLow));
  }
  return { lower, upper };
}

/** `o.samples` simulated values (model units) per period, period-major: draws[i · samples + s]. */
function sampleDraws(e: ProphetEstimate, days: readonly number[], parts: PointParts, o: IntervalOptions): Float64Array {
  const n = days.length;
  const rng = mulberry32(o.seed);
  const t = days.map((d) => scaledTime(e, d));
  const T = t.reduce((a, b) => Math.max(a, b), 0);
  let lambda = 1e-8;
  for (const d of e.delta) lambda += Math.abs(d) / Math.max(1, e.delta.length);
  const base = t.map((ti) => trendAt(e, ti));
  const draws = new Float64Array(n * o.samples);
  for (let s = 0; s < o.samples; s++) {
    // Future trend changes only: the historical ones are the estimate's.
    const count = e.growth === 'linear' && T > 1 ? poisson(rng, e.tChange.length * (T - 1)) : 0;
    const at: number[] = [];
    const size: number[] = [];
    for (let c = 0; c < count; c++) {
      at.push(1 + rng() * (T - 1));
      const u = rng() - 0.5;
      size.push(-lambda * Math.sign(u) * Math.log(1 - 2 * Math.abs(u)));
    }
    for (let i = 0; i < n; i++) {
      let g = base[i];
      for (let c = 0; c < count; c++) if (t[i] >= at[c]) g += size[c] * (t[i] - at[c]);
      const noise = normal(rng) * e.sigmaObs;
      draws[i * o.samples + s] = (g * (1 + parts.multiplicative[i]) + noise) * e.yScale + parts.additive[i];
    }
  }
  return draws;
}

/** Linear-interpolated quantile of sorted values (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Small seeded uniform generator on [0, 1) (Tommy Ettinger's mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rng: () => number): number {
  const u = 1 - rng(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function poisson(rng: () => number, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)));
  const limit = Math.exp(-mean); // Knuth: multiply uniforms until below e^−mean
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}
