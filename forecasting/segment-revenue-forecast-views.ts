/**
 * A revenue forecast run's artifact as the read model serves it (core/ports/clv-read-model.ts):
 * one forecast per segment and one for all customers, money rounded to whole minor units,
 * with its sums per calendar week and month and its holdout check. Every key is present,
 * null where the run left a series out, so that applying the views replaces what an earlier
 * run left behind.
 */
import type { EpochMs } from '../core/events.js';
import type { ForecastBacktest, RevenueForecast, RevenueForecastPoint } from '../core/ports/clv-read-model.js';
import { Segments, type Segment } from '../core/segmentation.js';
import { FittedRevenueForecast } from '../models/forecast/prophet-forecaster.js';
import type { SegmentForecastSeries, SegmentRevenueForecastArtifact } from './segment-revenue-forecast-artifact.js';

export interface ForecastViewContext {
  /** The model run the forecasts belong to. */
  modelVersion: string;
  generatedAtMs: EpochMs;
  currency: string;
  /** Start of a day index in the shop's time zone, epoch ms (core/calendar.ts instantOfLocalTime). */
  dayStartMs: (day: number) => EpochMs;
}

/** Segment → forecast of its customers as of the run's segmentsAsOfMs; the key null: all customers. */
export function revenueForecastViews(artifact: SegmentRevenueForecastArtifact, context: ForecastViewContext): Map<Segment | null, RevenueForecast | null> {
  const views = new Map<Segment | null, RevenueForecast | null>([[null, null], ...Segments.map((s): [Segment, null] => [s, null])]);
  const daily = artifact.settings.granularity === 'day';
  for (const s of artifact.series) {
    views.set(s.key === 'total' ? null : s.key, {
      modelVersion: context.modelVersion,
      generatedAtMs: context.generatedAtMs,
      segmentsAsOfMs: artifact.segmentsAsOfMs ?? null,
      currency: context.currency,
      granularity: artifact.settings.granularity,
      points: s.points.map((p) => ({
        periodStartMs: context.dayStartMs(p.day), expectedMinor: Math.round(p.yhat), lowerMinor: Math.round(p.lower), upperMinor: Math.round(p.upper),
      })),
      intervalLevel: artifact.settings.intervalWidth,
      // A weekly forecast's weeks are its points; its weeks straddle months, so it has no months.
      totals: daily ? { week: totalsOf(s, weeksOf, context), month: totalsOf(s, monthsOf, context) } : {},
      backtest: backtestOf(s, artifact, context),
    });
  }
  return views;
}

/** Whole periods of the forecast's days: each a list of consecutive days, in order. */
type Grouping = (days: readonly number[]) => number[][];

/** ISO weeks, Monday first (day 0, 1970-01-01, was a Thursday). */
const weeksOf: Grouping = (days) => wholeGroups(days, (day) => day - (((day + 3) % 7) + 7) % 7, () => 7);

const monthsOf: Grouping = (days) => wholeGroups(days, (day) => {
  const d = new Date(day * 86_400_000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 86_400_000;
}, (start) => {
  const d = new Date(start * 86_400_000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
});

/** Days grouped by period start; only the periods all of whose `length(start)` days are there. */
function wholeGroups(days: readonly number[], startOf: (day: number) => number, length: (start: number) => number): number[][] {
  const groups = new Map<number, number[]>();
  for (const day of days) {
    const start = startOf(day);
    const g = groups.get(start);
    if (g) g.push(day);
    else groups.set(start, [day]);
  }
  return [...groups].filter(([start, g]) => g.length === length(start) && g[0] === start).map(([, g]) => g);
}

function totalsOf(s: SegmentForecastSeries, grouping: Grouping, context: ForecastViewContext): RevenueForecastPoint[] {
  const groups = grouping(s.points.map((p) => p.day));
  if (groups.length === 0) return [];
  // A top-down segment is a share of the total's model: its sums are the total's, scaled.
  const scale = s.scale ?? 1;
  return FittedRevenueForecast.fromJSON(s.model).predictTotals(groups).map((t, i) => ({
    periodStartMs: context.dayStartMs(groups[i][0]),
    expectedMinor: Math.round(t.yhat * scale), lowerMinor: Math.round(t.lower * scale), upperMinor: Math.round(t.upper * scale),
  }));
}

function backtestOf(s: SegmentForecastSeries, artifact: SegmentRevenueForecastArtifact, context: ForecastViewContext): ForecastBacktest | null {
  if (s.holdout === null || artifact.holdoutToDay === null || s.holdout.months.length === 0) return null;
  return {
    fromMs: context.dayStartMs(artifact.fitToDay + 1),
    toMs: context.dayStartMs(artifact.holdoutToDay + 1),
    months: s.holdout.months.length,
    monthlyMape: s.holdout.mape,
    totalRelativeError: s.holdout.totalRelativeError,
  };
}
