/**
 * BFGS quasi-Newton minimisation: Nocedal & Wright 2006, "Numerical Optimization",
 * Algorithm 6.1, with the inverse-Hessian update of eq. 6.17, the initial scaling of eq. 6.20
 * and a strong-Wolfe line search (which keeps sᵀy > 0, so the update stays positive definite).
 */

import { strongWolfeLineSearch } from './line-search.js';
import type { DifferentiableObjective, MinimizeResult } from './objective.js';

/** Stopping rules of BFGS. */
export interface BfgsOptions {
  /** Iteration cap (default 500). */
  maxIterations?: number;
  /** Converged when ‖∇f‖∞ ≤ gradientTolerance · max(1, |f|) (default 1e-9). */
  gradientTolerance?: number;
}

/** Minimises f from x0. Never throws for a bad objective: non-finite f yields converged = false. */
export function bfgs(f: DifferentiableObjective, x0: ArrayLike<number>, options: BfgsOptions = {}): MinimizeResult {
  const maxIterations = options.maxIterations ?? 500;
  const gradientTolerance = options.gradientTolerance ?? 1e-9;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let xNext = new Float64Array(n);
  let gNext = new Float64Array(n);
  const d = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const hy = new Float64Array(n);
  const h = new Float64Array(n * n);
  let evaluations = 1;
  let fx = f(x, g);
  if (!Number.isFinite(fx) || !allFinite(g)) {
    return { x, fx: Infinity, iterations: 0, evaluations, converged: false, method: 'bfgs' };
  }
  setIdentity(h, n);
  let isIdentity = true;
  let iterations = 0;
  let converged = false;

  for (; iterations < maxIterations; iterations++) {
    if (maxAbs(g) <= gradientTolerance * Math.max(1, Math.abs(fx))) {
      converged = true;
      break;
    }
    // d = −H g; a non-descent direction (rounding in H) restarts from steepest descent.
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= h[i * n + j] * g[j];
      d[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      setIdentity(h, n);
      isIdentity = true;
      for (let i = 0; i < n; i++) d[i] = -g[i];
    }
    // First step of steepest descent: at most unit length in the largest coordinate.
    const initialStep = isIdentity ? Math.min(1, 1 / maxAbs(d)) : 1;
    const ls = strongWolfeLineSearch(f, x, fx, g, d, initialStep, xNext, gNext);
    evaluations += ls.evaluations;
    if (!ls.ok || !(ls.fx <= fx)) {
      if (isIdentity) break; // no progress even along −∇f: stalled
      setIdentity(h, n);
      isIdentity = true;
      continue;
    }
    let sy = 0;
    let yy = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNext[i] - x[i];
      y[i] = gNext[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
      ss += s[i] * s[i];
    }
    [x, xNext] = [xNext, x];
    [g, gNext] = [gNext, g];
    fx = ls.fx;
    if (!(sy > 1e-12 * Math.sqrt(ss * yy))) continue; // curvature too weak to trust: keep H
    if (isIdentity) {
      // eq. 6.20: scale H₀ to the curvature just seen, so the first full step is sensible.
      setIdentity(h, n, sy / yy);
      isIdentity = false;
    }
    // eq. 6.17: H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, expanded to avoid n³ work.
    const rho = 1 / sy;
    let yhy = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += h[i * n + j] * y[j];
      hy[i] = v;
      yhy += y[i] * v;
    }
    const k = rho * (1 + rho * yhy);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) h[i * n + j] += k * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j]);
    }
  }
  return { x, fx, iterations, evaluations, converged, method: 'bfgs' };
}

function setIdentity(h: Float64Array, n: number, scale = 1): void {
  h.fill(0);
  for (let i = 0; i < n; i++) h[i * n + i] = scale;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
