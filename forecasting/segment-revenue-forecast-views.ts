/**
 * A revenue forecast run's artifact as the read model serves it (core/ports/clv-read-model.ts):
 * one forecast per segment and one for all customers, money rounded to whole minor units.
 * Every key is present, null where the run left a series out, so that applying the views
 * replaces what an earlier run left behind.
 */
import type { EpochMs } from '../core/events.js';
import type { RevenueForecast } from '../core/ports/clv-read-model.js';
import { Segments, type Segment } from '../core/segmentation.js';
import type { SegmentRevenueForecastArtifact } from './segment-revenue-forecast-artifact.js';

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
    });
  }
  return views;
}
