/**
 * The distribution of an alive customer's number of future purchases N over the next t
 * periods under BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way",
 * Marketing Science 24(2)) — the count behind the CLV interval (clv-predictive-distribution.ts).
 *
 * Given the history (x, t_x, T) and that the customer is alive at T, the posterior is
 * λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x), independent (the alive likelihood is
 * λ^x e^(−λT) (1−p)^x; FHL 2005 §3 and their technical note "Computing P(alive)"). From T
 * on, purchases follow a Poisson(λ) process and after each the customer drops out with
 * probability p, so with K the Poisson count in t and D ~ Geometric(p) the purchase at which
 * they drop out, N = min(K, D) and
 *
 *   P(N ≥ n | alive) = P(K ≥ n) · E[(1−p)^(n−1)],     n ≥ 1,
 *
 * where K is negative binomial, P(K = k) = Γ(s+k)/(Γ(s) k!) (β/(β+t))^s (t/(β+t))^k with
 * s = r+x, β = α+T (so P(K = 0) = (β/(β+t))^s, FHL eq. 7's building block), and
 * E[(1−p)^(n−1)] = B(a, b+x+n−1)/B(a, b+x) = Π_{j<n−1} (b+x+j)/(a+b+x+j). Both follow by
 * ratio recursions, so the whole survival function costs a few flops per n.
 * Σ_{n≥1} P(N ≥ n | alive) is E[N | alive], FHL eq. 10 divided by P(alive) (checked in tests).
 */
import type { BgNbdParams } from './bgnbd-expectation.js';

/** Below this ln P(K = 0) the ratio recursion would start from an underflowed 0. */
const LOG_UNDERFLOW = -600;

/**
 * Fills `survival[n] = P(N ≥ n | alive)` for n = 0, 1, …, m and returns m: the last n whose
 * survival is ≥ `tolerance` (the mass beyond it, < tolerance, is dropped), or the array's
 * last index if that comes first. survival[0] = 1. t in model periods, > 0.
 */
export function aliveFuturePurchaseSurvival(
  params: BgNbdParams,
  x: number,
  T: number,
  t: number,
  survival: Float64Array,
  tolerance: number,
): number {
  const { r, alpha, a, b } = params;
  const s = r + x;
  const beta = alpha + T;
  const logNone = -s * Math.log1p(t / beta); // ln P(K = 0)
  const theta = t / (beta + t);
  const logTheta = Math.log(theta);
  const bx = b + x;
  const last = survival.length - 1;
  survival[0] = 1;
  let pmf = Math.exp(logNone); // P(K = k), k = n − 1
  let logPmf = logNone;
  const fast = logNone > LOG_UNDERFLOW;
  let kSurvival = 1; // P(K ≥ n)
  let stay = 1; // E[(1−p)^(n−1)]
  for (let n = 1; n <= last; n++) {
    kSurvival -= pmf;
    if (n > 1) stay *= (bx + n - 2) / (a + bx + n - 2);
    const value = kSurvival * stay;
    if (!(value >= tolerance)) return n - 1; // also stops on a rounding-negative tail
    survival[n] = value;
    // P(K = n) from P(K = n−1): × θ (s+n−1)/n; in logs when P(K = 0) underflows (s huge).
    if (fast) pmf *= (theta * (s + n - 1)) / n;
    else {
      logPmf += logTheta + Math.log((s + n - 1) / n);
      pmf = Math.exp(logPmf);
    }
  }
  return last;
}
