/**
 * The gamma function family the likelihoods and 2F1 need: ln|Γ(x)|, the sign of Γ(x) and
 * the digamma function ψ(x). JavaScript has none of them.
 *
 * ln Γ uses the Lanczos approximation with g = 7, n = 9 (Lanczos 1964, "A precision
 * approximation of the gamma function", SIAM J. Numer. Anal. B 1; coefficients as tabulated
 * by Godfrey), about 1e-15 relative on Γ; negative arguments use the reflection formula
 * Γ(x)Γ(1−x) = π / sin(πx) (Abramowitz & Stegun 6.1.17). ψ uses the recurrence
 * ψ(x) = ψ(x+1) − 1/x and the asymptotic series A&S 6.3.18.
 *
 * Differences ln Γ(x+d) − ln Γ(x) and ψ(x+d) − ψ(x) at large x (BG/NBD's a + b → ∞) lose
 * most digits when taken as differences; logGammaRatio and digammaDifference keep them.
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

/**
 * Binet's function ω(y) = ln Γ(y) − [(y − ½) ln y − y + ½ ln 2π] for y > 0: the Stirling
 * series A&S 6.1.41 from y = 10 on (to ~1e-17), ln Γ below.
 */
export function stirlingRemainder(y: number): number {
  if (y >= 10) {
    const i = 1 / y;
    const i2 = i * i;
    return i * (1 / 12 - i2 * (1 / 360 - i2 * (1 / 1260 - i2 * (1 / 1680 - i2 * (1 / 1188 - i2 * (691 / 360360 - i2 / 156))))));
  }
  return logAbsGamma(y) - ((y - 0.5) * Math.log(y) - y + HALF_LOG_TWO_PI);
}

/**
 * ln Γ(x + d) − ln Γ(x) for x > 0, x + d > 0, without the cancellation of the two ln Γ when
 * x is large (the difference of ln Γ at 1e9 loses ~6 digits): for x, x+d ≥ 10 it is
 * (x − ½) ln(1 + d/x) + d ln(x + d) − d + ω(x+d) − ω(x).
 */
export function logGammaRatio(x: number, d: number): number {
  if (d === 0) return 0;
  if (x >= 10 && x + d >= 10) {
    return (x - 0.5) * Math.log1p(d / x) + d * Math.log(x + d) - d + (stirlingRemainder(x + d) - stirlingRemainder(x));
  }
  return stirlingLogGamma(x + d) - stirlingLogGamma(x);
}

/** ln Γ(y), y > 0, in Stirling form from 10 on (relative accuracy where ln Γ is large). */
function stirlingLogGamma(y: number): number {
  return y >= 10 ? (y - 0.5) * Math.log(y) - y + HALF_LOG_TWO_PI + stirlingRemainder(y) : logAbsGamma(y);
}

/**
 * ψ(y + d) − ψ(y) for y > 0, y + d > 0, without the cancellation of two ψ ≈ ln y at large y
 * (at y = 1e9 their difference d/y keeps only ~7 digits): for y, y+d ≥ 10 from the asymptotic
 * series A&S 6.3.18 term by term, ln(1 + d/y) + d/(2y(y+d)) − Σ B₂ₖ/(2k) ((y+d)^−2k − y^−2k).
 */
export function digammaDifference(y: number, d: number): number {
  if (d === 0) return 0;
  if (!(y >= 10 && y + d >= 10)) return digamma(y + d) - digamma(y);
  const u = 1 / (y + d);
  const v = 1 / y;
  const u2 = u * u;
  const v2 = v * v;
  // Σ B₂ₖ/(2k) x^2k for k = 1..7, as in digamma.
  const tail = (x2: number): number =>
    x2 * (1 / 12 - x2 * (1 / 120 - x2 * (1 / 252 - x2 * (1 / 240 - x2 * (1 / 132 - x2 * (691 / 32760 - x2 / 12))))));
  return Math.log1p(d / y) + d / (2 * y * (y + d)) - (tail(u2) - tail(v2));
}
