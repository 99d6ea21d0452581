/**
 * BG/NBD + Gamma-Gamma over an evaluation window — plain, or in operational time (the
 * seasonal kind): each customer's expected purchases in the window (Fader, Hardie & Lee
 * 2005, eq. 10) times the expected spend per purchase (Fader & Hardie 2013, eq. 5),
 * undiscounted, as in holdout-evaluation.ts. The time shape of the total is the model's own:
 * the aggregate conditional expectation sampled at each month end, so a cohort that is dying
 * out gets falling months, and a seasonal model's months follow the season.
 */
import type { ModelInput } from '../core/repeat-purchase-summary.js';
import { calendarMonths, spreadOverDays } from '../models/ensemble/period-allocation.js';
import type { EvaluationWindow, WindowForecast } from './model-evaluation-window.js';

/** What a per-customer model in the BG/NBD family answers about a window after a customer's as-of. */
export interface WindowValueModel {
  readonly periodDays: number;
  /** Undiscounted expected purchases, spend per purchase and P(alive) over `periods` periods after the as-of. */
  expectedOver(input: ModelInput, periods: number): { purchases: number; avgValue: number; pAlive: number };
  /** Expected purchases in the `days` calendar days after the as-of. */
  expectedPurchasesWithin(input: ModelInput, days: number): number;
  /** Central interval of undiscounted spend over `periods` periods after the as-of, when the kind has one. */
  intervalOver?(input: ModelInput, periods: number): { lower: number; upper: number; level: number };
}

export interface PerCustomerWindowForecast extends WindowForecast {
  expectedPurchases: Float64Array;
  expectedAvgValue: Float64Array;
  pAlive: Float64Array;
}

export function perCustomerWindowForecast(model: WindowValueModel, window: EvaluationWindow): PerCustomerWindowForecast {
  const n = window.inputs.length;
  const periods = (window.endDay - window.cutDay) / model.periodDays;
  const expectedPurchases = new Float64Array(n);
  const expectedAvgValue = new Float64Array(n);
  const pAlive = new Float64Array(n);
  const values = new Float64Array(n);
  window.inputs.forEach((input, i) => {
    const e = model.expectedOver(input, periods);
    expectedPurchases[i] = e.purchases;
    expectedAvgValue[i] = e.avgValue;
    pAlive[i] = e.pAlive;
    values[i] = e.purchases * e.avgValue;
  });
  const months = calendarMonths(window.cutDay + 1, window.endDay);
  let before = 0;
  const increments = months.map((m) => {
    const days = m.toDay - window.cutDay;
    let cumulative = 0;
    window.inputs.forEach((x, i) => (cumulative += model.expectedPurchasesWithin(x, days) * expectedAvgValue[i]));
    const inc = Math.max(0, cumulative - before);
    before = cumulative;
    return inc;
  });
  return { values, dailyShape: spreadOverDays(months, increments), expectedPurchases, expectedAvgValue, pAlive, intervals: windowIntervals(model, window, periods) };
}

/** Each customer's interval of window spend, when the model gives one. */
function windowIntervals(model: WindowValueModel, window: EvaluationWindow, periods: number): WindowForecast['intervals'] {
  if (!model.intervalOver) return null;
  const n = window.inputs.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  let level = 0;
  window.inputs.forEach((input, i) => {
    const q = model.intervalOver!(input, periods);
    lower[i] = q.lower;
    upper[i] = q.upper;
    level = q.level;
  });
  return { lower, upper, level };
}

/**
 * Per customer, E[X(window)] / E[X(label)]: how much more a customer is expected to buy over
 * the whole window than over the first `labelPeriods` of it. Stretches a prediction made for
 * a shorter horizon to the window (1 when the horizons agree); it lies in [1, window/label]
 * because expected purchases accumulate concavely (FHL 2005 eq. 10). 1 when nothing is expected.
 */
export function horizonStretch(model: WindowValueModel, window: EvaluationWindow, labelPeriods: number): Float64Array {
  const periods = (window.endDay - window.cutDay) / model.periodDays;
  return Float64Array.from(window.inputs, (x) => {
    if (Math.abs(periods - labelPeriods) < 1e-9) return 1;
    const short = model.expectedPurchasesWithin(x, labelPeriods * model.periodDays);
    const long = model.expectedPurchasesWithin(x, periods * model.periodDays);
    return short > 0 && Number.isFinite(long / short) ? long / short : 1;
  });
}
