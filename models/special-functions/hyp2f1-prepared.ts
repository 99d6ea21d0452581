/**
 * 2F1(a, b; c; z) for fixed (a, b, c) and many z in [0, 1): the CLV hot path evaluates the
 * same parameters (one set per frequency x) for every customer and horizon month, so the
 * series coefficients, the Γ-function constants of the 1−z transformation (Abramowitz &
 * Stegun 15.3.6) and the choice between the two are worked out once here, and an
 * evaluation is a plain multiply-add loop of typically 10–30 terms with no division and no
 * Γ call. The transformation is only switched to where it needs fewer terms and its two
 * terms do not cancel (for parameters in the tens they can, leaving 1e-7). Arguments the fast
 * paths do not cover (c − a − b within 5e-4 of an integer, a series past the cached length)
 * go to the general {@link hyp2f1}, so results always agree with it (to ~1e-12;
 * tests/hyp2f1-prepared.test.ts). `minusOne` gives 2F1 − 1 without the cancellation of
 * subtracting 1 at small z.
 */

import { gammaSign, isNonPositiveInteger, logAbsGamma } from './gamma-function.js';
import { hyp2f1 } from './hyp2f1.js';

/** Relative size of the neglected tail (CLV needs far less; 1e-14 keeps agreement with hyp2f1 near 1e-13). */
const EPS = 1e-14;
const MAX_CACHED_TERMS = 4096;
/** Candidate switch points from the z-series to the (1−z)-series. */
const PROBES = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.999];

/** Σ (a)_n (b)_n / ((c)_n n!) uⁿ with cached coefficients. */
class CachedSeries {
  private coef = new Float64Array(64);
  private ratio = new Float64Array(64);
  private length = 1;
  private readonly settled: number;
  private readonly calm: number;

  constructor(private readonly a: number, private readonly b: number, private readonly c: number) {
    this.coef[0] = 1;
    this.ratio[0] = (a * b) / c;
    this.settled = Math.max(0, -a, -b, -c) + 1;
    // Past `settled` the ratio (a+n)(b+n)/((c+n)(n+1)) is positive and
    // ratio − 1 = ((a+b−c−1)n + ab − c)/((c+n)(n+1)): when a+b−c−1 < 0 it is ≤ 1 from
    // n ≥ (ab−c)/(c+1−a−b) on, for good.
    this.calm = a + b - c - 1 < 0 ? Math.ceil(Math.max(this.settled, (a * b - c) / (c + 1 - a - b))) : Infinity;
  }

  private grow(): boolean {
    if (this.length >= MAX_CACHED_TERMS) return false;
    const size = Math.min(MAX_CACHED_TERMS, this.coef.length * 2);
    const coef = new Float64Array(size);
    const ratio = new Float64Array(size);
    coef.set(this.coef);
    ratio.set(this.ratio);
    for (let n = this.length; n < size; n++) {
      coef[n] = coef[n - 1] * ratio[n - 1];
      ratio[n] = ((this.a + n) * (this.b + n)) / ((this.c + n) * (n + 1));
    }
    this.coef = coef;
    this.ratio = ratio;
    this.length = size;
    return true;
  }

  /**
   * The sum at u (|u| < 1), or NaN when the cache cap is reached first. `terms` gets the
   * count. With `first` = 0 the leading 1 is left out (the sum − 1, to relative accuracy).
   */
  sum(u: number, terms?: { n: number }, first = 1): number {
    const au = Math.abs(u);
    if (!(au < 1)) return NaN;
    // Stop once |t_n| · q/(1−q) ≤ EPS · |sum|, q bounding every later term ratio. Past
    // `calm`, all coefficient ratios are ≤ 1 in size, so q = |u| and the threshold is fixed
    // per call: one compare per term.
    const threshold = (EPS * (1 - au)) / au;
    const calm = this.calm;
    let coef = this.coef;
    let length = this.length;
    let power = 1;
    let s = first;
    for (let n = 1; ; n++) {
      if (n >= length) {
        if (!this.grow()) return NaN;
        coef = this.coef;
        length = this.length;
      }
      power *= u;
      const term = coef[n] * power;
      s += term;
      if (n >= calm) {
        if (Math.abs(term) <= threshold * Math.abs(s)) {
          if (terms) terms.n = n;
          return s;
        }
      } else if (n >= this.settled) {
        if (term === 0 && coef[n] === 0) return s; // terminating series
        const r = Math.abs(this.ratio[n]);
        const q = (r > 1 ? r : 1) * au;
        if (q < 1 && Math.abs(term) * q <= EPS * (1 - q) * Math.abs(s)) {
          if (terms) terms.n = n;
          return s;
        }
      }
    }
  }
}

/** z ↦ 2F1(a, b; c; z) for fixed parameters, with `minusOne(z)` = 2F1 − 1 to relative accuracy. */
export interface PreparedHyp2f1 {
  (z: number): number;
  minusOne(z: number): number;
}

/**
 * Returns z ↦ 2F1(a, b; c; z) for 0 ≤ z < 1, tuned for small |a|, |b| (such as BG/NBD's
 * Euler form 2F1(a+b−1−r, a−1; a+b+x−1; z)). The function keeps caches: share it, do not
 * rebuild it per call.
 */
export function prepareHyp2f1(a: number, b: number, c: number): PreparedHyp2f1 {
  const direct = new CachedSeries(a, b, c);
  const m = c - a - b;
  const transformable = Math.abs(m - Math.round(m)) >= 5e-4 && !isNonPositiveInteger(c) && !isNonPositiveInteger(a) && !isNonPositiveInteger(b);
  let first: CachedSeries | null = null;
  let second: CachedSeries | null = null;
  let k1 = 0;
  let lnK2 = 0;
  let signK2 = 0;
  if (transformable) {
    // A&S 15.3.6 with the second series Euler-transformed, as in hyp2f1.ts:
    // F = K1 F(a, b; 1−m; w) + K2 w^m z^(1−c) F(1−b, 1−a; 1+m; w), w = 1 − z.
    first = new CachedSeries(a, b, 1 - m);
    second = new CachedSeries(1 - b, 1 - a, 1 + m);
    const sign1 = gammaSign(c) * gammaSign(m) * gammaSign(c - a) * gammaSign(c - b);
    k1 = sign1 === 0 ? 0 : sign1 * Math.exp(logAbsGamma(c) + logAbsGamma(m) - logAbsGamma(c - a) - logAbsGamma(c - b));
    signK2 = gammaSign(c) * gammaSign(-m) * gammaSign(a) * gammaSign(b);
    lnK2 = logAbsGamma(c) + logAbsGamma(-m) - logAbsGamma(a) - logAbsGamma(b);
  }
  const combine = (z: number, firstSum: number, secondSum: number): number => {
    const s1 = k1 === 0 ? 0 : k1 * firstSum;
    const s2 = signK2 === 0 ? 0 : signK2 * Math.exp(lnK2 + m * Math.log(1 - z) + (1 - c) * Math.log(z)) * secondSum;
    parts.first = s1;
    parts.second = s2;
    return s1 + s2;
  };
  const parts = { first: 0, second: 0 };
  const viaTransform = (z: number): number => combine(z, (first as CachedSeries).sum(1 - z), (second as CachedSeries).sum(1 - z));
  // Switch to the transformation at the first probe where it needs fewer terms than the
  // z-series and its two terms do not cancel (for a, b, c in the tens they can be 1e8 times
  // their sum, which leaves 1e-8); the z-series is always used up to 0.5 (and everywhere for
  // large c). The cancellation only lessens towards z = 1, where one term dominates.
  let switchAt = 1;
  if (transformable) {
    for (const z of PROBES) {
      const d = { n: MAX_CACHED_TERMS };
      const t1 = { n: 0 };
      const t2 = { n: 0 };
      const viaSeries = direct.sum(z, d);
      const firstSum = (first as CachedSeries).sum(1 - z, t1);
      const secondSum = (second as CachedSeries).sum(1 - z, t2);
      if (!(t1.n + t2.n + 8 < d.n)) continue;
      const v = combine(z, firstSum, secondSum);
      const wellConditioned = Math.abs(parts.first) + Math.abs(parts.second) <= 16 * Math.abs(v);
      const agrees = !(Math.abs(viaSeries - v) > 1e-12 * Math.abs(viaSeries)); // NaN: series did not converge
      if (wellConditioned && agrees) {
        switchAt = z;
        break;
      }
    }
  }
  const f = (z: number): number => {
    if (z <= switchAt) {
      const v = direct.sum(z);
      if (v === v) return v; // not NaN
    } else {
      const v = viaTransform(z);
      if (v === v) return v;
    }
    return hyp2f1(a, b, c, z);
  };
  const minusOne = (z: number): number => {
    if (z <= switchAt) {
      const v = direct.sum(z, undefined, 0);
      if (v === v) return v;
    }
    return f(z) - 1;
  };
  return Object.assign(f, { minusOne });
}
