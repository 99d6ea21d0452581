/**
 * The revenue forecast of a training run: Prophet on the daily net revenue of the purchase
 * histories up to the calibration end, with retail holidays, checked against what the
 * histories show afterwards. Its shape corrects the per-customer models' aggregate; its
 * level on a closed cohort is not to be trusted (see the README's accuracy section).
 */
import type { StateStore } from '../../core/ports/state-store.js';
import { monthlyAccuracy, type MonthlyAccuracy } from '../../models/forecast/forecast-accuracy.js';
import { holidayCalendar, RETAIL_HOLIDAYS } from '../../models/forecast/holiday-calendar.js';
import { fitRevenueForecast, type FittedRevenueForecast } from '../../models/forecast/prophet-forecaster.js';
import { revenueSeriesFromDays, type PeriodValue } from '../../models/forecast/revenue-series.js';
import type { CustomerPurchaseHistory } from '../features/customer-purchase-history.js';

/** Net revenue per day (minor units) of active orders placed in [fromDay, toDay]. */
export async function dailyRevenue(histories: StateStore<CustomerPurchaseHistory>, fromDay: number, toDay: number): Promise<PeriodValue[]> {
  const byDay = new Map<number, number>();
  for await (const page of histories.scan(10_000)) {
    for (const [, h] of page) {
      for (const o of h.orders) if (o.status === 'ACTIVE' && o.day >= fromDay && o.day <= toDay) byDay.set(o.day, (byDay.get(o.day) ?? 0) + o.net);
    }
  }
  const days: PeriodValue[] = [];
  for (let d = fromDay; d <= toDay; d++) days.push({ day: d, value: byDay.get(d) ?? 0 });
  return days;
}

export async function fitRevenueForecastOn(history: readonly PeriodValue[]): Promise<FittedRevenueForecast> {
  const series = revenueSeriesFromDays(history.map((p) => ({ day: p.day, valueMinor: p.value })), { granularity: 'day', fromDay: history[0].day, toDay: history[history.length - 1].day });
  // Yearly seasonality is forced on: Prophet's 'auto' wants two years of history.
  return fitRevenueForecast(series, { yearlySeasonality: true, holidays: holidayCalendar(RETAIL_HOLIDAYS), seed: 1 });
}

export function forecastAccuracy(forecast: FittedRevenueForecast, actual: readonly PeriodValue[]): MonthlyAccuracy {
  const predicted = forecast.predictPeriods(actual.map((p) => p.day)).map((p) => ({ day: p.day, value: p.yhat }));
  return monthlyAccuracy(predicted, actual, 'day');
}
