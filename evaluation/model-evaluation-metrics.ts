/**
 * The metrics.json block of one model over one window: today's holdout keys (aggregate
 * error, customer-level MAE/RMSE, Spearman, normalized Gini, top-decile capture, decile MAPE
 * from models/metrics/holdout-metrics.ts) plus the monthly view: the model's total spread over the
 * window's days by its daily shape, summed per calendar month and compared with the actual
 * monthly revenue of the same customers (MAPE per period, ARCHITECTURE "Ensemble and evaluation").
 * Purchase-count keys are null for models that predict only value.
 */
import { allocateTotal } from '../models/ensemble/period-allocation.js';
import { monthlyAccuracy } from '../models/metrics/forecast-accuracy.js';
import { holdoutMetrics } from '../models/metrics/holdout-metrics.js';
import type { EvaluationWindow, WindowForecast } from './model-evaluation-window.js';

export function windowMetricsJson(forecast: WindowForecast, window: EvaluationWindow, periodDays: number, expectedPurchases: ArrayLike<number> | null = null) {
  const value = holdoutMetrics(forecast.values, window.actualValue);
  const purchases = expectedPurchases === null ? null : holdoutMetrics(expectedPurchases, window.actualPurchaseDays);
  const monthly = monthlyTotals(value.predictedTotal, forecast.dailyShape, window);
  return {
    periods: (window.endDay - window.cutDay) / periodDays,
    predicted_purchases_total: purchases?.predictedTotal ?? null,
    actual_purchases_total: purchases?.actualTotal ?? sum(window.actualPurchaseDays),
    predicted_value_total: value.predictedTotal,
    actual_value_total: value.actualTotal,
    value_error: value.aggregateRelativeError,
    spearman_value: value.spearman,
    gini_value: value.normalizedGini,
    top_decile_capture: value.topDecileCapture,
    mae_value: value.meanAbsoluteError,
    rmse_value: value.rootMeanSquaredError,
    decile_mape: value.decileMape,
    purchases_error: purchases?.aggregateRelativeError ?? null,
    spearman_purchases: purchases?.spearman ?? null,
    period_mape: monthly.mape,
    interval_coverage: intervalCoverage(forecast, window),
    months: monthly.months.map((m) => ({ month: m.month, days: m.days, predicted_value: m.predicted, actual_value: m.actual, ape: m.absolutePercentageError })),
  };
}

export type WindowMetricsJson = ReturnType<typeof windowMetricsJson>;

/**
 * Shares of customers whose actual window spend fell below, inside and above their interval
 * (its `level`, e.g. 0.8 for 10–90%); null for models without intervals. Inside exceeds the
 * level for a base of mostly silent customers: the atom at zero counts inside.
 */
function intervalCoverage(forecast: WindowForecast, window: EvaluationWindow): { level: number; inside: number; below: number; above: number } | null {
  const q = forecast.intervals;
  if (!q || window.actualValue.length === 0) return null;
  let below = 0;
  let above = 0;
  // A cent of slack: intervals and actuals are in currency units.
  window.actualValue.forEach((a, i) => {
    if (a < q.lower[i] - 0.005) below++;
    else if (a > q.upper[i] + 0.005) above++;
  });
  const n = window.actualValue.length;
  return { level: q.level, inside: 1 - (below + above) / n, below: below / n, above: above / n };
}

/** `total` spread by `shape` over the window's days, against the actual daily revenue, per calendar month. */
export function monthlyTotals(total: number, shape: ArrayLike<number>, window: EvaluationWindow) {
  const predicted = allocateTotal(total, shape);
  const points = (values: ArrayLike<number>) => Array.from(values, (value, i) => ({ day: window.cutDay + 1 + i, value }));
  return monthlyAccuracy(points(predicted), points(window.revenueInWindow), 'day');
}

function sum(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}
