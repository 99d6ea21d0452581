/**
 * Which time shape spreads the ensemble's total over the months of a window. The blend
 * fixes the total per customer; the candidates differ only in how it falls over time —
 * BG/NBD's own decay curve, that curve times Prophet's seasonal factor (Prophet's seasonal
 * shape correcting the per-customer models' aggregate), or Prophet's whole daily forecast.
 * The choice is made on the validation window, inside the calibration period: the candidate
 * whose monthly MAPE was lowest there is used for the holdout.
 */
import { monthlyTotals } from './model-evaluation-metrics.js';
import type { EvaluationWindow } from './model-evaluation-window.js';

export interface ShapeCandidate {
  name: string;
  dailyShape: Float64Array;
}

export interface ShapeChoice {
  chosen: string;
  /** Candidate → monthly MAPE on the window (null when undefined). */
  mape: Record<string, number | null>;
}

/**
 * The candidate with the lowest monthly MAPE of `total` spread over `window` (the first on
 * ties; candidates with an undefined MAPE lose). @throws RangeError with no candidate.
 */
export function chooseEnsembleShape(candidates: readonly ShapeCandidate[], total: number, window: EvaluationWindow): ShapeChoice {
  if (candidates.length === 0) throw new RangeError('no shape candidate');
  const mape: Record<string, number | null> = {};
  let chosen = candidates[0].name;
  let best = Infinity;
  for (const c of candidates) {
    const m = monthlyTotals(total, c.dailyShape, window).mape;
    mape[c.name] = m;
    if (m !== null && m < best) {
      best = m;
      chosen = c.name;
    }
  }
  return { chosen, mape };
}
