/**
 * Φ⁻¹(u), the standard normal quantile, by Acklam's rational approximation (P. J. Acklam,
 * "An algorithm for computing the inverse normal cumulative distribution function", 2003;
 * relative error < 1.15e-9 over (0, 1)): central rational function for u ∈ [0.02425,
 * 0.97575], a rational function of √(−2 ln u) in the tails. Good enough for start values of
 * Newton iterations, which is what the models use it for; not refined further.
 */

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const LOW = 0.02425;

/** Φ⁻¹(u) for u ∈ (0, 1); −∞ at 0, +∞ at 1, NaN outside [0, 1]. */
export function normalQuantile(u: number): number {
  if (!(u >= 0 && u <= 1)) return NaN;
  if (u === 0) return -Infinity;
  if (u === 1) return Infinity;
  if (u < LOW) return tail(Math.sqrt(-2 * Math.log(u)));
  if (u > 1 - LOW) return -tail(Math.sqrt(-2 * Math.log1p(-u)));
  const q = u - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/** The lower-tail rational function of q = √(−2 ln u). */
function tail(q: number): number {
  return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
}
