/**
 * Gamma-Gamma spend log-likelihood (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value", note 025, eq. 1a; Fader, Hardie & Lee 2005b, "RFM and CLV", Journal of
 * Marketing Research 42(4), §"Spend model") as a pure function of θ = (ln p, ln q, ln γ),
 * with its analytic gradient. A customer with x repeat transactions of mean value m̄ has
 *   ln f(m̄ | p, q, γ; x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄
 *                          + px ln x − (px+q) ln(γ + x m̄),
 * the same expression as lifetimes' GammaGammaFitter. The gamma-function terms depend on x
 * only and are evaluated once per distinct x.
 */

import { digamma, logAbsGamma } from '../special-functions/gamma-function.js';
import type { SpendColumns } from '../rfm-columns.js';

/**
 * −Σ weight · ln f(m̄_x | p, q, γ; x) at θ = (ln p, ln q, ln γ); fills ∂/∂θ into `gradient`
 * when given. Rows must have x > 0 and m̄_x > 0 (as spendColumns guarantees).
 */
export function gammaGammaNegativeLogLikelihood(logParams: ArrayLike<number>, data: SpendColumns, gradient: Float64Array | null = null): number {
  const p = Math.exp(logParams[0]);
  const q = Math.exp(logParams[1]);
  const gamma = Math.exp(logParams[2]);
  const lnGamma = Math.log(gamma);
  const lgQ = logAbsGamma(q);
  const psiQ = gradient ? digamma(q) : 0;
  const { frequency, monetaryValue, weight } = data;
  let ll = 0;
  let dP = 0;
  let dQ = 0;
  let dGamma = 0;
  // The x-only terms are recomputed only when x changes: spendColumns sorts rows by x, so
  // that is once per distinct x.
  let lastX = NaN;
  let xTerm = 0;
  let psiPxQ = 0;
  let psiPx = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    const m = monetaryValue[i];
    const w = weight === undefined ? 1 : weight[i];
    const px = p * x;
    if (x !== lastX) {
      lastX = x;
      xTerm = logAbsGamma(px + q) - logAbsGamma(px) - lgQ + px * Math.log(x);
      if (gradient) {
        psiPxQ = digamma(px + q);
        psiPx = digamma(px);
      }
    }
    const lnM = Math.log(m);
    const lnDenominator = Math.log(gamma + x * m);
    ll += w * (xTerm + q * lnGamma + (px - 1) * lnM - (px + q) * lnDenominator);
    if (gradient) {
      dP += w * x * (psiPxQ - psiPx + lnM + Math.log(x) - lnDenominator);
      dQ += w * (psiPxQ - psiQ + lnGamma - lnDenominator);
      dGamma += w * (q / gamma - (px + q) / (gamma + x * m));
    }
  }
  if (gradient) {
    gradient[0] = -p * dP;
    gradient[1] = -q * dQ;
    gradient[2] = -gamma * dGamma;
  }
  return -ll;
}
