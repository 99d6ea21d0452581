/**
 * What the minimisers take and return. Objectives work on Float64Array so that likelihoods
 * can be evaluated hundreds of times per fit without allocating.
 */

/**
 * f(x), and ∇f(x) written into `gradient` when it is not null. Non-finite values are
 * treated as +∞ (outside the domain) by every minimiser here.
 */
export type DifferentiableObjective = (x: Float64Array, gradient: Float64Array | null) => number;

/** Outcome of a minimisation. */
export interface MinimizeResult {
  /** The best point found. */
  x: Float64Array;
  /** f(x). */
  fx: number;
  /** Iterations of the method that produced x (summed over starts and fallbacks). */
  iterations: number;
  /** Objective evaluations, all methods and starts together. */
  evaluations: number;
  /** True when the method's stopping test was met (not merely the iteration cap). */
  converged: boolean;
  /** The method whose stopping test decided `converged`. */
  method: 'bfgs' | 'nelder-mead';
}
