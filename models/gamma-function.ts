/**
 * The gamma function family the likelihoods and 2F1 need: ln|Γ(x)|, the sign of Γ(x) and
 * the digamma function ψ(x). JavaScript has none of them.
 *
 * ln Γ uses the Lanczos approximation with g = 7, n = 9 (Lanczos 1964, "A precision
 * approximation of the gamma function", SIAM J. Numer. Anal. B 1; coefficients as tabulated
 * by Godfrey), about 1e-15 relative on Γ; negative arguments use the reflection formula
 * Γ(x)Γ(1−x) = π / sin(πx) (Abramowitz & Stegun 6.1.17). ψ uses the recurrence
 * ψ(x) = ψ(x+1) − 1/x and the asymptotic series A&S 6.3.18.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.9189385332046727;

/** sin(πx), exact at integers and accurate near them (Math.sin(Math.PI * x) is not). */
export function sinPi(x: number): number {
  let r = x - 2 * Math.round(x / 2); // r ∈ [−1, 1], same sine
  if (r > 0.5) r = 1 - r;
  else if (r < -0.5) r = -1 - r;
  return Math.sin(Math.PI * r);
}

/** True when x is 0, −1, −2, … (the poles of Γ). */
export function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

/**
 * ln|Γ(x)| for any real x; +Infinity at the poles x = 0, −1, −2, …
 * Absolute error about 1e-15 for moderate x (relative ~1e-16 for large x).
 */
export function logAbsGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0.5) {
    if (isNonPositiveInteger(x)) return Infinity;
    // Reflection (A&S 6.1.17): ln|Γ(x)| = ln π − ln|sin πx| − ln Γ(1−x).
    return Math.log(Math.PI / Math.abs(sinPi(x))) - logAbsGamma(1 - x);
  }
  if (x === Infinity) return Infinity;
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Sign of Γ(x): +1 for x > 0, alternating on the negative intervals, 0 at the poles. */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (isNonPositiveInteger(x)) return 0;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/**
 * Digamma ψ(x) = d/dx ln Γ(x) for any real x; NaN at the poles. Absolute error ~1e-15
 * (relative accuracy is lost only near ψ's root x ≈ 1.4616).
 */
export function digamma(x: number): number {
  if (Number.isNaN(x) || isNonPositiveInteger(x)) return NaN;
  let shift = 0;
  if (x < 0.5) {
    // Reflection (A&S 6.3.7): ψ(1−x) − ψ(x) = π cot(πx); tan has period 1, so reduce first.
    const r = x - Math.round(x);
    shift = -Math.PI / Math.tan(Math.PI * r);
    x = 1 - x;
  }
  // Recurrence (A&S 6.3.5) up to x ≥ 10, where the asymptotic series is good to ~1e-17.
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  // A&S 6.3.18: ψ(x) ~ ln x − 1/(2x) − Σ B_2k / (2k x^2k).
  const series =
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))));
  return shift + Math.log(x) - 0.5 / x - series;
}
