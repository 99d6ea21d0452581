/**
 * Samplers for the distributions the BG/NBD and Gamma-Gamma stories draw from. All take an
 * `Rng` first so that a caller's stream fully determines the draws. Rates, not scales:
 * Gamma(shape, rate) has mean shape / rate, as in Fader, Hardie & Lee (2005), where
 * λ ~ Gamma(r, α) has mean r / α.
 */
import type { Rng } from './prng.js';

/** Exponential with the given rate (mean 1 / rate). Rate 0 gives Infinity. */
export function exponential(rng: Rng, rate: number): number {
  // 1 - u is in (0, 1], so the log is finite.
  return -Math.log(1 - rng()) / rate;
}

/** Standard normal by Box–Muller (one draw per call; the pair's twin is discarded for simplicity). */
export function standardNormal(rng: Rng): number {
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Log-normal: exp(N(mu, sigma²)). */
export function logNormal(rng: Rng, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * standardNormal(rng));
}

/**
 * Gamma(shape, rate) by Marsaglia & Tsang (2000), "A simple method for generating gamma
 * variables", with their boost U^(1/shape) for shape < 1 (BG/NBD's r ≈ 0.24 needs it).
 */
export function gamma(rng: Rng, shape: number, rate: number): number {
  if (!(shape > 0) || !(rate > 0)) throw new RangeError(`gamma needs shape > 0 and rate > 0, got ${shape}, ${rate}`);
  if (shape < 1) return gamma(rng, shape + 1, rate) * Math.pow(1 - rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return (d * v) / rate;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a, 1);
  const y = gamma(rng, b, 1);
  // Both can underflow to 0 when a and b are tiny; fall back to the mean rather than NaN.
  return x + y > 0 ? x / (x + y) : a / (a + b);
}

/** log(k!) — exact sums for small k, Stirling's series beyond (error < 1e-10 for k ≥ 10). */
function logFactorial(k: number): number {
  if (k < 10) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  const k1 = k + 1;
  return (k1 - 0.5) * Math.log(k1) - k1 + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k1) - 1 / (360 * k1 * k1 * k1);
}

/**
 * Poisson(mean). Knuth's product of uniforms below mean 30 (cheap there); above, Hörmann's
 * PTRS transformed rejection (1993, "The transformed rejection method for generating
 * Poisson random variables"), whose cost does not grow with the mean.
 */
export function poisson(rng: Rng, mean: number): number {
  if (!(mean >= 0)) throw new RangeError(`poisson needs mean ≥ 0, got ${mean}`);
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let prod = rng();
    while (prod > limit) {
      k++;
      prod *= rng();
    }
    return k;
  }
  const smu = Math.sqrt(mean);
  const b = 0.931 + 2.53 * smu;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  const logMean = Math.log(mean);
  for (;;) {
    const u = rng() - 0.5;
    const v = 1 - rng();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) return k;
  }
}

/** Integer uniform in [0, n). */
export function intBelow(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Running sums of non-negative weights, for `pickCumulative`. Throws when all are 0. */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    if (!(weights[i] >= 0)) throw new RangeError(`weight ${i} is not a non-negative number: ${weights[i]}`);
    sum += weights[i];
    out[i] = sum;
  }
  if (!(sum > 0)) throw new RangeError('weights sum to zero');
  return out;
}

/** Index i with probability weights[i] / total, by binary search on the running sums. */
export function pickCumulative(rng: Rng, cum: Float64Array): number {
  const target = rng() * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
