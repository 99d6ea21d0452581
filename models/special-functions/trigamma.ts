/**
 * Trigamma ψ′(x) = d²/dx² ln Γ(x) for x > 0: the variance of ln G for G ~ Gamma(x, 1), which
 * the CLV interval's log-normal start value needs (clv-predictive-distribution.ts).
 * Recurrence ψ′(x) = ψ′(x+1) + 1/x² (A&S 6.4.6) up to x ≥ 10, then the asymptotic series
 * A&S 6.4.12, ψ′(x) ~ 1/x + 1/(2x²) + Σ B₂ₖ / x^(2k+1) to k = 7, good to ~1e-16 there.
 */

/** ψ′(x) for x > 0; NaN otherwise. */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN;
  let shift = 0;
  while (x < 10) {
    shift += 1 / (x * x);
    x += 1;
  }
  const i = 1 / x;
  const i2 = i * i;
  // B₂ = 1/6, B₄ = −1/30, B₆ = 1/42, B₈ = −1/30, B₁₀ = 5/66, B₁₂ = −691/2730, B₁₄ = 7/6.
  const series = i2 * i * (1 / 6 - i2 * (1 / 30 - i2 * (1 / 42 - i2 * (1 / 30 - i2 * (5 / 66 - i2 * (691 / 2730 - i2 * (7 / 6)))))));
  return shift + i + 0.5 * i2 + series;
}
