/**
 * How well a revenue forecast matched what happened, per calendar month (ARCHITECTURE:
 * "MAPE per period"). Monthly totals are what finance plans with, and they average out the
 * day-to-day noise that no model can forecast. A weekly value that straddles two months is
 * split between them in proportion to its days.
 */
import { dateOfDayIndex } from '../../core/calendar.js';
import { periodDays, type Granularity, type PeriodValue } from '../forecast/revenue-series.js';

/** One month's totals over the days both sides cover. */
export interface MonthAccuracy {
  /** `YYYY-MM`. */
  month: string;
  /** Days of the month covered by both forecast and actuals. */
  days: number;
  predicted: number;
  actual: number;
  /** |predicted − actual| / actual; null when actual = 0 (then it is left out of the MAPE). */
  absolutePercentageError: number | null;
}

export interface MonthlyAccuracy {
  months: MonthAccuracy[];
  /** Mean of the months' absolute percentage errors (a fraction: 0.1 = 10 %); null when none is defined. */
  mape: number | null;
  /** (Σ predicted − Σ actual) / Σ actual over all covered days; null when Σ actual = 0. */
  totalRelativeError: number | null;
}

/**
 * Monthly MAPE of `predicted` against `actual` (both period-start days with values, the same
 * granularity, same unit). Only days covered by both count, so a forecast that starts
 * mid-month is compared with the actuals of the same days.
 * @param minDaysPerMonth months with fewer shared days are left out (default 1: keep all).
 * @throws RangeError on a non-finite value.
 */
export function monthlyAccuracy(
  predicted: readonly PeriodValue[],
  actual: readonly PeriodValue[],
  granularity: Granularity = 'day',
  minDaysPerMonth = 1,
): MonthlyAccuracy {
  const p = dailyValues(predicted, granularity);
  const a = dailyValues(actual, granularity);
  const byMonth = new Map<string, MonthAccuracy>();
  for (const [day, pv] of p) {
    const av = a.get(day);
    if (av === undefined) continue;
    const month = dateOfDayIndex(day).slice(0, 7);
    let m = byMonth.get(month);
    if (m === undefined) byMonth.set(month, (m = { month, days: 0, predicted: 0, actual: 0, absolutePercentageError: null }));
    m.days++;
    m.predicted += pv;
    m.actual += av;
  }
  const months = [...byMonth.values()].filter((m) => m.days >= minDaysPerMonth).sort((x, y) => x.month.localeCompare(y.month));
  let sumApe = 0;
  let defined = 0;
  let totalPredicted = 0;
  let totalActual = 0;
  for (const m of months) {
    if (m.actual !== 0) {
      m.absolutePercentageError = Math.abs(m.predicted - m.actual) / Math.abs(m.actual);
      sumApe += m.absolutePercentageError;
      defined++;
    }
    totalPredicted += m.predicted;
    totalActual += m.actual;
  }
  return {
    months,
    mape: defined === 0 ? null : sumApe / defined,
    totalRelativeError: totalActual === 0 ? null : (totalPredicted - totalActual) / totalActual,
  };
}

/** Day → value, a period's value spread evenly over its days. */
function dailyValues(points: readonly PeriodValue[], granularity: Granularity): Map<number, number> {
  const len = periodDays(granularity);
  const out = new Map<number, number>();
  for (const { day, value } of points) {
    if (!Number.isFinite(value) || !Number.isInteger(day)) throw new RangeError(`bad value ${value} for day ${day}`);
    for (let d = day; d < day + len; d++) out.set(d, (out.get(d) ?? 0) + value / len);
  }
  return out;
}
