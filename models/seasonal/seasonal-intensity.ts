/**
 * The shop's seasonal purchase intensity: how much more (or less) likely any customer is to
 * buy on a given day than on an average day, from the calendar alone — yearly and weekly
 * cycles and holidays. It is what warps calendar time into the operational time in which
 * the seasonal CLV model (operational-time.ts) runs BG/NBD.
 *
 * Estimated with Prophet (Taylor & Letham 2018, "Forecasting at Scale", §3) on the daily
 * count of repeat purchase days, in multiplicative mode: y(t) = g(t)·(1 + s(t) + h(t)). The
 * trend g carries what BG/NBD already models — customers arriving and dropping out — and is
 * dropped; the factor 1 + s(t) + h(t) is the intensity, rescaled to mean 1 over a year so an
 * operational day is an average calendar day. First purchases are left out: they are births,
 * not part of the repeat-purchase process whose rate is seasonal.
 *
 * Yearly seasonality is estimated only from at least one whole year of history (otherwise a
 * season and a trend cannot be told apart); with less, the intensity is weekly and holidays
 * only. A cycle seen once is still a weak estimate — a young shop's first customers buying
 * less and less can read as a season peaking in its first months — which is why selection
 * judges it (evaluation/model-backtest.ts) and why a caller may leave it out (`yearly: false`).
 *
 * A small shop's daily counts are noisy, and twenty Fourier terms fit noise as readily as a
 * season. The estimated curve is therefore shrunk towards 1 (James & Stein 1961; Efron &
 * Morris 1973): with v the relative residual variance of the fit, p its seasonal and holiday
 * columns and N its days, a curve fitted to pure noise would vary by about p·v/N around 1, so
 * the seasonal swing s(t) − 1 is scaled by k = max(0, 1 − (p·v/N) / Var(s)). A pronounced
 * season keeps k near 1; a flat shop's fitted wiggle is mostly removed.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { holidayCalendar, type HolidayCalendar } from '../../core/holidays/holiday-calendar.js';
import { FittedRevenueForecast, fitRevenueForecast, type RevenueForecastJson } from '../forecast/prophet-forecaster.js';

/** Fewest days of history for a yearly cycle. */
export const MIN_YEARLY_HISTORY_DAYS = 365;
/** Fewest days of history for any intensity (weekly cycle). */
export const MIN_INTENSITY_HISTORY_DAYS = 56;
/** Floor of the factor: a day is never taken as closed (the Prophet fit may dip below 0 on a quiet holiday). */
const MIN_FACTOR = 0.05;
/** Days over which the factor's mean is 1. */
const YEAR_DAYS = 365;

/** Serialised intensity: the Prophet fit it comes from and its normalising constant. */
export interface SeasonalIntensityJson {
  model: 'seasonal-intensity';
  version: 1;
  forecast: RevenueForecastJson;
  /** The shrunk factor's mean over the reference year; factors are divided by it. */
  meanFactor: number;
  /** k in [0, 1]: how much of the fitted seasonal swing is kept. */
  shrinkage: number;
  yearly: boolean;
}

export class SeasonalIntensity {
  private constructor(private readonly forecast: FittedRevenueForecast, readonly meanFactor: number, readonly shrinkage: number, readonly yearly: boolean) {}

  /**
   * Fits the intensity to `repeatPurchasesPerDay[i]`, the repeat purchase days of all
   * customers on day `firstDay + i`.
   * `yearly: false` leaves the yearly cycle out whatever the history's length.
   * @throws ClvError INSUFFICIENT_DATA with fewer than 56 days or no repeat purchase.
   */
  static async fit(firstDay: number, repeatPurchasesPerDay: ArrayLike<number>, holidays: HolidayCalendar = holidayCalendar([]), options: { yearly?: boolean } = {}): Promise<SeasonalIntensity> {
    const n = repeatPurchasesPerDay.length;
    if (n < MIN_INTENSITY_HISTORY_DAYS) {
      throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `a seasonal intensity needs ≥ ${MIN_INTENSITY_HISTORY_DAYS} days of history, got ${n}`);
    }
    const yearly = n >= MIN_YEARLY_HISTORY_DAYS && options.yearly !== false;
    const forecast = await fitRevenueForecast(
      { granularity: 'day', startDay: firstDay, values: Array.from(repeatPurchasesPerDay) },
      { seasonalityMode: 'multiplicative', yearlySeasonality: yearly, weeklySeasonality: true, holidays, uncertaintySamples: 0, seed: 1 },
    );
    const shrinkage = shrinkageOf(forecast, firstDay, repeatPurchasesPerDay);
    const reference = Array.from({ length: YEAR_DAYS }, (_, i) => firstDay + n - YEAR_DAYS + i);
    const shrunk = rawFactors(forecast, reference).map((v) => 1 + shrinkage * (v - 1));
    const mean = shrunk.reduce((s, v) => s + v, 0) / shrunk.length;
    return new SeasonalIntensity(forecast, mean, shrinkage, yearly);
  }

  /** Intensity of each of `days` (any day, past or future), mean 1 over a year. */
  factors(days: readonly number[]): Float64Array {
    const raw = rawFactors(this.forecast, days);
    return Float64Array.from(raw, (v) => Math.max(MIN_FACTOR, 1 + this.shrinkage * (v - 1)) / this.meanFactor);
  }

  toJSON(): SeasonalIntensityJson {
    return { model: 'seasonal-intensity', version: 1, forecast: this.forecast.toJSON(), meanFactor: this.meanFactor, shrinkage: this.shrinkage, yearly: this.yearly };
  }

  static fromJSON(json: SeasonalIntensityJson): SeasonalIntensity {
    if (json?.model !== 'seasonal-intensity' || json.version !== 1 || !(json.meanFactor > 0) || !(json.shrinkage >= 0 && json.shrinkage <= 1)) throw new TypeError('not a seasonal intensity (version 1)');
    return new SeasonalIntensity(FittedRevenueForecast.fromJSON(json.forecast), json.meanFactor, json.shrinkage, json.yearly);
  }
}

/** k of the James–Stein shrinkage described at the top, from the fit's own residuals. */
function shrinkageOf(forecast: FittedRevenueForecast, firstDay: number, counts: ArrayLike<number>): number {
  const n = counts.length;
  const days = Array.from({ length: n }, (_, i) => firstDay + i);
  const fitted = forecast.predictPeriods(days);
  const raw = rawFactors(forecast, days);
  let residual = 0;
  let used = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    mean += raw[i];
    if (fitted[i].yhat > 0) {
      residual += (counts[i] / fitted[i].yhat - 1) ** 2;
      used++;
    }
  }
  mean /= n;
  let spread = 0;
  for (let i = 0; i < n; i++) spread += (raw[i] - mean) ** 2;
  spread /= n;
  if (used === 0 || spread === 0) return 0;
  const noise = (forecast.diagnostics.columns * (residual / used)) / n;
  return Math.max(0, Math.min(1, 1 - noise / spread));
}

/** 1 + the seasonal and holiday components (multiplicative mode: relative to the trend), floored. */
function rawFactors(forecast: FittedRevenueForecast, days: readonly number[]): number[] {
  return forecast.components(days).map((c) => {
    let s = 1;
    for (const v of Object.values(c.components)) s += v;
    return Math.max(MIN_FACTOR, s);
  });
}
