/**
 * Nelder-Mead downhill simplex (Nelder & Mead 1965, "A simplex method for function
 * minimization", Computer Journal 7), in the formulation of Lagarias et al. 1998 (SIAM J.
 * Optim. 9(1)) with the dimension-adaptive coefficients of Gao & Han 2012 (Comput. Optim.
 * Appl. 51). Derivative-free: the fallback when BFGS stalls on a rough or flat objective.
 */

import type { MinimizeResult } from './objective.js';

/** Stopping rules and start of Nelder-Mead. */
export interface NelderMeadOptions {
  /** Iteration cap (default 1000 · n). */
  maxIterations?: number;
  /** Edge of the initial simplex along each axis (default 0.1; suits log-parameters). */
  initialStep?: number;
  /** Converged when every vertex's f is within fTolerance · max(1, |f_best|) of the best (default 1e-12)… */
  fTolerance?: number;
  /** …and every vertex within xTolerance · max(1, ‖x_best‖∞) of the best (default 1e-9). */
  xTolerance?: number;
}

/** Minimises f (non-finite values count as +∞) from x0. */
export function nelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: NelderMeadOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 1000 * n;
  const step = options.initialStep ?? 0.1;
  const fTolerance = options.fTolerance ?? 1e-12;
  const xTolerance = options.xTolerance ?? 1e-9;
  // Gao & Han 2012, eq. 4.1: reflection, expansion, contraction, shrink.
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;

  let evaluations = 0;
  const value = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };

  const vertices: Float64Array[] = [];
  const values: number[] = [];
  for (let i = 0; i <= n; i++) {
    const v = Float64Array.from(x0);
    if (i > 0) v[i - 1] += step;
    vertices.push(v);
    values.push(value(v));
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const reflected = new Float64Array(n);
  const trial = new Float64Array(n);

  const along = (out: Float64Array, coefficient: number): void => {
    const worst = vertices[order[n]];
    for (let j = 0; j < n; j++) out[j] = centroid[j] + coefficient * (centroid[j] - worst[j]);
  };
  const replaceWorst = (x: Float64Array, fx: number): void => {
    vertices[order[n]].set(x);
    values[order[n]] = fx;
  };

  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    order.sort((i, j) => values[i] - values[j]);
    const best = vertices[order[0]];
    const fBest = values[order[0]];
    let fSpread = 0;
    let xSpread = 0;
    let xScale = 1;
    for (let j = 0; j < n; j++) xScale = Math.max(xScale, Math.abs(best[j]));
    for (let k = 1; k <= n; k++) {
      fSpread = Math.max(fSpread, values[order[k]] - fBest);
      const v = vertices[order[k]];
      for (let j = 0; j < n; j++) xSpread = Math.max(xSpread, Math.abs(v[j] - best[j]));
    }
    if (fSpread <= fTolerance * Math.max(1, Math.abs(fBest)) && xSpread <= xTolerance * xScale) {
      converged = true;
      break;
    }
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const v = vertices[order[k]];
      for (let j = 0; j < n; j++) centroid[j] += v[j] / n;
    }
    const fWorst = values[order[n]];
    const fSecondWorst = values[order[n - 1]];
    along(reflected, alpha);
    const fr = value(reflected);
    if (fr < fBest) {
      along(trial, alpha * beta);
      const fe = value(trial);
      if (fe < fr) replaceWorst(trial, fe);
      else replaceWorst(reflected, fr);
      continue;
    }
    if (fr < fSecondWorst) {
      replaceWorst(reflected, fr);
      continue;
    }
    // Outside contraction when the reflection beat the worst vertex, inside otherwise.
    const outside = fr < fWorst;
    along(trial, outside ? alpha * gamma : -gamma);
    const fc = value(trial);
    if (outside ? fc <= fr : fc < fWorst) {
      replaceWorst(trial, fc);
      continue;
    }
    for (let k = 1; k <= n; k++) {
      const v = vertices[order[k]];
      for (let j = 0; j < n; j++) v[j] = best[j] + delta * (v[j] - best[j]);
      values[order[k]] = value(v);
    }
  }
  let bestIndex = 0;
  for (let k = 1; k <= n; k++) if (values[k] < values[bestIndex]) bestIndex = k;
  return { x: vertices[bestIndex], fx: values[bestIndex], iterations, evaluations, converged, method: 'nelder-mead' };
}
