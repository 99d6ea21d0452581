/**
 * The regularized incomplete beta function I_z(a, b) = B(z; a, b) / B(a, b), the CDF of a
 * Beta(a, b) variable — and so of the Gamma-Gamma spend totals, which are scaled beta-prime
 * variables (clv-predictive-distribution.ts). JavaScript has none.
 *
 * Continued fraction A&S 26.5.8,
 *   I_z(a, b) = z^a (1−z)^b / (a B(a, b)) · 1 / (1 + d₁/(1 + d₂/(1 + …))),
 *   d_{2m+1} = −(a+m)(a+b+m) z / ((a+2m)(a+2m+1)),  d_{2m} = m(b−m) z / ((a+2m−1)(a+2m)),
 * evaluated by the modified Lentz method (Press et al., Numerical Recipes 3rd ed. §6.4 and
 * §5.2). It converges fast — in O(√max(a, b)) terms — for z < (a+1)/(a+b+2); on the other
 * side the symmetry I_z(a, b) = 1 − I_{1−z}(b, a) is used. The prefactor z^a (1−z)^b / B(a, b)
 * is split out (`betaDensityFront`) because it is also z(1−z) times the Beta density, which
 * Newton steps on the CDF need: callers on hot paths compute it once and use it twice.
 */
import { logAbsGamma } from './gamma-function.js';

const TINY = 1e-300;
const EPSILON = 1e-15;
const MAX_TERMS = 10_000;

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b), a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logAbsGamma(a) + logAbsGamma(b) - logAbsGamma(a + b);
}

/**
 * The continued fraction of A&S 26.5.8, 1/(1 + d₁/(1 + d₂/(1 + …))), for a, b > 0 and
 * 0 < z < 1. Stops when a Lentz factor is within `epsilon` of 1: accurate to ~1e-15 relative
 * by default; converges quickly for z < (a+1)/(a+b+2). Callers that need less (a sum whose
 * own truncation error is larger) may pass a larger `epsilon` and save iterations.
 */
export function betaContinuedFraction(a: number, b: number, z: number, epsilon = EPSILON): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * z) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const m2 = 2 * m;
    // Even step d_{2m}.
    let aa = (m * (b - m) * z) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step d_{2m+1}.
    aa = (-(a + m) * (qab + m) * z) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < epsilon) break;
  }
  return h;
}

/** z^a (1−z)^b / B(a, b) = z(1−z) × the Beta(a, b) density at z, given ln B(a, b). */
export function betaDensityFront(a: number, b: number, z: number, lnBeta: number): number {
  return Math.exp(a * Math.log(z) + b * Math.log1p(-z) - lnBeta);
}

/**
 * I_z(a, b) given its front factor (`betaDensityFront`): the lower tail by the continued
 * fraction where it converges fast, else one minus the upper tail.
 */
export function incompleteBetaFromFront(a: number, b: number, z: number, front: number): number {
  if (front === 0) return z * (a + b + 2) < a + 1 ? 0 : 1;
  return z * (a + b + 2) < a + 1 ? (front * betaContinuedFraction(a, b, z)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - z)) / b;
}

/**
 * The regularized incomplete beta function I_z(a, b), a, b > 0: 0 for z ≤ 0, 1 for z ≥ 1.
 * `lnBeta` may pass a precomputed ln B(a, b).
 * @throws RangeError for a or b not finite and > 0, or z NaN.
 */
export function regularizedIncompleteBeta(a: number, b: number, z: number, lnBeta = logBeta(a, b)): number {
  if (!(a > 0 && b > 0 && a < Infinity && b < Infinity) || Number.isNaN(z)) {
    throw new RangeError(`incomplete beta needs finite a, b > 0 and a number z, got (${a}, ${b}, ${z})`);
  }
  if (z <= 0) return 0;
  if (z >= 1) return 1;
  return incompleteBetaFromFront(a, b, z, betaDensityFront(a, b, z, lnBeta));
}
