/**
 * Line search satisfying the strong Wolfe conditions: Nocedal & Wright 2006, "Numerical
 * Optimization", Algorithm 3.5 (bracketing) and Algorithm 3.6 (zoom), with the cubic
 * interpolation step of eq. 3.59, safeguarded by bisection. Values that are not finite
 * (a likelihood outside its domain) count as +∞ and just shrink the step.
 */

import type { DifferentiableObjective } from './objective.js';

/** Outcome of one line search. */
export interface LineSearchResult {
  /** Accepted step length α (0 when none was found). */
  step: number;
  /** f(x + α d). */
  fx: number;
  /** True when α satisfies at least the sufficient-decrease (Armijo) condition. */
  ok: boolean;
  evaluations: number;
}

/** Tuning of the line search; the defaults are N&W's for quasi-Newton methods. */
export interface LineSearchOptions {
  /** Sufficient-decrease constant c1 (eq. 3.7a). */
  c1?: number;
  /** Curvature constant c2 (eq. 3.7b). */
  c2?: number;
  maxEvaluations?: number;
}

/**
 * Searches along d from x (where f = fx and ∇f = gradient). On success the accepted point
 * is in `xOut` and its gradient in `gradientOut`.
 */
export function strongWolfeLineSearch(
  f: DifferentiableObjective,
  x: Float64Array,
  fx: number,
  gradient: Float64Array,
  d: Float64Array,
  initialStep: number,
  xOut: Float64Array,
  gradientOut: Float64Array,
  options: LineSearchOptions = {},
): LineSearchResult {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxEvaluations = options.maxEvaluations ?? 40;
  const n = x.length;
  let evaluations = 0;
  let slope = 0; // φ'(α) of the last evaluation

  const phi = (alpha: number): number => {
    evaluations++;
    for (let i = 0; i < n; i++) xOut[i] = x[i] + alpha * d[i];
    const v = f(xOut, gradientOut);
    if (!Number.isFinite(v)) {
      slope = NaN;
      return Infinity;
    }
    slope = 0;
    for (let i = 0; i < n; i++) slope += gradientOut[i] * d[i];
    if (!Number.isFinite(slope)) return Infinity;
    return v;
  };

  const slope0 = dot(gradient, d);
  if (!(slope0 < 0)) return { step: 0, fx, ok: false, evaluations };

  const armijo = (alpha: number, v: number): boolean => v <= fx + c1 * alpha * slope0;
  const curvature = (s: number): boolean => Math.abs(s) <= -c2 * slope0;

  // Algorithm 3.6: zoom between lo (satisfies Armijo, lowest so far) and hi.
  const zoom = (lo: number, phiLo: number, slopeLo: number, hi: number, phiHi: number, slopeHi: number): LineSearchResult => {
    while (evaluations < maxEvaluations) {
      const alpha = interpolate(lo, phiLo, slopeLo, hi, phiHi, slopeHi);
      const v = phi(alpha);
      if (!armijo(alpha, v) || v >= phiLo) {
        hi = alpha; phiHi = v; slopeHi = slope;
      } else {
        if (curvature(slope)) return { step: alpha, fx: v, ok: true, evaluations };
        if (slope * (hi - lo) >= 0) {
          hi = lo; phiHi = phiLo; slopeHi = slopeLo;
        }
        lo = alpha; phiLo = v; slopeLo = slope;
      }
      if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
    }
    // Out of budget: fall back to the best Armijo point, re-evaluated so the outputs match it.
    if (lo > 0) {
      const v = phi(lo);
      return { step: lo, fx: v, ok: Number.isFinite(v), evaluations };
    }
    return { step: 0, fx, ok: false, evaluations };
  };

  // Algorithm 3.5: expand until a bracket is found.
  let prev = 0;
  let phiPrev = fx;
  let slopePrev = slope0;
  let alpha = initialStep;
  for (let i = 0; evaluations < maxEvaluations; i++) {
    const v = phi(alpha);
    if (!armijo(alpha, v) || (i > 0 && v >= phiPrev)) return zoom(prev, phiPrev, slopePrev, alpha, v, slope);
    if (curvature(slope)) return { step: alpha, fx: v, ok: true, evaluations };
    if (slope >= 0) return zoom(alpha, v, slope, prev, phiPrev, slopePrev);
    prev = alpha; phiPrev = v; slopePrev = slope;
    alpha *= 2;
  }
  return { step: prev, fx: phiPrev, ok: false, evaluations };
}

/** Minimiser of the cubic through (a, φa, φ'a), (b, φb, φ'b) (N&W eq. 3.59), kept inside the bracket. */
function interpolate(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const lo = Math.min(a, b);
  const width = Math.abs(b - a);
  let alpha = NaN;
  if (Number.isFinite(fb) && Number.isFinite(db)) {
    const d1 = da + db - (3 * (fa - fb)) / (a - b);
    const disc = d1 * d1 - da * db;
    if (disc >= 0) {
      const d2 = Math.sign(b - a) * Math.sqrt(disc);
      alpha = b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
    }
  }
  if (!(alpha >= lo + 0.1 * width && alpha <= lo + 0.9 * width)) {
    // No usable cubic (or outside the safe zone): bisect; when b is outside the domain, stay
    // close to a.
    alpha = Number.isFinite(fb) ? 0.5 * (a + b) : a + 0.25 * (b - a);
  }
  return alpha;
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}
