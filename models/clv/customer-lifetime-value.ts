/**
 * Discounted customer lifetime value from BG/NBD + Gamma-Gamma, as lifetimes'
 * customer_lifetime_value (Fader, Hardie & Lee 2005b, "RFM and CLV", JMR 42(4), with
 * discrete monthly discounting):
 *
 *   CLV = E(Z | x, m̄_x) · Σ_{i=1..H} (E[Y(i months)] − E[Y((i−1) months)]) / (1 + d)^i
 *
 * where E[Y(t)] is BG/NBD's conditional expectation (FHL 2005 eq. 10) and E(Z | x, m̄_x) the
 * Gamma-Gamma expected spend (Fader & Hardie 2013 eq. 5). A month is (365.25/12)/periodDays
 * model periods.
 *
 * Hot path (target ≥ 500,000 customers/s on one core): with eq. 10 written as
 * E[Y(t)] = (a+b+x−1)/(a−1) · (1 − G(z)) · P(alive), G(z) = (1−z)^(a−1) 2F1(A, a−1; C_x; z)
 * (A = a+b−1−r, C_x = a+b+x−1, z = t/(α+T+t); see bgnbd-expectation.ts), everything that
 * depends on x only — the 2F1 coefficients and Γ constants, (a+b+x−1)/(a−1), ln(a/(b+x−1)) —
 * is cached per x, and the discount factors and month lengths once per scorer. A customer
 * then costs one log1p (for P(alive)), and per month one ln, one exp and a short multiply-add
 * series (~2 µs). That closed form is accurate only for moderate parameters (closedFormApplies: a ≤ 5,
 * b ≤ 100, r ≤ 5, a not near 1 — CDNOW's and most fits'); for any other x the per-month
 * expectations are Beta averages over the dropout probability (bgnbd-dropout-mixture.ts,
 * ~1–10 µs a month), which stay finite and accurate for any fitted parameters, such as the
 * a, b → ∞ of a dropout process the data do not identify. The horizon sums depend on (x, T)
 * only — not on t_x or m̄_x — and a re-score of
 * all customers as of one day repeats (x, T) pairs massively (every customer who started on
 * the same day with the same x), so a small direct-mapped cache of them makes most scores a
 * P(alive) and a multiply (~0.1 µs). `scoreInto` writes into a caller-owned object so
 * scoring allocates nothing.
 */

import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import type { DropoutMixture } from '../bgnbd/bgnbd-dropout-mixture.js';
import { closedFormApplies, dropoutMixture, type BgNbdParams } from '../bgnbd/bgnbd-expectation.js';
import type { GammaGammaParams } from '../gamma-gamma/gamma-gamma.js';
import { prepareHyp2f1, type PreparedHyp2f1 } from '../special-functions/hyp2f1-prepared.js';

/** Settings of a CLV computation. */
export interface ClvOptions {
  /** Horizon H in months (integer ≥ 1; default 12, as lifetimes). */
  horizonMonths?: number;
  /** Discount rate per month d (≥ 0; default 0.01, as lifetimes). */
  monthlyDiscountRate?: number;
  /** Days per model period: 7 when the models were fitted in weeks (default 7). */
  periodDays?: number;
  /**
   * Model periods from the as-of to the end of each month 1…H, when months are not all
   * (365.25/12)/periodDays long: the seasonal model's operational months
   * (models/seasonal/operational-time.ts). Increasing, length H.
   */
  monthEnds?: ArrayLike<number>;
}

/** One customer's score. */
export interface ClvScore {
  /** Discounted expected value over the horizon, currency units of the spend model. */
  clv: number;
  /** Expected repeat purchases over the whole horizon (undiscounted). */
  expectedPurchases: number;
  /** P(alive) at the end of calibration, in [0, 1]. */
  probabilityAlive: number;
  /** Expected value of a future purchase, currency units. */
  expectedAverageValue: number;
}

/** Creates an empty score to pass to {@link ClvScorer.scoreInto}. */
export function emptyClvScore(): ClvScore {
  return { clv: 0, expectedPurchases: 0, probabilityAlive: 0, expectedAverageValue: 0 };
}

const DAYS_PER_MONTH = 365.25 / 12;
/** Slots of the (x, T, months) cache (power of two): 160 KiB, enough for a day-resolution T over years at typical x. */
const CACHE_BITS = 12;
/** SMALL_Z of bgnbd-expectation.ts (a local constant: the hot loop reads it every month). */
const SMALL_Z = 0.05;
/** Per-x constants: built on first use of each x. */
interface FrequencyKernel {
  /** (a+b+x−1)/(a−1) on the closed form; 1 on the Beta average. */
  growth: number;
  /** ln(a/(b+x−1)), the constant of P(alive)'s log-odds (0 for x = 0). */
  logOddsConstant: number;
  /** 2F1(a+b−1−r, a−1; a+b+x−1; ·) on the closed form, else null. */
  f: PreparedHyp2f1 | null;
  /** E[Y(t) | alive] as a Beta average when the closed form does not apply, else null. */
  mixture: DropoutMixture | null;
}

/** What scorers of one pair of models share whatever their months (see withMonthEnds). */
class ClvScratch {
  readonly kernels: (FrequencyKernel | undefined)[] = [];
  readonly otherKernels = new Map<number, FrequencyKernel>();
  // (x, T, months) → horizon sums; direct-mapped, a miss just recomputes and overwrites the slot.
  readonly cacheX = new Float64Array(1 << CACHE_BITS).fill(NaN);
  readonly cacheT = new Float64Array(1 << CACHE_BITS);
  readonly cacheH = new Float64Array(1 << CACHE_BITS).fill(-1);
  readonly cacheDiscounted = new Float64Array(1 << CACHE_BITS);
  readonly cacheTotal = new Float64Array(1 << CACHE_BITS);
  nextHorizonId = 0;
}

/** Scores customers against one pair of fitted models; reuse it, its caches make it fast. */
export class ClvScorer {
  private readonly bg: BgNbdParams;
  private readonly gg: GammaGammaParams;
  private readonly monthPeriods: Float64Array;
  private readonly discount: Float64Array;
  private readonly s: ClvScratch;
  /** This scorer's months in the shared cache's key (see withMonthEnds). */
  private readonly horizonId: number;
  private readonly options: ClvOptions;

  /** @throws RangeError on parameters or options outside their domain. */
  constructor(bgnbd: { params: BgNbdParams } | BgNbdParams, gammaGamma: { params: GammaGammaParams } | GammaGammaParams, options: ClvOptions = {}, shared?: ClvScratch) {
    this.options = options;
    this.s = shared ?? new ClvScratch();
    this.horizonId = this.s.nextHorizonId++;
    this.bg = 'params' in bgnbd ? bgnbd.params : bgnbd;
    this.gg = 'params' in gammaGamma ? gammaGamma.params : gammaGamma;
    const horizon = options.horizonMonths ?? 12;
    const rate = options.monthlyDiscountRate ?? 0.01;
    const periodDays = options.periodDays ?? 7;
    if (!(Number.isInteger(horizon) && horizon >= 1)) throw new RangeError(`horizonMonths must be an integer ≥ 1, got ${horizon}`);
    if (!(Number.isFinite(rate) && rate >= 0)) throw new RangeError(`monthlyDiscountRate must be finite and ≥ 0, got ${rate}`);
    if (!(Number.isFinite(periodDays) && periodDays > 0)) throw new RangeError(`periodDays must be finite and > 0, got ${periodDays}`);
    for (const [name, v] of Object.entries({ ...this.bg, ...this.gg })) {
      if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`model parameter ${name} must be finite and > 0, got ${v}`);
    }
    if (!(this.gg.q > 1)) throw new RangeError(`Gamma-Gamma q must be > 1 (finite mean spend), got ${this.gg.q}`);
    this.monthPeriods = new Float64Array(horizon + 1);
    this.discount = new Float64Array(horizon + 1);
    const ends = options.monthEnds;
    if (ends !== undefined && !(ends.length === horizon && Array.from(ends).every((e, i) => e > (i === 0 ? 0 : ends[i - 1]) && e < Infinity))) {
      throw new RangeError(`monthEnds must hold ${horizon} increasing positive period counts`);
    }
    for (let i = 0; i <= horizon; i++) {
      this.monthPeriods[i] = i === 0 ? 0 : ends !== undefined ? ends[i - 1] : (i * DAYS_PER_MONTH) / periodDays;
      this.discount[i] = Math.pow(1 + rate, -i);
    }
  }

  /**
   * The same models, horizon and discounting over other month ends, sharing this scorer's
   * per-x constants and cache: the seasonal model's months are as long as the season makes
   * them from each as-of day, and a scorer of its own per day would start cold every day.
   */
  withMonthEnds(monthEnds: ArrayLike<number>): ClvScorer {
    return new ClvScorer(this.bg, this.gg, { ...this.options, monthEnds }, this.s);
  }

  /** Scores one customer into `out` and returns it. */
  score(input: ModelInput, out: ClvScore = emptyClvScore()): ClvScore {
    return this.scoreInto(out, input.frequency, input.recency, input.T, input.monetaryValue);
  }

  /**
   * Scores (x, t_x, T, m̄_x) into `out` — no allocation. x repeat purchases, t_x and T in
   * model periods, m̄_x mean repeat value (ignored when x = 0).
   * @throws RangeError on an impossible history (the result is never NaN or ±∞).
   */
  scoreInto(out: ClvScore, x: number, tx: number, T: number, monetaryValue: number): ClvScore {
    if (!(x >= 0 && tx >= 0 && tx <= T && T < Infinity && monetaryValue >= 0 && monetaryValue < Infinity)) {
      throw new RangeError(`impossible customer (x, t_x, T, m) = (${x}, ${tx}, ${T}, ${monetaryValue})`);
    }
    const { r, alpha } = this.bg;
    const { p, q, gamma } = this.gg;
    const kernel = this.kernel(x);
    // Gamma-Gamma eq. 5 (population mean pγ/(q−1) when x = 0).
    const value = x === 0 ? (p * gamma) / (q - 1) : (p * (gamma + x * monetaryValue)) / (p * x + q - 1);
    // P(alive) in log-odds form: 0, not NaN, when the power overflows (as bgnbd-expectation.ts).
    const pAlive = x === 0 ? 1 : 1 / (1 + Math.exp(kernel.logOddsConstant + (r + x) * Math.log1p((T - tx) / (alpha + tx))));
    const c = this.s;
    const h = this.horizonId;
    const slot = (Math.imul(x | 0, 0x9e3779b1) ^ Math.imul((T * 1024) | 0, 0x85ebca77) ^ Math.imul(h, 0x27d4eb2f)) >>> (32 - CACHE_BITS);
    if (c.cacheX[slot] !== x || c.cacheT[slot] !== T || c.cacheH[slot] !== h) this.fillSlot(slot, kernel, x, T);
    const scale = kernel.growth * pAlive;
    out.probabilityAlive = pAlive;
    out.expectedAverageValue = value;
    out.expectedPurchases = scale * this.s.cacheTotal[slot];
    out.clv = scale * this.s.cacheDiscounted[slot] * value;
    return out;
  }

  /**
   * Σ_i d_i (E_i − E_{i−1}) and E_H for (x, T), E_i = E[Y(month i) | alive] / growth:
   * 1 − G_i on the closed form (E_0 = 0), the Beta average otherwise.
   */
  private fillSlot(slot: number, kernel: FrequencyKernel, x: number, T: number): void {
    const beta = this.bg.alpha + T;
    const months = this.monthPeriods;
    const discount = this.discount;
    let previous = 0;
    let discounted = 0;
    if (kernel.f !== null) {
      const f = kernel.f;
      const aMinus1 = this.bg.a - 1;
      const lnBeta = Math.log(beta);
      for (let i = 1; i < months.length; i++) {
        const t = months[i];
        // oneMinusG of bgnbd-expectation.ts, inlined (the call costs ~6 % of a fill).
        let e: number;
        if (t < SMALL_Z * beta) {
          const powerMinus1 = Math.expm1(-aMinus1 * Math.log1p(t / beta));
          e = -powerMinus1 - (1 + powerMinus1) * f.minusOne(t / (beta + t));
        } else {
          e = 1 - Math.exp(aMinus1 * (lnBeta - Math.log(beta + t))) * f(t / (beta + t));
        }
        discounted += discount[i] * (e - previous);
        previous = e;
      }
    } else {
      const mixture = kernel.mixture as DropoutMixture;
      const s = this.bg.r + x;
      for (let i = 1; i < months.length; i++) {
        const e = mixture.expected(s, months[i] / beta);
        discounted += discount[i] * (e - previous);
        previous = e;
      }
    }
    this.s.cacheX[slot] = x;
    this.s.cacheT[slot] = T;
    this.s.cacheH[slot] = this.horizonId;
    this.s.cacheDiscounted[slot] = discounted;
    this.s.cacheTotal[slot] = previous;
  }

  private kernel(x: number): FrequencyKernel {
    const small = Number.isInteger(x) && x < 4096;
    let k = small ? this.s.kernels[x] : this.s.otherKernels.get(x);
    if (k === undefined) {
      const { r, a, b } = this.bg;
      const closed = closedFormApplies(this.bg, x);
      k = {
        growth: closed ? (a + b + x - 1) / (a - 1) : 1,
        logOddsConstant: x > 0 ? Math.log(a / (b + x - 1)) : 0,
        f: closed ? prepareHyp2f1(a + b - 1 - r, a - 1, a + b + x - 1) : null,
        mixture: closed ? null : dropoutMixture(a, b + x),
      };
      if (small) this.s.kernels[x] = k;
      else {
        if (this.s.otherKernels.size > 10_000) this.s.otherKernels.clear(); // non-integer x: bound the cache
        this.s.otherKernels.set(x, k);
      }
    }
    return k;
  }
}

/**
 * CLV of one customer. Builds a scorer per call: for many customers create one
 * {@link ClvScorer} and reuse it.
 */
export function customerLifetimeValue(
  bgnbd: { params: BgNbdParams } | BgNbdParams,
  gammaGamma: { params: GammaGammaParams } | GammaGammaParams,
  input: ModelInput,
  options: ClvOptions = {},
): ClvScore {
  return new ClvScorer(bgnbd, gammaGamma, options).score(input);
}
