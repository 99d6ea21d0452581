/**
 * Seeded simulation of the BG/NBD and Gamma-Gamma generative stories (Fader, Hardie & Lee
 * 2005, §3; Fader & Hardie 2013), so fits can be checked against known truth without data.
 */

import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import { gamma } from '../../producers/synthetic/distributions.js';

/** mulberry32: small, fast, seedable uniform PRNG on [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gamma(shape, rate): the synthetic history's Marsaglia & Tsang 2000 sampler. */
export const gammaVariate = gamma;

/**
 * n customers with λ ~ Gamma(r, α), p ~ Beta(a, b), T ~ U[Tmin, Tmax]; after each repeat
 * purchase the customer drops out with probability p. Spend per purchase ~ Gamma(p_s, ν),
 * ν ~ Gamma(q, γ) when `spend` is given.
 */
export function simulateCustomers(
  n: number,
  seed: number,
  bg: { r: number; alpha: number; a: number; b: number },
  T: [min: number, max: number],
  spend?: { p: number; q: number; gamma: number },
): ModelInput[] {
  const u = seededRandom(seed);
  const out: ModelInput[] = [];
  for (let i = 0; i < n; i++) {
    const lambda = gammaVariate(u, bg.r, bg.alpha);
    const ga = gammaVariate(u, bg.a, 1);
    const dropout = ga / (ga + gammaVariate(u, bg.b, 1));
    const age = T[0] + (T[1] - T[0]) * u();
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - u()) / lambda;
      if (t > age) break;
      x++;
      tx = t;
      if (u() < dropout) break;
    }
    let monetaryValue = 0;
    if (spend && x > 0) {
      const nu = gammaVariate(u, spend.q, spend.gamma);
      for (let k = 0; k < x; k++) monetaryValue += gammaVariate(u, spend.p, nu);
      monetaryValue /= x;
    }
    out.push({ asOfDay: 0, frequency: x, recency: tx, T: age, monetaryValue });
  }
  return out;
}
