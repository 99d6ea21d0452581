/**
 * Prophet (Taylor & Letham 2018, via models/forecast) over an evaluation window: fitted on
 * the daily net revenue up to the cut, it forecasts each day of the window; the window's
 * monthly aggregates are sums of those days.
 *
 * Choices, made before looking at any holdout:
 * - log(1 + revenue) (`transform: 'log'`): a customer base with no new customers decays,
 *   and an exponential trend decays towards 0 where a linear one crosses it (the README's
 *   84% monthly MAPE on CDNOW came from that). Under the log transform yhat is a median.
 * - Prophet's own rule for yearly seasonality ('auto': on with ≥ 2 years of history): a
 *   Fourier series fitted on less than a year extrapolates a cycle it never saw.
 * - The configured holidays (CLV_HOLIDAYS; retail by default), weekly seasonality, no
 *   uncertainty samples (only the point forecast is scored).
 *
 * Prophet forecasts a total, not customers. Its per-customer figure is the per-customer
 * model's shares (BG/NBD + Gamma-Gamma) scaled to Prophet's total, so its customer-level
 * ranks are BG/NBD's and only its level and monthly shape are its own.
 */
import { holidayCalendar, RETAIL_HOLIDAYS, type HolidayCalendar } from '../core/holidays/holiday-calendar.js';
import { fitRevenueForecast, type ForecastFitDiagnostics } from '../models/forecast/prophet-forecaster.js';
import { revenueSeriesFromDays } from '../models/forecast/revenue-series.js';
import type { EvaluationWindow, WindowForecast } from './model-evaluation-window.js';

export interface ProphetWindowForecast extends WindowForecast {
  /** Forecast revenue per window day, currency units. */
  daily: Float64Array;
  /**
   * Per window day, exp(Σ seasonal and holiday components) in log space: the factor by which
   * Prophet's season moves revenue off its trend on that day.
   */
  seasonalFactor: Float64Array;
  diagnostics: ForecastFitDiagnostics;
}

/**
 * @param shares per-customer values whose proportions split Prophet's total (≥ 0).
 * @throws ClvError INSUFFICIENT_DATA with under 14 days of history or no revenue.
 */
export async function prophetWindowForecast(window: EvaluationWindow, shares: ArrayLike<number>, minorPerUnit: number, holidays: HolidayCalendar = holidayCalendar(RETAIL_HOLIDAYS)): Promise<ProphetWindowForecast> {
  const history = Array.from(window.revenueBeforeCut, (valueMinor, i) => ({ day: window.firstDay + i, valueMinor }));
  const series = revenueSeriesFromDays(history, { granularity: 'day', fromDay: window.firstDay, toDay: window.cutDay });
  const forecast = await fitRevenueForecast(series, { transform: 'log', holidays, uncertaintySamples: 0, seed: 1 });
  const days = Array.from({ length: window.endDay - window.cutDay }, (_, i) => window.cutDay + 1 + i);
  const daily = Float64Array.from(forecast.predictPeriods(days), (p) => p.yhat / minorPerUnit);
  const seasonalFactor = Float64Array.from(forecast.components(days), (c) => Math.exp(Object.values(c.components).reduce((a, b) => a + b, 0)));
  const total = daily.reduce((a, b) => a + b, 0);
  let shareTotal = 0;
  for (let i = 0; i < shares.length; i++) shareTotal += shares[i];
  const values = Float64Array.from(shares, (s) => (shareTotal > 0 ? (total * s) / shareTotal : total / shares.length));
  return { values, dailyShape: daily, daily, seasonalFactor, diagnostics: forecast.diagnostics };
}
