/**
 * Total revenue forecast with Prophet (Taylor & Letham 2018, "Forecasting at Scale"): a
 * piecewise-linear trend with automatic changepoints, yearly and weekly seasonality as Fourier
 * series, and holiday effects from a configurable calendar. The fit runs Prophet's Stan model
 * in WASM (augurs-prophet.ts); the fitted forecast is plain data that predicts in pure
 * TypeScript, so it can be stored with a model run and reloaded by `fromJSON`.
 *
 * Revenue is non-negative and its seasonal swings grow with its level; `transform: 'log'`
 * models log(1 + revenue), which makes the trend exponential (a decaying cohort decays
 * towards 0 instead of crossing it) and the seasonality multiplicative. Forecasts are
 * clamped at 0 either way. With the log transform yhat is the median, not the mean.
 */
import { dateOfDayIndex, MS_PER_DAY } from '../../core/calendar.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { loadAugursProphet } from './augurs-prophet.js';
import { resolveForecastOptions, seasonalityOrders, type RevenueForecastOptions } from './forecast-options.js';
import { holidayCalendar, type HolidayCalendar, type HolidayDefinition } from '../../core/holidays/holiday-calendar.js';
import {
  componentOf, featureColumns, holidaySpecs, isInformative, seasonalitySpecs, type FeatureSpec,
} from './prophet-features.js';
import { pointForecast, sampleIntervals, sampleTotalIntervals, type ProphetEstimate } from './prophet-prediction.js';
import { periodDays, seriesEndDay, type Granularity, type RevenueSeries } from './revenue-series.js';

export type { RevenueForecastOptions, SeasonalitySetting } from './forecast-options.js';

/** Settings that shape prediction, stored with the model. */
export interface ForecastSettings {
  transform: 'none' | 'log';
  intervalWidth: number;
  uncertaintySamples: number;
  seed: number;
}

/** One forecast period. Values in the series' unit (minor units), ≥ 0. */
export interface ForecastPoint {
  /** Day index of the period's first day. */
  day: number;
  /** `YYYY-MM-DD` of that day. */
  date: string;
  yhat: number;
  lower: number;
  upper: number;
}

/** A period's decomposition in model units (log(1 + value) under the log transform). */
export interface ForecastComponents {
  day: number;
  trend: number;
  /** Component name ('yearly', 'weekly', 'holidays') → contribution: additive in model units;
   *  relative to the trend for multiplicative columns. */
  components: Record<string, number>;
}

/** How the fit went; stored with the model run. */
export interface ForecastFitDiagnostics {
  periods: number;
  /** Design-matrix columns (Fourier terms and holiday offsets seen in the history). */
  columns: number;
  /** Stan optimiser that converged, and whether it needed a restart (augurs-prophet.ts). */
  algorithm: 'lbfgs' | 'bfgs';
  restarted: boolean;
}

/** Serialised fitted forecast. */
export interface RevenueForecastJson {
  model: 'prophet-revenue';
  version: 1;
  granularity: Granularity;
  historyStartDay: number;
  historyEndDay: number;
  settings: ForecastSettings;
  holidays: HolidayDefinition[];
  features: FeatureSpec[];
  estimate: ProphetEstimate;
  diagnostics: ForecastFitDiagnostics;
}

const MIN_PERIODS = 14;

/**
 * Fits the forecaster to a revenue series (see revenue-series.ts).
 * @throws ClvError INSUFFICIENT_DATA for fewer than 14 periods or no revenue at all;
 *   DEPENDENCY_FAILED when the WASM Prophet cannot be loaded or fails.
 */
export async function fitRevenueForecast(series: RevenueSeries, options: RevenueForecastOptions = {}): Promise<FittedRevenueForecast> {
  const n = series.values.length;
  if (n < MIN_PERIODS) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `a forecast needs ≥ ${MIN_PERIODS} periods, got ${n}`);
  if (!series.values.some((v) => v > 0)) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'the series has no revenue');
  const o = resolveForecastOptions(options);
  const p = periodDays(series.granularity);
  const calendar = options.holidays ?? holidayCalendar([]);
  const { yearly, weekly } = seasonalityOrders(o, n, p);
  const candidates = [
    ...seasonalitySpecs('yearly', 365.25, yearly, o.seasonalityPriorScale, o.seasonalityMode),
    ...seasonalitySpecs('weekly', 7, weekly, o.seasonalityPriorScale, o.seasonalityMode),
    ...holidaySpecs(calendar, o.holidaysPriorScale, o.seasonalityMode),
  ];
  const days = series.values.map((_, i) => series.startDay + i * p);
  const all = featureColumns(candidates, days, p, calendar);
  // A holiday offset that never occurs in the history has no data: its β would stay at 0.
  const keep = candidates.map((_, j) => isInformative(all[j]));
  const features = candidates.filter((_, j) => keep[j]);
  const columns = all.filter((_, j) => keep[j]);
  const y = series.values.map((v) => (o.transform === 'log' ? Math.log1p(Math.max(0, v)) : v));

  const fitter = options.fitter ?? (await loadAugursProphet());
  const fit = fitter.fit({
    ds: days.map((d) => d * (MS_PER_DAY / 1000)), y, growth: o.growth, nChangepoints: Math.min(o.nChangepoints, n - 2),
    changepointRange: o.changepointRange, changepointPriorScale: o.changepointPriorScale,
    columns: features.map((f, j) => ({ values: columns[j], priorScale: f.priorScale, mode: f.mode })),
  });
  const estimate: ProphetEstimate = {
    growth: o.growth, k: fit.k, m: fit.m, delta: fit.delta, tChange: fit.tChange, beta: fit.beta,
    modes: features.map((f) => f.mode), sigmaObs: fit.sigmaObs, yScale: fit.yScale,
    tStartDay: days[0], tScaleDays: days[n - 1] - days[0],
  };
  // Our predictor must reproduce augurs' in-sample forecast, or a stored model would drift.
  const ours = pointForecast(estimate, days, columns).yhat;
  for (let i = 0; i < n; i++) {
    if (Math.abs(ours[i] - fit.fittedInSample[i]) > 1e-6 * estimate.yScale) {
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `Prophet prediction disagrees with augurs at ${dateOfDayIndex(days[i])}: ${ours[i]} vs ${fit.fittedInSample[i]}`);
    }
  }
  const settings: ForecastSettings = { transform: o.transform, intervalWidth: o.intervalWidth, uncertaintySamples: o.uncertaintySamples, seed: o.seed };
  const diagnostics = { periods: n, columns: features.length, algorithm: fit.algorithm, restarted: fit.restarted };
  return new FittedRevenueForecast(series.granularity, series.startDay, seriesEndDay(series), settings, calendar, features, estimate, diagnostics);
}

/** A fitted revenue forecast; made only by {@link fitRevenueForecast} or `fromJSON`. */
export class FittedRevenueForecast {
  /** Use {@link fitRevenueForecast} or {@link FittedRevenueForecast.fromJSON}. */
  constructor(
    readonly granularity: Granularity,
    /** First and last day (inclusive) of the history it was fitted on. */
    readonly historyStartDay: number,
    readonly historyEndDay: number,
    readonly settings: Readonly<ForecastSettings>,
    readonly holidays: HolidayCalendar,
    private readonly features: readonly FeatureSpec[],
    private readonly estimate: Readonly<ProphetEstimate>,
    readonly diagnostics: Readonly<ForecastFitDiagnostics>,
  ) {
    Object.freeze(settings);
    Object.freeze(diagnostics);
  }

  /** Forecast for the periods that start within `horizonDays` days after the history. */
  predict(horizonDays: number): ForecastPoint[] {
    if (!(Number.isInteger(horizonDays) && horizonDays >= 1)) throw new RangeError(`horizonDays must be an integer ≥ 1, got ${horizonDays}`);
    const p = periodDays(this.granularity);
    const days: number[] = [];
    for (let d = this.historyEndDay + 1; d <= this.historyEndDay + horizonDays; d += p) days.push(d);
    return this.predictPeriods(days);
  }

  /** Forecast for periods starting at `days` (ascending day indices; history or future). */
  predictPeriods(days: readonly number[]): ForecastPoint[] {
    const parts = pointForecast(this.estimate, days, this.columns(days));
    const s = this.settings;
    const bounds = s.uncertaintySamples > 0
      ? sampleIntervals(this.estimate, days, parts, { width: s.intervalWidth, samples: s.uncertaintySamples, seed: s.seed })
      : { lower: parts.yhat, upper: parts.yhat };
    const back = (v: number): number => Math.max(0, s.transform === 'log' ? Math.expm1(v) : v);
    return days.map((day, i) => ({
      day, date: dateOfDayIndex(day), yhat: back(parts.yhat[i]), lower: back(bounds.lower[i]), upper: back(bounds.upper[i]),
    }));
  }

  /**
   * Forecasts of sums of periods (weeks or months of a daily forecast): each group lists
   * period-start days, and its yhat is the sum of theirs; its interval is that of the sum,
   * from the same simulated paths (prophet-prediction.ts sampleTotalIntervals), not the sum
   * of the periods' bounds. With the log transform yhat is the sum of the periods' medians,
   * which can fall outside the sum's interval: the interval is widened to hold it.
   */
  predictTotals(groups: readonly (readonly number[])[]): { yhat: number; lower: number; upper: number }[] {
    const days = [...new Set(groups.flat())].sort((a, b) => a - b);
    const index = new Map(days.map((d, i) => [d, i]));
    const parts = pointForecast(this.estimate, days, this.columns(days));
    const s = this.settings;
    const back = (v: number): number => Math.max(0, s.transform === 'log' ? Math.expm1(v) : v);
    const members = groups.map((g) => g.map((d) => index.get(d)!));
    const yhats = members.map((g) => g.reduce((sum, i) => sum + back(parts.yhat[i]), 0));
    if (s.uncertaintySamples === 0) return yhats.map((yhat) => ({ yhat, lower: yhat, upper: yhat }));
    const bounds = sampleTotalIntervals(this.estimate, days, parts, members, back, { width: s.intervalWidth, samples: s.uncertaintySamples, seed: s.seed });
    return yhats.map((yhat, k) => ({ yhat, lower: Math.min(yhat, bounds.lower[k]), upper: Math.max(yhat, bounds.upper[k]) }));
  }

  /** Trend and per-component contributions at period starts `days` (model units). */
  components(days: readonly number[]): ForecastComponents[] {
    const cols = this.columns(days);
    const parts = pointForecast(this.estimate, days, cols);
    return days.map((day, i) => {
      const components: Record<string, number> = {};
      this.features.forEach((f, j) => {
        const scale = f.mode === 'additive' ? this.estimate.yScale : 1;
        const name = componentOf(f);
        components[name] = (components[name] ?? 0) + cols[j][i] * this.estimate.beta[j] * scale;
      });
      return { day, trend: parts.trend[i], components };
    });
  }

  toJSON(): RevenueForecastJson {
    return structuredClone({
      model: 'prophet-revenue', version: 1, granularity: this.granularity, historyStartDay: this.historyStartDay,
      historyEndDay: this.historyEndDay, settings: { ...this.settings }, holidays: [...this.holidays.holidays],
      features: [...this.features], estimate: { ...this.estimate }, diagnostics: { ...this.diagnostics },
    });
  }

  /** @throws TypeError when `json` is not a version-1 forecast. */
  static fromJSON(json: unknown): FittedRevenueForecast {
    const j = json as Partial<RevenueForecastJson> | null;
    if (j === null || typeof j !== 'object' || j.model !== 'prophet-revenue' || j.version !== 1) throw new TypeError('not a version-1 Prophet revenue forecast');
    const e = j.estimate;
    const wellFormed = Array.isArray(j.features) && Array.isArray(j.holidays) && typeof j.settings === 'object' && j.settings !== null
      && typeof e === 'object' && e !== null && [e.delta, e.tChange, e.beta, e.modes].every(Array.isArray)
      && e.beta.length === j.features.length && e.modes.length === e.beta.length && e.delta.length === e.tChange.length
      && (j.settings.transform === 'none' || j.settings.transform === 'log') && j.settings.intervalWidth > 0 && j.settings.intervalWidth < 1
      && Number.isInteger(j.settings.uncertaintySamples) && Number.isInteger(j.settings.seed)
      && [e.k, e.m, e.sigmaObs, e.yScale, e.tStartDay, e.tScaleDays, j.historyStartDay, j.historyEndDay].every(Number.isFinite);
    if (!wellFormed) throw new TypeError('malformed Prophet revenue forecast');
    return new FittedRevenueForecast(j.granularity === 'week' ? 'week' : 'day', j.historyStartDay!, j.historyEndDay!,
      { ...j.settings! }, holidayCalendar(j.holidays!), j.features!, structuredClone(e!), { ...j.diagnostics! });
  }

  private columns(days: readonly number[]): Float64Array[] {
    return featureColumns(this.features, days, periodDays(this.granularity), this.holidays);
  }
}
