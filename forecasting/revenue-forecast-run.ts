/**
 * The revenue forecasts of a training run: Prophet (Taylor & Letham 2018) on the net revenue
 * of the purchase histories up to the calibration end — the total and each current segment's
 * (segment-revenue-series.ts) — with yearly and weekly seasonality and a holiday calendar,
 * checked against what the histories show afterwards. Their shape corrects the per-customer
 * models' aggregate; their level on a closed cohort is not to be trusted (see the README's
 * accuracy section).
 */
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { StateStore } from '../core/ports/state-store.js';
import { Segments, type Segment } from '../core/segmentation.js';
import { monthlyAccuracy, type MonthlyAccuracy } from '../models/metrics/forecast-accuracy.js';
import { holidayCalendar, RETAIL_HOLIDAYS, type HolidayCalendar } from '../core/holidays/holiday-calendar.js';
import { FittedRevenueForecast, fitRevenueForecast, type ForecastPoint, type RevenueForecastOptions } from '../models/forecast/prophet-forecaster.js';
import {
  periodDays, seriesPoints, sliceSeries, type Granularity, type PeriodValue, type RevenueSeries,
} from '../models/forecast/revenue-series.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import type { SegmentForecastSeries, SegmentRevenueForecastArtifact, SkippedForecastSeries } from './segment-revenue-forecast-artifact.js';
import { emptySegmentRevenueTally, segmentRevenueSeries, tallySegmentRevenue, type RevenueSeriesKey } from './segment-revenue-series.js';

function forecastAccuracy(forecast: FittedRevenueForecast, actual: readonly PeriodValue[]): MonthlyAccuracy {
  const predicted = forecast.predictPeriods(actual.map((p) => p.day)).map((p) => ({ day: p.day, value: p.yhat }));
  return monthlyAccuracy(predicted, actual, forecast.granularity);
}

/** Each customer's current segment (null: not scored yet), from the scoring state store. */
export async function customerSegments(scores: StateStore<CustomerScoreState>): Promise<Map<string, Segment | null>> {
  const out = new Map<string, Segment | null>();
  for await (const page of scores.scan(10_000)) for (const [id, s] of page) out.set(id, s.segment);
  return out;
}

export interface RevenueForecastRunOptions {
  histories: StateStore<CustomerPurchaseHistory>;
  /**
   * Customer → segment (customerSegments). Take it as of the fit window's end: segments taken
   * after the holdout know the holdout (a "lost" customer is one who did not come back).
   * Customers missing from it count as unscored.
   */
  segments: ReadonlyMap<string, Segment | null>;
  /** When `segments` was taken, epoch ms: kept in the artifact so per-segment actuals can use the same members. */
  segmentsAsOfMs?: number;
  /** Fit window, day indices (core/calendar.ts), inclusive. */
  fromDay: number;
  toDay: number;
  /** Last day of the actuals to check the forecasts against (from toDay + 1); none by default. */
  holdoutToDay?: number;
  /** Days to forecast after the fit window (default: the holdout's length, or 90). */
  horizonDays?: number;
  granularity?: Granularity;
  /** Default: the retail days (holiday-calendar.ts). */
  holidays?: HolidayCalendar;
  /** Fit a series only with at least this many periods with revenue in the fit window (default 28 days or 13 weeks). */
  minPeriodsWithRevenue?: number;
  /** Prophet settings; yearly seasonality defaults to on (Prophet's 'auto' wants two years). */
  prophet?: Omit<RevenueForecastOptions, 'holidays'>;
  /**
   * What the per-customer model expects each segment's customers to spend over the forecast
   * horizon, minor units (expectedRevenueBySegment). Given, the segments are forecast
   * top-down: that level, spread over the horizon in the shape of the total's Prophet
   * forecast, instead of a Prophet fit per segment. A segment is a fixed group of customers
   * whose revenue decays as its members churn — a change of regime Prophet extrapolates
   * badly from the segment's own past (measured on the demo shop: monthly MAPE 143–1647% per
   * segment fitted alone). The per-customer model knows the level; Prophet knows the season
   * (top-down hierarchical forecasting, Hyndman & Athanasopoulos, "Forecasting: Principles
   * and Practice", 3rd ed., §11.2).
   */
  segmentLevels?: ReadonlyMap<Segment, number>;
}

/** Sums each customer's expected revenue (minor units) by their segment; customers without one are left out. */
export function expectedRevenueBySegment(
  customerIds: readonly string[],
  expectedMinor: ArrayLike<number>,
  segments: ReadonlyMap<string, Segment | null>,
): Map<Segment, number> {
  const levels = new Map<Segment, number>();
  customerIds.forEach((id, i) => {
    const segment = segments.get(id);
    if (segment) levels.set(segment, (levels.get(segment) ?? 0) + expectedMinor[i]);
  });
  return levels;
}

/**
 * Fits the total and every segment with enough revenue history, one after the other (at
 * most 1 + 6 fits of one series each), and returns the artifact to store with the model run.
 * @throws ClvError INVALID_CONFIG on a bad window; DEPENDENCY_FAILED when Prophet fails.
 */
export async function revenueForecastRun(options: RevenueForecastRunOptions): Promise<SegmentRevenueForecastArtifact> {
  const { fromDay, toDay, holdoutToDay } = options;
  const granularity = options.granularity ?? 'day';
  const p = periodDays(granularity);
  if (!(Number.isInteger(fromDay) && Number.isInteger(toDay) && toDay >= fromDay) || (holdoutToDay !== undefined && !(Number.isInteger(holdoutToDay) && holdoutToDay > toDay))) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `revenue forecast run: bad window fit [${fromDay}, ${toDay}], holdout to ${holdoutToDay}`);
  }
  const horizonDays = options.horizonDays ?? (holdoutToDay === undefined ? 90 : holdoutToDay - toDay);
  const minPeriods = options.minPeriodsWithRevenue ?? (granularity === 'day' ? 28 : 13);
  const holidays = options.holidays ?? holidayCalendar(RETAIL_HOLIDAYS);
  const prophet: RevenueForecastOptions = { yearlySeasonality: true, seed: 1, ...options.prophet, holidays };

  const tally = emptySegmentRevenueTally(fromDay, holdoutToDay ?? toDay, toDay);
  for await (const page of options.histories.scan(10_000)) {
    for (const [id, h] of page) tallySegmentRevenue(tally, h, options.segments.get(id) ?? null);
  }
  const all = segmentRevenueSeries(tally, granularity);
  // Whole periods only on each side of the split; a week straddling it belongs to neither.
  const fitPart = (s: RevenueSeries) => sliceSeries(s, fromDay, toDay - p + 1);
  const holdoutPart = (s: RevenueSeries) => (holdoutToDay === undefined ? null : sliceSeries(s, toDay + 1, holdoutToDay - p + 1));

  const series: SegmentForecastSeries[] = [];
  const skipped: SkippedForecastSeries[] = [];
  const keys: RevenueSeriesKey[] = ['total', ...Segments];
  for (const key of keys) {
    const whole = key === 'total' ? all.total : all.segments[key];
    const total = series[0]?.key === 'total' ? series[0] : undefined;
    if (key !== 'total' && options.segmentLevels !== undefined && total !== undefined) {
      const level = options.segmentLevels.get(key) ?? 0;
      const totalLevel = sum(total.points.map((p) => p.yhat));
      const share = totalLevel > 0 ? level / totalLevel : 0;
      if (share <= 0) {
        skipped.push({ key, customers: all.customers[key], periodsWithRevenue: 0, reason: 'no expected value in this segment: nothing to allocate' });
      } else {
        series.push(topDownSeries(total, key, share, all.customers[key], fitPart(whole), holdoutPart(whole)));
      }
      continue;
    }
    const fit = fitPart(whole);
    const customers = all.customers[key];
    const periodsWithRevenue = fit.values.filter((v) => v > 0).length;
    if (periodsWithRevenue < minPeriods) {
      skipped.push({ key, customers, periodsWithRevenue, reason: `${periodsWithRevenue} of ${fit.values.length} ${granularity}s with revenue in the fit window; needs ≥ ${minPeriods}` });
      continue;
    }
    let model: FittedRevenueForecast;
    try {
      model = await fitRevenueForecast(fit, prophet);
    } catch (e) {
      if (!(e instanceof ClvError && e.code === ErrorCodes.INSUFFICIENT_DATA)) throw e;
      skipped.push({ key, customers, periodsWithRevenue, reason: e.message });
      continue;
    }
    const actual = holdoutPart(whole);
    series.push({
      key, customers, periodsWithRevenue, fittedRevenueMinor: sum(fit.values),
      points: model.predict(horizonDays),
      holdout: actual === null || actual.values.length === 0 ? null : forecastAccuracy(model, seriesPoints(actual)),
      diagnostics: { ...model.diagnostics },
      model: model.toJSON(),
    });
  }
  const o = { yearlySeasonality: prophet.yearlySeasonality ?? 'auto', weeklySeasonality: prophet.weeklySeasonality ?? 'auto' };
  const settings = series[0]?.model.settings ?? { transform: prophet.transform ?? 'none', intervalWidth: prophet.intervalWidth ?? 0.8, uncertaintySamples: prophet.uncertaintySamples ?? 1000, seed: prophet.seed ?? 1 };
  return {
    kind: 'segment-revenue-forecast', version: 1, fitFromDay: fromDay, fitToDay: toDay, holdoutToDay: holdoutToDay ?? null, horizonDays,
    ...(options.segmentsAsOfMs === undefined ? {} : { segmentsAsOfMs: options.segmentsAsOfMs }),
    settings: { granularity, ...o, ...settings, minPeriodsWithRevenue: minPeriods, holidays: [...holidays.holidays], segments: options.segmentLevels ? 'top-down' : 'fitted' },
    series, skipped,
    unscored: { customers: all.customers.unscored, fittedRevenueMinor: sum(fitPart(all.unscored).values) },
  };
}

/** A segment as a share of the total's forecast: the total's model, scaled. */
function topDownSeries(
  total: SegmentForecastSeries,
  key: Segment,
  share: number,
  customers: number,
  fit: RevenueSeries,
  actual: RevenueSeries | null,
): SegmentForecastSeries {
  const model = FittedRevenueForecast.fromJSON(total.model);
  const scaled = (points: readonly ForecastPoint[]) => points.map((p) => ({ ...p, yhat: p.yhat * share, lower: p.lower * share, upper: p.upper * share }));
  let holdout: MonthlyAccuracy | null = null;
  if (actual !== null && actual.values.length > 0) {
    const points = seriesPoints(actual);
    const predicted = scaled(model.predictPeriods(points.map((p) => p.day))).map((p) => ({ day: p.day, value: p.yhat }));
    holdout = monthlyAccuracy(predicted, points, model.granularity);
  }
  return {
    key, customers, periodsWithRevenue: fit.values.filter((v) => v > 0).length, fittedRevenueMinor: sum(fit.values),
    points: scaled(total.points), holdout, diagnostics: total.diagnostics, model: total.model, scale: share,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
