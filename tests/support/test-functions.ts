/**
 * Classic optimisation test functions with analytic gradients (Moré, Garbow & Hillstrom
 * 1981, "Testing unconstrained optimization software", ACM TOMS 7(1)).
 */

import type { DifferentiableObjective } from '../../models/optimize/objective.js';

/** Rosenbrock (MGH #1, generalised to n dims): minimum 0 at (1, …, 1). */
export const rosenbrock: DifferentiableObjective = (x, g) => {
  let f = 0;
  if (g) g.fill(0);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    if (g) {
      g[i] += -400 * x[i] * a - 2 * b;
      g[i + 1] += 200 * a;
    }
  }
  return f;
};

/** Beale (MGH #5): minimum 0 at (3, 0.5). */
export const beale: DifferentiableObjective = (x, g) => {
  const [u, v] = x;
  const t1 = 1.5 - u + u * v;
  const t2 = 2.25 - u + u * v * v;
  const t3 = 2.625 - u + u * v * v * v;
  if (g) {
    g[0] = 2 * t1 * (v - 1) + 2 * t2 * (v * v - 1) + 2 * t3 * (v * v * v - 1);
    g[1] = 2 * t1 * u + 2 * t2 * 2 * u * v + 2 * t3 * 3 * u * v * v;
  }
  return t1 * t1 + t2 * t2 + t3 * t3;
};

/** Ill-conditioned quadratic Σ 10^(i) (x_i − i)², minimum 0 at (0, 1, 2, …). */
export const scaledQuadratic: DifferentiableObjective = (x, g) => {
  let f = 0;
  for (let i = 0; i < x.length; i++) {
    const w = 10 ** i;
    f += w * (x[i] - i) ** 2;
    if (g) g[i] = 2 * w * (x[i] - i);
  }
  return f;
};

/** Only defined for x > 0 (NaN elsewhere): x − ln x per coordinate, minimum n at (1, …, 1). */
export const logBarrier: DifferentiableObjective = (x, g) => {
  let f = 0;
  for (let i = 0; i < x.length; i++) {
    f += x[i] - Math.log(x[i]);
    if (g) g[i] = 1 - 1 / x[i];
  }
  return f;
};
