/**
 * What a revenue forecast run leaves behind (revenue-forecast-run.ts): per series (the total
 * and each segment with enough history) the forecast with its interval, the fitted Prophet
 * model, and how it did on the holdout; the segments left out and why; the fit settings.
 * Plain JSON, so a model registry (core/ports/model-registry.ts) can keep it next to the
 * customer-value model of the same training run, and `loadSegmentRevenueForecast` checks it
 * on the way back.
 */
import { Segments } from '../core/segmentation.js';
import type { MonthlyAccuracy } from '../models/metrics/forecast-accuracy.js';
import type { SeasonalitySetting } from '../models/forecast/forecast-options.js';
import type { HolidayDefinition } from '../core/holidays/holiday-calendar.js';
import {
  FittedRevenueForecast, type ForecastFitDiagnostics, type ForecastPoint, type RevenueForecastJson,
} from '../models/forecast/prophet-forecaster.js';
import type { Granularity } from '../models/forecast/revenue-series.js';
import type { RevenueSeriesKey } from './segment-revenue-series.js';

/** How every series of the run was fitted. */
export interface SegmentForecastSettings {
  granularity: Granularity;
  /** As given to the forecaster (forecast-options.ts); weekly seasonality never applies to a weekly series. */
  yearlySeasonality: SeasonalitySetting;
  weeklySeasonality: SeasonalitySetting;
  transform: 'none' | 'log';
  intervalWidth: number;
  uncertaintySamples: number;
  seed: number;
  /** A series with fewer periods with revenue in the fit window is not fitted. */
  minPeriodsWithRevenue: number;
  holidays: HolidayDefinition[];
  /** 'fitted': a Prophet fit per segment; 'top-down': the total's forecast split by expected value. Absent: fitted. */
  segments?: 'fitted' | 'top-down';
}

/** One fitted series. Money in minor units of the shop currency. */
export interface SegmentForecastSeries {
  key: RevenueSeriesKey;
  /** Customers with revenue in the fit window whose revenue the series sums. */
  customers: number;
  periodsWithRevenue: number;
  fittedRevenueMinor: number;
  /** The periods starting within `horizonDays` after the fit window; lower ≤ yhat ≤ upper. */
  points: ForecastPoint[];
  /** Monthly accuracy on the periods of the holdout window; null without a holdout. */
  holdout: MonthlyAccuracy | null;
  diagnostics: ForecastFitDiagnostics;
  /** The fitted model: `fittedForecastOf` predicts other periods from it. */
  model: RevenueForecastJson;
  /** Top-down series: the share of the (total's) model this series is; absent: 1. */
  scale?: number;
}

/** A series the run did not fit. */
export interface SkippedForecastSeries {
  key: RevenueSeriesKey;
  customers: number;
  periodsWithRevenue: number;
  reason: string;
}

export interface SegmentRevenueForecastArtifact {
  kind: 'segment-revenue-forecast';
  version: 1;
  /** Fit window (day indices, inclusive; core/calendar.ts). */
  fitFromDay: number;
  fitToDay: number;
  /** Last day of the holdout window whose actuals the forecasts were checked against, or null. */
  holdoutToDay: number | null;
  horizonDays: number;
  /**
   * When the segments were taken (the training as-of), epoch ms: each segment's series is of
   * the customers in it then, and its actuals must be of the same customers. Absent in
   * artifacts from before it was recorded.
   */
  segmentsAsOfMs?: number;
  settings: SegmentForecastSettings;
  /** 'total' first, then segments in core/segmentation.ts order. */
  series: SegmentForecastSeries[];
  skipped: SkippedForecastSeries[];
  /** Customers without a segment: in the total, in no segment, never fitted alone. */
  unscored: { customers: number; fittedRevenueMinor: number };
}

const KEYS: readonly string[] = ['total', ...Segments];

/** The artifact as plain JSON, for `ModelRegistry.register` (a deep copy: later changes do not leak). */
export function saveSegmentRevenueForecast(artifact: SegmentRevenueForecastArtifact): SegmentRevenueForecastArtifact {
  return JSON.parse(JSON.stringify(artifact)) as SegmentRevenueForecastArtifact;
}

/**
 * Reads an artifact back (e.g. from `ModelRegistry.load`), checking its shape and that every
 * stored model loads.
 * @throws TypeError naming what is wrong.
 */
export function loadSegmentRevenueForecast(json: unknown): SegmentRevenueForecastArtifact {
  const a = json as Partial<SegmentRevenueForecastArtifact> | null;
  if (a === null || typeof a !== 'object' || a.kind !== 'segment-revenue-forecast' || a.version !== 1) {
    throw new TypeError('not a version-1 segment revenue forecast');
  }
  const s = a.settings;
  if (!(Number.isInteger(a.fitFromDay) && Number.isInteger(a.fitToDay) && Number.isInteger(a.horizonDays)
    && (a.holdoutToDay === null || Number.isInteger(a.holdoutToDay))
    && (a.segmentsAsOfMs === undefined || Number.isSafeInteger(a.segmentsAsOfMs))
    && typeof s === 'object' && s !== null && (s.granularity === 'day' || s.granularity === 'week') && Array.isArray(s.holidays)
    && Array.isArray(a.series) && Array.isArray(a.skipped))) {
    throw new TypeError('malformed segment revenue forecast: window, settings or lists');
  }
  const seen = new Set<string>();
  for (const x of [...a.series, ...a.skipped]) {
    if (!KEYS.includes(x?.key) || seen.has(x.key)) throw new TypeError(`malformed segment revenue forecast: series key ${JSON.stringify(x?.key)}`);
    seen.add(x.key);
  }
  for (const x of a.series) {
    const ordered = Array.isArray(x.points) && x.points.every((p) => Number.isInteger(p.day) && [p.yhat, p.lower, p.upper].every(Number.isFinite) && p.lower <= p.yhat && p.yhat <= p.upper);
    if (!ordered) throw new TypeError(`malformed segment revenue forecast: points of ${x.key}`);
    FittedRevenueForecast.fromJSON(x.model);
  }
  return saveSegmentRevenueForecast(a as SegmentRevenueForecastArtifact);
}

/**
 * The fitted model of a series and the share of it the series is (1 unless top-down), or
 * null when the run has none for it (skipped).
 */
export function fittedForecastOf(artifact: SegmentRevenueForecastArtifact, key: RevenueSeriesKey): { model: FittedRevenueForecast; scale: number } | null {
  const s = artifact.series.find((x) => x.key === key);
  return s === undefined ? null : { model: FittedRevenueForecast.fromJSON(s.model), scale: s.scale ?? 1 };
}
