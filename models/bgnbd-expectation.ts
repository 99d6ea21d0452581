/**
 * BG/NBD predictions for one customer (Fader, Hardie & Lee 2005, Marketing Science 24(2)),
 * as plain functions of the parameters. Time in model periods (weeks in the paper).
 *
 * Both expectations contain (1−z)^(r+x) · 2F1(r+x, b+x; a+b+x−1; z). That 2F1 grows like
 * (1−z)^−(r+x+1−a) and overflows for x in the hundreds, so it is rewritten with Euler's
 * transformation (Abramowitz & Stegun 15.3.3) into the bounded
 *   G(z) = (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z),
 * whose parameters stay small whatever x is.
 */

import { hyp2f1 } from './hyp2f1.js';

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
 * model" (its closing result): 1 / (1 + δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)). Evaluated in logs so
 * it is 0, not NaN, when the power overflows. Always 1 for x = 0.
 */
export function probabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logOdds = Math.log(p.a / (p.b + x - 1)) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, t_x, T]: expected repeat purchases in (T, T+t] of a customer with history
 * (x, t_x, T) — FHL 2005 eq. 10 — as (a+b+x−1)/(a−1) · (1 − G(z)) · P(alive),
 * z = t/(α+T+t).
 */
export function conditionalExpectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t === 0) return 0;
  return growthFactor(p, t, x, T) * probabilityAlive(p, x, tx, T);
}

/**
 * E[X(t)]: expected repeat purchases in (0, t] of a customer just acquired — FHL 2005 eq. 9,
 * (a+b−1)/(a−1) · [1 − (α/(α+t))^r 2F1(r, b; a+b−1; t/(α+t))], which is eq. 10 at x = T = 0.
 */
export function expectedPurchases(p: BgNbdParams, t: number): number {
  if (t === 0) return 0;
  return growthFactor(p, t, 0, 0);
}

/** Distance from a = 1 inside which the 0/0 of (1−G)/(a−1) is resolved by symmetric averaging. */
const A_NEAR_ONE = 1e-6;
const A_STEP = 1e-5;

/** (a+b+x−1)/(a−1) · (1 − G(z)), the part of eq. 10 that does not depend on t_x. */
function growthFactor(p: BgNbdParams, t: number, x: number, T: number): number {
  if (Math.abs(p.a - 1) < A_NEAR_ONE) {
    // (1−G)/(a−1) is 0/0 at a = 1 but smooth in a: the mean of a ± 1e-5 is off by O(1e-10).
    return 0.5 * (growthFactor({ ...p, a: p.a + A_STEP }, t, x, T) + growthFactor({ ...p, a: p.a - A_STEP }, t, x, T));
  }
  const beta = p.alpha + T;
  const z = t / (beta + t);
  const logOneMinusZ = Math.log(beta) - Math.log(beta + t);
  const g = Math.exp((p.a - 1) * logOneMinusZ) * hyp2f1(p.a + p.b - 1 - p.r, p.a - 1, p.a + p.b + x - 1, z);
  return ((p.a + p.b + x - 1) / (p.a - 1)) * (1 - g);
}
