/**
 * BG/NBD predictions for one customer (Fader, Hardie & Lee 2005, Marketing Science 24(2)),
 * as plain functions of the parameters. Time in model periods (weeks in the paper).
 *
 * Both expectations contain (1−z)^(r+x) · 2F1(r+x, b+x; a+b+x−1; z). That 2F1 grows like
 * (1−z)^−(r+x+1−a) and overflows for x in the hundreds, so it is rewritten with Euler's
 * transformation (Abramowitz & Stegun 15.3.3) into the bounded
 *   G(z) = (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z),
 * whose parameters stay small whatever x is.
 *
 * That closed form is accurate only for moderate parameters. 1 − G is ~ (a−1)/(a+b+x−1) ·
 * (r+x) · t/(α+T) of 1, so when a+b is large (the dropout process not identified: a, b → ∞,
 * BG/NBD → NBD) or a is near 1 its digits cancel — all of them at a = 5e3, b = 4e6, where it
 * is 0 · ∞ = NaN — and its 2F1 series overflow or cancel once a, b or r reach the tens. So the
 * closed form is used only where it has been checked against mpmath ({@link closedFormApplies}:
 * moderate parameters, such as CDNOW's; ~0.3 µs), and elsewhere the expectations are computed
 * as a Beta average over the dropout probability (bgnbd-dropout-mixture.ts; ~2–10 µs),
 * accurate to ~1e-14 for any parameters. The CLV scorer makes the same choice per frequency.
 */

import { DropoutMixture } from './bgnbd-dropout-mixture.js';
import { prepareHyp2f1, type PreparedHyp2f1 } from '../special-functions/hyp2f1-prepared.js';

/** BG/NBD parameters: purchase rates λ ~ Gamma(r, α) per period, dropout p ~ Beta(a, b). */
export interface BgNbdParams {
  /** Shape of the purchase-rate gamma (> 0). */
  readonly r: number;
  /** Scale of the purchase-rate gamma, periods (> 0). */
  readonly alpha: number;
  /** Beta dropout shape a (> 0). */
  readonly a: number;
  /** Beta dropout shape b (> 0). */
  readonly b: number;
}

/**
 * P(alive | x, t_x, T): Fader, Hardie & Lee 2008 note "Computing P(alive) using the BG/NBD
 * model" (its closing result): 1 / (1 + δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)). Evaluated in logs
 * (ln((α+T)/(α+t_x)) as log1p, exact when t_x is near T) so it is 0, not NaN, when the power
 * overflows. Always 1 for x = 0.
 */
export function probabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logOdds = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * Math.log1p((T - tx) / (p.alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, t_x, T]: expected repeat purchases in (T, T+t] of a customer with history
 * (x, t_x, T) — FHL 2005 eq. 10, (a+b+x−1)/(a−1) · (1 − G(z)) · P(alive), z = t/(α+T+t) —
 * finite and accurate for any parameters, including a = 1 (where the closed form is 0/0) and
 * a, b → ∞: see {@link aliveExpectation}.
 */
export function conditionalExpectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t === 0) return 0;
  return aliveExpectation(p, t, x, T) * probabilityAlive(p, x, tx, T);
}

/**
 * E[X(t)]: expected repeat purchases in (0, t] of a customer just acquired — FHL 2005 eq. 9,
 * (a+b−1)/(a−1) · [1 − (α/(α+t))^r 2F1(r, b; a+b−1; t/(α+t))], which is eq. 10 at x = T = 0.
 */
export function expectedPurchases(p: BgNbdParams, t: number): number {
  if (t === 0) return 0;
  return aliveExpectation(p, t, 0, 0);
}

/**
 * E[Y(t) | alive at T after x repeat purchases] (eq. 10 without P(alive)): the closed form
 * (a+b+x−1)/(a−1) · (1 − G) where {@link closedFormApplies} — the same evaluation as the CLV
 * scorer's — and otherwise Q(r+x, t/(α+T); a, b+x), the Beta average of
 * bgnbd-dropout-mixture.ts.
 */
function aliveExpectation(p: BgNbdParams, t: number, x: number, T: number): number {
  const beta = p.alpha + T;
  if (!closedFormApplies(p, x)) return dropoutMixture(p.a, p.b + x).expected(p.r + x, t / beta);
  return ((p.a + p.b + x - 1) / (p.a - 1)) * oneMinusG(closedFormHyp2f1(p, x), p.a - 1, Math.log(beta), beta, t);
}

/**
 * Bounds of the region where eq. 10 is evaluated in closed form, (a+b+x−1)/(a−1) · (1 − G)
 * with G = (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z) from hyp2f1-prepared.ts: there it
 * agrees with mpmath to 1e-10 at every z (checked on ~60,000 random points, many with z next
 * to 1; tests/customer-lifetime-value.test.ts compares it with the Beta average). Past them
 * its 2F1 series overflow or cancel, and 1 − G loses digits as described in the module comment.
 */
const CLOSED_FORM_MAX_A = 5;
const CLOSED_FORM_MAX_B = 100;
const CLOSED_FORM_MAX_R = 5;
/** Largest digit loss of 1 − G accepted: max(a+b+x−1, |a+b−1−r|) / ((r+x) · min(1, |a−1|)). */
const CLOSED_FORM_MAX_LOSS = 1e3;
/** Smallest distance of r + x + 1 − a from an integer (hyp2f1-prepared.ts transforms from 5e-4 on). */
const CLOSED_FORM_MIN_NON_INTEGER = 1e-3;
/** Below this t/(α+T) (z ≈ 0.05), 1 − G is formed without cancellation (see oneMinusG). */
const SMALL_Z = 0.05;

/**
 * True when eq. 10 for frequency x is evaluated with the closed form — fast, for moderate
 * parameters such as CDNOW's — and false when only the Beta average is accurate. Depends on
 * (r, a, b, x) only, so a scorer decides once per x.
 */
export function closedFormApplies(p: BgNbdParams, x: number): boolean {
  const { r, a, b } = p;
  if (!(a <= CLOSED_FORM_MAX_A && b <= CLOSED_FORM_MAX_B && r <= CLOSED_FORM_MAX_R)) return false;
  // c − a − b of the 2F1, r + x + 1 − a, near an integer: its 1−z transformation has a removable
  // pole there, and the fallback near z = 1 loses up to ~1e-6 (for a + b + x − 1 near 0).
  const m = r + x + 1 - a;
  if (Math.abs(m - Math.round(m)) < CLOSED_FORM_MIN_NON_INTEGER) return false;
  const loss = Math.max(a + b + x - 1, Math.abs(a + b - 1 - r)) / ((r + x) * Math.min(1, Math.abs(a - 1)));
  return loss <= CLOSED_FORM_MAX_LOSS;
}

/**
 * 1 − G at t = z/(1−z) · β, β = α+T, given f = 2F1(a+b−1−r, a−1; a+b+x−1; ·): 1 − e^L f(z) with
 * L = (a−1) ln(β/(β+t)), or, for small z, where that would lose ~1/z of its digits,
 * −expm1(L) − e^L (f(z) − 1) with L = −(a−1) log1p(t/β).
 */
function oneMinusG(f: PreparedHyp2f1, aMinus1: number, lnBeta: number, beta: number, t: number): number {
  if (t < SMALL_Z * beta) {
    const powerMinus1 = Math.expm1(-aMinus1 * Math.log1p(t / beta));
    return -powerMinus1 - (1 + powerMinus1) * f.minusOne(t / (beta + t));
  }
  return 1 - Math.exp(aMinus1 * (lnBeta - Math.log(beta + t))) * f(t / (beta + t));
}

/** The prepared 2F1 of the closed form for (r, a, b, x), from a small cache. */
function closedFormHyp2f1(p: BgNbdParams, x: number): PreparedHyp2f1 {
  const key = `${p.r} ${p.a} ${p.b} ${x}`;
  let f = prepared.get(key);
  if (f === undefined) {
    if (prepared.size >= 1024) prepared.clear();
    f = prepareHyp2f1(p.a + p.b - 1 - p.r, p.a - 1, p.a + p.b + x - 1);
    prepared.set(key, f);
  }
  return f;
}
const prepared = new Map<string, PreparedHyp2f1>();

/** Beta averages of recent (a, b+x): a model's calls repeat a few dozen of them. */
const mixtures = new Map<number, Map<number, DropoutMixture>>();
let cachedMixtures = 0;

/** The {@link DropoutMixture} of p ~ Beta(a, b), from a small cache. */
export function dropoutMixture(a: number, b: number): DropoutMixture {
  let byB = mixtures.get(a);
  let m = byB?.get(b);
  if (m === undefined) {
    if (cachedMixtures >= 256) {
      mixtures.clear();
      cachedMixtures = 0;
      byB = undefined;
    }
    m = new DropoutMixture(a, b);
    if (byB === undefined) mixtures.set(a, (byB = new Map()));
    byB.set(b, m);
    cachedMixtures++;
  }
  return m;
}
