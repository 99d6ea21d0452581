/**
 * Multi-start minimisation for maximum-likelihood fits: BFGS from every start, the best
 * result kept; if that one did not converge, Nelder-Mead from it and BFGS again to polish.
 * Several starts guard against the flat ridges of BG/NBD-type likelihoods.
 */

import { bfgs, type BfgsOptions } from './bfgs.js';
import { nelderMead, type NelderMeadOptions } from './nelder-mead.js';
import type { DifferentiableObjective, MinimizeResult } from './objective.js';

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  bfgs?: BfgsOptions;
  nelderMead?: NelderMeadOptions;
  /** Use the Nelder-Mead fallback when BFGS does not converge (default true). */
  fallback?: boolean;
}

/**
 * Minimises f from each of `starts` (at least one). Returns the lowest point found;
 * `converged` tells whether the method that produced it met its stopping test.
 */
export function minimize(f: DifferentiableObjective, starts: readonly ArrayLike<number>[], options: MinimizeOptions = {}): MinimizeResult {
  if (starts.length === 0) throw new RangeError('minimize: no starting point');
  let best: MinimizeResult | null = null;
  let iterations = 0;
  let evaluations = 0;
  for (const start of starts) {
    const result = bfgs(f, start, options.bfgs);
    iterations += result.iterations;
    evaluations += result.evaluations;
    if (best === null || better(result, best)) best = result;
  }
  best = best as MinimizeResult;
  if (!best.converged && (options.fallback ?? true) && Number.isFinite(best.fx)) {
    const simplex = nelderMead((x) => f(x, null), best.x, options.nelderMead);
    const polished = bfgs(f, simplex.x, options.bfgs);
    iterations += simplex.iterations + polished.iterations;
    evaluations += simplex.evaluations + polished.evaluations;
    for (const candidate of [simplex, polished]) if (better(candidate, best)) best = candidate;
    if (!best.converged && simplex.converged && polished.fx <= simplex.fx) best = { ...polished, converged: true, method: 'nelder-mead' };
  }
  return { ...best, iterations, evaluations };
}

function better(a: MinimizeResult, b: MinimizeResult): boolean {
  return a.fx < b.fx || (a.fx === b.fx && a.converged && !b.converged);
}
