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
 * expectations here are computed as a Beta average over the dropout probability
 * (bgnbd-dropout-mixture.ts), accurate to ~1e-14 for any parameters; the CLV scorer keeps the
 * faster closed form where it has been checked ({@link closedFormApplies}).
 */

import { DropoutMixture } from './bgnbd-dropout-mixture.js';

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
 * as P(alive) · Q(r+x, t/(α+T); a, b+x) (see bgnbd-dropout-mixture.ts): finite and accurate
 * for any parameters, including a = 1 (where the closed form is 0/0) and a, b → ∞.
 */
export function conditionalExpectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t === 0) return 0;
  return dropoutMixture(p.a, p.b + x).expected(p.r + x, t / (p.alpha + T)) * probabilityAlive(p, x, tx, T);
}

/**
 * E[X(t)]: expected repeat purchases in (0, t] of a customer just acquired — FHL 2005 eq. 9,
 * (a+b−1)/(a−1) · [1 − (α/(α+t))^r 2F1(r, b; a+b−1; t/(α+t))], which is eq. 10 at x = T = 0 —
 * as Q(r, t/α; a, b).
 */
export function expectedPurchases(p: BgNbdParams, t: number): number {
  if (t === 0) return 0;
  return dropoutMixture(p.a, p.b).expected(p.r, t / p.alpha);
}

/**
 * Bounds of the region where the CLV scorer evaluates eq. 10 in closed form,
 * (a+b+x−1)/(a−1) · (1 − G) with G = (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z) from
 * hyp2f1-prepared.ts: there it agrees with mpmath to ~1e-10 at every z (checked on 30,000
 * random points; tests/customer-lifetime-value.test.ts). Past them its 2F1 series overflow or
 * cancel (already at b ≈ 15, z ≈ 0.8), and 1 − G loses digits as described in the module comment.
 */
const CLOSED_FORM_MAX_A = 5;
const CLOSED_FORM_MAX_B = 40;
const CLOSED_FORM_MAX_R = 5;
/** Largest digit loss of 1 − G accepted: max(a+b+x−1, |a+b−1−r|) / ((r+x) · min(1, |a−1|)). */
const CLOSED_FORM_MAX_LOSS = 1e3;

/**
 * True when eq. 10 for frequency x may be evaluated with the closed form — fast, for
 * moderate parameters such as CDNOW's — and false when only the Beta average is accurate.
 * Depends on (r, a, b, x) only, so a scorer decides once per x.
 */
export function closedFormApplies(p: BgNbdParams, x: number): boolean {
  const { r, a, b } = p;
  if (!(a <= CLOSED_FORM_MAX_A && b <= CLOSED_FORM_MAX_B && r <= CLOSED_FORM_MAX_R)) return false;
  const loss = Math.max(a + b + x - 1, Math.abs(a + b - 1 - r)) / ((r + x) * Math.min(1, Math.abs(a - 1)));
  return loss <= CLOSED_FORM_MAX_LOSS;
}

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
