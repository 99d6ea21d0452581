/**
 * Central-difference gradients for objectives without an analytic one (Nocedal & Wright
 * 2006, "Numerical Optimization", §8.1, eq. 8.7). Step h_i = ε^(1/3) · max(1, |x_i|)
 * balances truncation O(h²) against rounding O(ε/h).
 */

import type { DifferentiableObjective } from './objective.js';

const STEP = Math.cbrt(Number.EPSILON);

/** Wraps f so that it also fills a gradient by central differences (2n extra evaluations). */
export function withNumericalGradient(f: (x: Float64Array) => number): DifferentiableObjective {
  return (x, gradient) => {
    const fx = f(x);
    if (gradient !== null) {
      for (let i = 0; i < x.length; i++) {
        const xi = x[i];
        const h = STEP * Math.max(1, Math.abs(xi));
        x[i] = xi + h;
        const up = f(x);
        x[i] = xi - h;
        const down = f(x);
        x[i] = xi;
        gradient[i] = (up - down) / (2 * h);
      }
    }
    return fx;
  };
}
