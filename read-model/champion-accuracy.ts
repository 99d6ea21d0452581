/**
 * The champion's accuracy, from what is recorded with it and what has happened since:
 * - the customer model's backtest, as training (training/training-run.ts) and the demo record
 *   it in the version's details: `holdout.challenger` (the same model fitted on the data to
 *   the holdout's start, checked on the holdout) and `window`;
 * - the revenue forecast's live check: its daily (or weekly) forecast set against the
 *   revenue booked on the same days, over the calendar months that are over (the latest
 *   order is past their end), per month as its backtest is (models/metrics/forecast-accuracy.ts).
 */
import type { EpochMs } from '../core/events.js';
import type { ForecastBacktest, RevenueForecast } from '../core/ports/clv-read-model.js';
import type { CustomerModelBacktest } from '../core/ports/clv-read-model-reports.js';
import { monthlyAccuracy } from '../models/metrics/forecast-accuracy.js';
import type { PeriodValue } from '../models/forecast/revenue-series.js';

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const time = (v: unknown): EpochMs | null => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? Date.parse(v) : null);

/** The backtest a version's details record, or null when they hold none. Money in the details is in currency units. */
export function customerModelBacktest(details: unknown, minorPerUnit: number): CustomerModelBacktest | null {
  const d = (details ?? {}) as { holdout?: { challenger?: Record<string, unknown> | null }; window?: Record<string, unknown> };
  const h = d.holdout?.challenger;
  if (typeof h !== 'object' || h === null || finite(h.customers) === null) return null;
  const w = d.window ?? {};
  const minor = (v: unknown) => (finite(v) === null ? null : Math.round(finite(v)! * minorPerUnit));
  return {
    calibrationEndMs: time(w.calibration_end),
    holdoutEndMs: time(w.as_of),
    holdoutDays: finite(w.holdout_days),
    customers: finite(h.customers)!,
    valueError: finite(h.value_error),
    spearman: finite(h.spearman_value),
    topDecileCapture: finite(h.top_decile_capture),
    meanAbsoluteErrorMinor: minor(h.mae_value),
    predictedValueMinor: minor(h.predicted_value_total),
    actualValueMinor: minor(h.actual_value_total),
  };
}

/**
 * The forecast against actual revenue per day, over [fromMs, toMs): the caller gives the
 * window (the forecast's start, and the start of the month the latest order is in or the
 * forecast's end) and the actual revenue of each day in it. Null when no day is compared.
 * @param dayOf the shop's day index of an instant.
 */
export function liveForecastCheck(
  forecast: RevenueForecast, actualByDay: readonly PeriodValue[], window: { fromMs: EpochMs; toMs: EpochMs }, dayOf: (ms: EpochMs) => number,
): ForecastBacktest | null {
  if (window.toMs <= window.fromMs) return null;
  const fromDay = dayOf(window.fromMs);
  const toDay = dayOf(window.toMs);
  const length = forecast.granularity === 'week' ? 7 : 1;
  // A weekly value spread evenly over its days, as the backtest spreads it.
  const predicted: PeriodValue[] = [];
  for (const p of forecast.points) {
    const start = dayOf(p.periodStartMs);
    for (let day = start; day < start + length; day++) if (day >= fromDay && day < toDay) predicted.push({ day, value: p.expectedMinor / length });
  }
  const acc = monthlyAccuracy(predicted, actualByDay.filter((a) => a.day >= fromDay && a.day < toDay));
  if (acc.months.length === 0) return null;
  return { ...window, months: acc.months.length, monthlyMape: acc.mape, totalRelativeError: acc.totalRelativeError };
}
