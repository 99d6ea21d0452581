/**
 * One customer's transactions under the BG/NBD story (Fader, Hardie & Lee 2005, §3,
 * assumptions i–iii): while active, purchases follow a Poisson process of rate λ; after each
 * repeat purchase the customer becomes inactive with probability p (never at the first, so
 * P(no repeat in t) = e^(−λt)). Seasonality enters by thinning (Lewis & Shedler 1979):
 * candidates at rate λ·max(s) are kept with probability s(day)/max(s), which realises rate
 * λ·s(day) — dropout is decided only on kept candidates, i.e. on real purchases.
 */
import { exponential } from './distributions.js';
import type { Rng } from './prng.js';

export interface PurchaseTimeline {
  /** Local-day positions (days since the history's first day), ascending; [0] is the first purchase. */
  positions: number[];
  /** False when the customer dropped out before the end of the history. */
  aliveAtEnd: boolean;
}

/**
 * Simulates from the first purchase at `birth` until `horizonDays` (exclusive), both in
 * local-day positions. `seasonal[d]` is the factor of day d and `seasonalMax` its maximum.
 */
export function simulatePurchases(
  rng: Rng,
  birth: number,
  lambdaPerWeek: number,
  dropoutProbability: number,
  seasonal: Float64Array,
  seasonalMax: number,
  horizonDays: number,
): PurchaseTimeline {
  const positions = [birth];
  const candidateRatePerDay = (lambdaPerWeek / 7) * seasonalMax;
  if (!(candidateRatePerDay > 0)) return { positions, aliveAtEnd: true };
  let u = birth;
  for (;;) {
    u += exponential(rng, candidateRatePerDay);
    if (u >= horizonDays) return { positions, aliveAtEnd: true };
    if (rng() * seasonalMax >= seasonal[Math.floor(u)]) continue; // thinned away
    positions.push(u);
    if (rng() < dropoutProbability) return { positions, aliveAtEnd: false };
  }
}
