/**
 * Quantiles of a customer's future spend under BG/NBD + Gamma-Gamma — the interval that
 * comes with every CLV. Not a confidence interval for the expected CLV: the 10th–90th
 * percentile of what the customer may actually spend, given (x, t_x, T, m̄_x), under the
 * fitted models (their parameters taken as known).
 *
 * The predictive distribution of the spend V over the next t periods:
 * - dead (probability 1 − P(alive), FHL 2005 eq. 11): V = 0;
 * - alive: N future purchases with P(N ≥ n | alive) from bgnbd-purchase-count-distribution.ts;
 * - each purchase's value Z | ν ~ Gamma(p, ν), with the Gamma-Gamma posterior
 *   ν | x, m̄_x ~ Gamma(q' = q + p·x, γ' = γ + x·m̄_x) (Fader & Hardie 2013, "The Gamma-Gamma
 *   Model of Monetary Value", eq. 4–5). The n values share ν, so their sum is
 *   S_n = γ' G_np / G_q' for independent standard gammas, a scaled beta-prime variable with
 *   P(S_n ≤ v) = I_z(n·p, q'), z = v / (v + γ') (regularized incomplete beta).
 * Hence the CDF is exact in closed form up to a sum over n,
 *   F(v) = 1 − P(alive) + P(alive) · [P(N = 0 | alive) + Σ_{n≥1} P(N = n | alive) I_z(n·p, q')],
 * with an atom at 0 of 1 − P(alive) + P(alive) ((α+T)/(α+T+t))^(r+x). A quantile at level u
 * is 0 when u ≤ that atom; otherwise it is the root of F(v) = u, found by Halley's method on
 * ℓ = ln(v/γ') = logit z (dI/dℓ is the front factor of the continued fraction, and its own
 * ℓ-derivative a closed-form multiple of it, so both derivatives are free), bracketed, from a
 * log-normal start that matches the mean and variance of ln(S_N / γ') = ln G_Np − ln G_q'
 * (ψ and ψ′). Typically 1–2 sums over n per quantile (Newton took 3–5: its last sum only
 * confirmed a step that Halley's cubic convergence makes safe to accept unconfirmed).
 *
 * No sampling: the interval is a deterministic function of (x, t_x, T, m̄_x), so duplicates
 * and replays reproduce it bit for bit. The count distribution is truncated where
 * P(N ≥ n | alive) < 1e-9 (the quantile's level moves by less than that), each term of the
 * sum is computed to ~1e-13 absolute (FRACTION_EPSILON), and the root is found to ~1e-12 of
 * the spread of ln S_N in ℓ (HALLEY_STEP; bisection steps to 1e-7): relative ≲ 1e-10 in v,
 * far below a minor unit. Values are undiscounted; the caller scales them for discounting
 * (bgnbd-gamma-gamma-model.ts).
 *
 * Speed (scoring hot path): per-n constants (ln Γ(np), ψ(np), ψ′(np)) and per-x ones
 * (q', ln B(np, q')) are cached; a term of the sum whose weight × front factor is below e^−36
 * skips its continued fraction, and small terms run theirs to fewer digits; and a
 * direct-mapped (x, t_x, T) cache keeps the two roots in ℓ, so customers who share a history
 * shape and differ only in m̄_x (γ' scales v) cost a probe. Measured on CDNOW_master (23,570
 * customers, 52-week horizon, with the point CLV; bench/model-bench.ts): ~350k customers per
 * second from a fresh model, ~1.4M on repeat passes (Newton with every continued fraction to
 * 1e-15: ~190k / ~750k); the uncached cost is still mostly the continued fractions.
 */
import { aliveFuturePurchaseSurvival } from '../bgnbd/bgnbd-purchase-count-distribution.js';
import type { BgNbdParams } from '../bgnbd/bgnbd-expectation.js';
import { digamma, logAbsGamma } from '../special-functions/gamma-function.js';
import type { GammaGammaParams } from '../gamma-gamma/gamma-gamma.js';
import { betaContinuedFraction } from '../special-functions/incomplete-beta.js';
import { normalQuantile } from '../special-functions/normal-quantile.js';
import { trigamma } from '../special-functions/trigamma.js';

/** Settings of an interval computation. */
export interface ClvIntervalOptions {
  /** Horizon t in model periods (> 0). */
  horizonPeriods: number;
  /** Level of the lower quantile (default 0.1). */
  lowerProbability?: number;
  /** Level of the upper quantile (default 0.9). */
  upperProbability?: number;
}

/** Two quantiles of the undiscounted spend over the horizon, currency units of the spend model. */
export interface SpendQuantiles {
  lower: number;
  upper: number;
}

const SURVIVAL_TOLERANCE = 1e-9;
/** Most future purchases represented (the survival array's size); far beyond any retail horizon. */
const MAX_PURCHASES = 20_000;
const LOG_TOLERANCE = 1e-7;
/** A Halley step below this × the spread sd of ln S_N ends the search (error ~1e-12·sd; logQuantile). */
const HALLEY_STEP = 1e-4;
/**
 * Accuracy of the continued fractions in positiveMass. A term P(N = n | alive) I_z(np, q')
 * is computed as scale × CF with scale = weight × front / (np) (or / q' on the upper side),
 * so a relative error ε in its CF moves the sum by scale · ε. Each CF is run to
 * ε = TERM_TOLERANCE / scale, at least FRACTION_EPSILON and at most COARSEST_EPSILON: every
 * term then errs by ≤ 1e-13 (or ≤ 1e-11 of its own size), a few hundred terms by ≤ ~1e-11 in
 * all, still far below the 1e-9 given up by truncating the count distribution. (The default
 * 1e-15 for every term cost about twice the Lentz iterations for digits that cannot show:
 * quantiles move by < 1e-10 relative, ~0.001 of a minor unit on CDNOW_master.)
 */
const FRACTION_EPSILON = 1e-11;
const TERM_TOLERANCE = 1e-13;
const COARSEST_EPSILON = 1e-4;
/** ln of (weight × front factor) below which a term's I_z counts as 0 or 1. */
const NEGLIGIBLE_LOG_FRONT = -36;
const MAX_ITERATIONS = 200;
/** Slots of the (x, t_x, T, horizon) cache (power of two): 1.5 MiB; CDNOW_master has 8,685 distinct triples. */
const CACHE_BITS = 15;

/** Per-x constants of the Gamma-Gamma posterior. */
interface SpendKernel {
  /** q' = q + p·x. */
  shape: number;
  digammaShape: number;
  trigammaShape: number;
  /** ln B(n·p, q') at index n, filled up to `filled`. */
  logBeta: Float64Array;
  filled: number;
}

/** What interval scorers of one pair of models share whatever their horizon (see atHorizon). */
class IntervalScratch {
  // The current customer's alive-conditional survival P(N ≥ n | alive), n = 0..count.
  // One slot past the last so that survival[count + 1] = 0 always exists.
  readonly survival = new Float64Array(MAX_PURCHASES + 2);
  readonly survivalUpToMax = this.survival.subarray(0, MAX_PURCHASES + 1);
  // P(N = n | alive) and its log, n = 1..count.
  readonly weight = new Float64Array(MAX_PURCHASES + 1);
  readonly logWeight = new Float64Array(MAX_PURCHASES + 1);
  // Per n: ln Γ(np), ψ(np), ψ′(np), filled up to nFilled (they depend on p only).
  logGammaN: Float64Array = new Float64Array(64);
  digammaN: Float64Array = new Float64Array(64);
  trigammaN: Float64Array = new Float64Array(64);
  nFilled = 0;
  // Per x: the Gamma-Gamma posterior's constants (they depend on p, q only).
  readonly kernels: (SpendKernel | undefined)[] = [];
  readonly otherKernels = new Map<number, SpendKernel>();
  // (x, t_x, T, horizon) → the two roots in ℓ; direct-mapped, a miss recomputes the slot.
  readonly cacheX = new Float64Array(1 << CACHE_BITS).fill(NaN);
  readonly cacheTx = new Float64Array(1 << CACHE_BITS);
  readonly cacheT = new Float64Array(1 << CACHE_BITS);
  readonly cacheH = new Float64Array(1 << CACHE_BITS);
  readonly cacheLower = new Float64Array(1 << CACHE_BITS);
  readonly cacheUpper = new Float64Array(1 << CACHE_BITS);
}

/** Interval quantiles for customers against one pair of fitted models; reuse it, it caches. */
export class ClvIntervalScorer {
  readonly lowerProbability: number;
  readonly upperProbability: number;
  private readonly bg: BgNbdParams;
  private readonly gg: GammaGammaParams;
  private readonly horizon: number;
  private readonly s: IntervalScratch;
  private count = 0;
  private pAlive = 1;
  private kernel!: SpendKernel;
  private slope = 0;
  private curvature = 0;

  /** @throws RangeError on parameters or options outside their domain. */
  constructor(bgnbd: { params: BgNbdParams } | BgNbdParams, gammaGamma: { params: GammaGammaParams } | GammaGammaParams, options: ClvIntervalOptions, shared?: IntervalScratch) {
    this.bg = 'params' in bgnbd ? bgnbd.params : bgnbd;
    this.gg = 'params' in gammaGamma ? gammaGamma.params : gammaGamma;
    this.horizon = options.horizonPeriods;
    this.lowerProbability = options.lowerProbability ?? 0.1;
    this.upperProbability = options.upperProbability ?? 0.9;
    if (!(this.horizon > 0 && this.horizon < Infinity)) throw new RangeError(`horizonPeriods must be finite and > 0, got ${this.horizon}`);
    if (!(this.lowerProbability > 0 && this.lowerProbability < this.upperProbability && this.upperProbability < 1)) {
      throw new RangeError(`need 0 < lowerProbability < upperProbability < 1, got ${this.lowerProbability}, ${this.upperProbability}`);
    }
    for (const [name, v] of Object.entries({ ...this.bg, ...this.gg })) {
      if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`model parameter ${name} must be finite and > 0, got ${v}`);
    }
    this.s = shared ?? new IntervalScratch();
  }

  /**
   * The same models and levels over another horizon, sharing this scorer's working arrays,
   * per-n and per-x constants and quantile cache (keyed by horizon too): the seasonal model
   * scores each as-of day over its own operational horizon, and a scorer of its own per day
   * would allocate ~1.7 MiB and start cold every day. Scorers that share are used one call
   * at a time (a call is synchronous), as one scorer is.
   */
  atHorizon(horizonPeriods: number): ClvIntervalScorer {
    return new ClvIntervalScorer(this.bg, this.gg, { horizonPeriods, lowerProbability: this.lowerProbability, upperProbability: this.upperProbability }, this.s);
  }

  /** The probability mass between the two quantiles' levels (0.8 by default). */
  get level(): number {
    return this.upperProbability - this.lowerProbability;
  }

  /**
   * Lower and upper quantiles of the spend over the horizon of the customer (x, t_x, T, m̄_x)
   * into `out` — no allocation. Inputs as ClvScorer.scoreInto.
   * @throws RangeError on an impossible history.
   */
  quantilesInto(out: SpendQuantiles, x: number, tx: number, T: number, monetaryValue: number): SpendQuantiles {
    const scale = this.gg.gamma + x * monetaryValue; // γ'
    const c = this.s;
    const h = this.horizon;
    const slot = (Math.imul(x | 0, 0x9e3779b1) ^ Math.imul((T * 1024) | 0, 0x85ebca77) ^ Math.imul((tx * 1024) | 0, 0xc2b2ae35) ^ Math.imul((h * 1024) | 0, 0x27d4eb2f)) >>> (32 - CACHE_BITS);
    if (c.cacheX[slot] !== x || c.cacheTx[slot] !== tx || c.cacheT[slot] !== T || c.cacheH[slot] !== h) {
      this.prepare(x, tx, T, monetaryValue);
      this.s.cacheLower[slot] = this.logQuantile(this.lowerProbability);
      this.s.cacheUpper[slot] = this.logQuantile(this.upperProbability);
      c.cacheX[slot] = x;
      c.cacheTx[slot] = tx;
      c.cacheT[slot] = T;
      c.cacheH[slot] = h;
    }
    out.lower = scale * Math.exp(this.s.cacheLower[slot]);
    out.upper = scale * Math.exp(this.s.cacheUpper[slot]);
    return out;
  }

  /** The quantile of the spend at level u ∈ (0, 1), currency units. */
  quantile(u: number, x: number, tx: number, T: number, monetaryValue: number): number {
    if (!(u > 0 && u < 1)) throw new RangeError(`quantile level must be in (0, 1), got ${u}`);
    this.prepare(x, tx, T, monetaryValue);
    return (this.gg.gamma + x * monetaryValue) * Math.exp(this.logQuantile(u));
  }

  /** P(spend over the horizon ≤ v), v in currency units. */
  cdf(v: number, x: number, tx: number, T: number, monetaryValue: number): number {
    this.prepare(x, tx, T, monetaryValue);
    const atom = 1 - this.pAlive + this.pAlive * (1 - this.s.survival[1]);
    if (!(v > 0) || this.count === 0) return v >= 0 ? atom : 0;
    return atom + this.pAlive * this.positiveMass(Math.log(v / (this.gg.gamma + x * monetaryValue)));
  }

  /** Loads the customer: P(alive), the count survival, the spend kernel and per-n constants. */
  private prepare(x: number, tx: number, T: number, monetaryValue: number): void {
    if (!(x >= 0 && tx >= 0 && tx <= T && T < Infinity && monetaryValue >= 0 && monetaryValue < Infinity)) {
      throw new RangeError(`impossible customer (x, t_x, T, m) = (${x}, ${tx}, ${T}, ${monetaryValue})`);
    }
    const { r, alpha, a, b } = this.bg;
    // FHL 2005 eq. 11 in log-odds form (as customer-lifetime-value.ts): 0, not NaN, on overflow.
    this.pAlive = x === 0 ? 1 : 1 / (1 + Math.exp(Math.log(a / (b + x - 1)) + (r + x) * Math.log1p((T - tx) / (alpha + tx))));
    this.count = aliveFuturePurchaseSurvival(this.bg, x, T, this.horizon, this.s.survivalUpToMax, SURVIVAL_TOLERANCE);
    this.s.survival[this.count + 1] = 0;
    for (let n = 1; n <= this.count; n++) {
      const w = this.s.survival[n] - this.s.survival[n + 1];
      this.s.weight[n] = w;
      this.s.logWeight[n] = Math.log(w);
    }
    this.kernel = this.kernelOf(x);
    this.ensurePerPurchase(this.count);
  }

  /**
   * ln(Q(u)/γ') for the loaded customer; −∞ when Q(u) = 0 (u within the atom at 0).
   */
  private logQuantile(u: number): number {
    const pAlive = this.pAlive;
    const survival = this.s.survival;
    const count = this.count;
    if (count === 0 || u <= 1 - pAlive + pAlive * (1 - survival[1])) return -Infinity;
    const positive = survival[1]; // P(N ≥ 1 | alive)
    // F(v) = u  ⇔  Σ_{n≥1} P(N = n | alive) I_z(np, q') = target.
    const target = Math.min((u - (1 - pAlive)) / pAlive - (1 - positive), positive * (1 - 1e-12));
    // Log-normal start: mean and variance of ln G_Np − ln G_q' given N ≥ 1.
    let m1 = 0;
    let m2 = 0;
    const weight = this.s.weight;
    for (let n = 1; n <= count; n++) {
      const w = weight[n];
      const psi = this.s.digammaN[n];
      m1 += w * psi;
      m2 += w * (this.s.trigammaN[n] + psi * psi);
    }
    m1 /= positive;
    m2 /= positive;
    const sd = Math.sqrt(Math.max(m2 - m1 * m1, 0) + this.kernel.trigammaShape);
    let ell = m1 - this.kernel.digammaShape + sd * normalQuantile(Math.min(Math.max(target / positive, 1e-12), 1 - 1e-12));
    let lo = -Infinity;
    let hi = Infinity;
    let widen = Math.max(sd, 0.5);
    // A Halley step from an error e leaves ~C e³ with C ~ 1/sd² (the CDF's scale in ℓ is sd),
    // so a step below HALLEY_STEP·sd is already within ~HALLEY_STEP³·sd = 1e-12·sd of the
    // root: accept it without another sum. Newton would need one more (its error is ~e²/sd).
    const acceptStep = Math.max(HALLEY_STEP * sd, LOG_TOLERANCE);
    for (let i = 0; i < MAX_ITERATIONS; i++) {
      const diff = this.positiveMass(ell) - target;
      if (diff === 0) return ell;
      if (diff < 0) lo = ell;
      else hi = ell;
      let next = NaN;
      let accept = LOG_TOLERANCE;
      if (this.slope > 0) {
        // Halley's method (Press et al., Numerical Recipes 3rd ed. §9.4): with the Newton step
        // s = −f/f′, the step s / (1 + s f″ / (2 f′)). f″ is the curvature sum of positiveMass.
        // Where the correction would more than double or flip the step, plain Newton instead
        // (and no early acceptance: that step is only quadratically convergent).
        const newton = -diff / this.slope;
        const correction = 1 + (0.5 * newton * this.curvature) / this.slope;
        if (correction > 0.5) {
          next = ell + newton / correction;
          accept = acceptStep;
        } else next = ell + newton;
      }
      if (!(next > lo && next < hi)) {
        // The step left the bracket (or the slope vanished): bisect, or widen an open bracket.
        accept = LOG_TOLERANCE;
        if (lo > -Infinity && hi < Infinity) next = 0.5 * (lo + hi);
        else {
          next = diff < 0 ? ell + widen : ell - widen;
          widen *= 2;
        }
      }
      if (Math.abs(next - ell) < accept || hi - lo < LOG_TOLERANCE) return next;
      ell = next;
    }
    return ell;
  }

  /**
   * Σ_{n≥1} P(N = n | alive) I_z(np, q') at z = 1/(1 + e^(−ℓ)), its ℓ-derivative
   * Σ P(N = n | alive) z^(np) (1−z)^(q') / B(np, q') into `slope`, and the second derivative
   * Σ P(N = n | alive) z^(np) (1−z)^(q') / B(np, q') · (np (1−z) − q' z) into `curvature`
   * (d/dℓ of np ln z + q' ln(1−z), as dz/dℓ = z(1−z)): free once the front factors are known.
   */
  private positiveMass(ell: number): number {
    const p = this.gg.p;
    const shape = this.kernel.shape;
    const logBeta = this.kernel.logBeta;
    const weight = this.s.weight;
    const logWeight = this.s.logWeight;
    const z = 1 / (1 + Math.exp(-ell));
    const zc = 1 / (1 + Math.exp(ell)); // 1 − z without cancellation
    const lz = -Math.log1p(Math.exp(-ell));
    const lzc = -Math.log1p(Math.exp(ell));
    let mass = 0;
    let slope = 0;
    let curvature = 0;
    for (let n = 1; n <= this.count; n++) {
      const w = weight[n];
      const a = n * p;
      const lower = z * (a + shape + 2) < a + 1; // the side where the continued fraction converges fast
      const logFront = a * lz + shape * lzc - logBeta[n];
      // w × front bounds the term's distance from 0 or 1 (up to the continued fraction, O(1)
      // this far in a tail): below e^−36 ≈ 2e-16 it cannot move the sum.
      if (logFront + logWeight[n] < NEGLIGIBLE_LOG_FRONT) {
        if (!lower) mass += w;
        continue;
      }
      const wFront = w * Math.exp(logFront);
      slope += wFront;
      curvature += wFront * (a * zc - shape * z);
      // The continued fraction multiplies wFront / a (or / q'): a small term needs fewer digits.
      const scale = wFront / (lower ? a : shape);
      const epsilon = scale > TERM_TOLERANCE / FRACTION_EPSILON ? FRACTION_EPSILON : Math.min(TERM_TOLERANCE / scale, COARSEST_EPSILON);
      mass += lower ? scale * betaContinuedFraction(a, shape, z, epsilon) : w - scale * betaContinuedFraction(shape, a, zc, epsilon);
    }
    this.slope = slope;
    this.curvature = curvature;
    return mass;
  }

  private kernelOf(x: number): SpendKernel {
    const small = Number.isInteger(x) && x < 4096;
    let k = small ? this.s.kernels[x] : this.s.otherKernels.get(x);
    if (k === undefined) {
      const shape = this.gg.q + this.gg.p * x;
      k = { shape, digammaShape: digamma(shape), trigammaShape: trigamma(shape), logBeta: new Float64Array(16), filled: 0 };
      if (small) this.s.kernels[x] = k;
      else {
        if (this.s.otherKernels.size > 10_000) this.s.otherKernels.clear(); // non-integer x: bound the cache
        this.s.otherKernels.set(x, k);
      }
    }
    return k;
  }

  /** Per-n constants up to n = count, for the scorer and for the loaded customer's x. */
  private ensurePerPurchase(count: number): void {
    const p = this.gg.p;
    if (count >= this.s.logGammaN.length) {
      const size = Math.max(count + 1, 2 * this.s.logGammaN.length);
      this.s.logGammaN = grow(this.s.logGammaN, size);
      this.s.digammaN = grow(this.s.digammaN, size);
      this.s.trigammaN = grow(this.s.trigammaN, size);
    }
    for (let n = this.s.nFilled + 1; n <= count; n++) {
      this.s.logGammaN[n] = logAbsGamma(n * p);
      this.s.digammaN[n] = digamma(n * p);
      this.s.trigammaN[n] = trigamma(n * p);
    }
    this.s.nFilled = Math.max(this.s.nFilled, count);
    const k = this.kernel;
    if (count >= k.logBeta.length) k.logBeta = grow(k.logBeta, Math.max(count + 1, 2 * k.logBeta.length));
    const lgShape = logAbsGamma(k.shape);
    for (let n = k.filled + 1; n <= count; n++) k.logBeta[n] = this.s.logGammaN[n] + lgShape - logAbsGamma(n * p + k.shape);
    k.filled = Math.max(k.filled, count);
  }
}

function grow(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}
