/**
 * The revenue forecast a training run keeps with its version (attached in the model
 * registry): Prophet on the shop's daily revenue up to the as-of for the total, and each
 * segment top-down — the revenue the model expects from the segment's customers over the
 * horizon, spread in the shape of the total's forecast (revenue-forecast-run.ts says why).
 */
import type { DayIndexer } from '../core/calendar.js';
import type { StateStore } from '../core/ports/state-store.js';
import type { Segment } from '../core/segmentation.js';
import type { HolidayCalendar } from '../core/holidays/holiday-calendar.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { modelInputOf, type CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import type { CustomerValueModel } from '../core/customer-value-model.js';
import type { ModelInput } from '../core/repeat-purchase-summary.js';
import { revenueForecastRun } from './revenue-forecast-run.js';
import type { SegmentRevenueForecastArtifact } from './segment-revenue-forecast-artifact.js';

/** The registry attachment name of a version's revenue forecast. */
export const REVENUE_FORECAST_ATTACHMENT = 'revenue-forecast';

/** Prophet's trend wants recent history; older years mostly add shops that no longer exist. */
const MAX_FIT_DAYS = 3 * 365;

export interface TrainingForecastSettings {
  horizonDays: number;
  holidays: HolidayCalendar;
}

export async function forecastAfterTraining(
  stores: { histories: StateStore<CustomerPurchaseHistory>; scores: StateStore<CustomerScoreState> },
  model: CustomerValueModel & { expectedOver(input: ModelInput, periods: number): { purchases: number; avgValue: number } },
  asOfMs: number,
  context: { dayOf: DayIndexer; minorPerUnit: number },
  settings: TrainingForecastSettings,
): Promise<SegmentRevenueForecastArtifact> {
  const { dayOf, minorPerUnit } = context;
  const periods = settings.horizonDays / model.periodDays;
  const segments = new Map<string, Segment | null>();
  const levels = new Map<Segment, number>();
  let firstPurchaseMs = Infinity;
  for await (const page of stores.scores.scan(10_000)) {
    for (const [id, state] of page) {
      segments.set(id, state.segment);
      firstPurchaseMs = Math.min(firstPurchaseMs, state.features.first_purchase_time);
      if (state.segment === null) continue;
      const e = model.expectedOver(modelInputOf(state.features, asOfMs, model.periodDays, dayOf, minorPerUnit), periods);
      levels.set(state.segment, (levels.get(state.segment) ?? 0) + e.purchases * e.avgValue * minorPerUnit);
    }
  }
  // The as-of day counts only when it is over (an end-of-day as-of); a day in progress would
  // read as a collapse in revenue.
  const toDay = dayOf(asOfMs + 1) - 1;
  const fromDay = Math.max(Number.isFinite(firstPurchaseMs) ? dayOf(firstPurchaseMs) : toDay, toDay - MAX_FIT_DAYS + 1);
  return revenueForecastRun({
    // The segments are the scores' after the re-score as of asOfMs.
    histories: stores.histories, segments, segmentsAsOfMs: asOfMs, segmentLevels: levels, fromDay, toDay, horizonDays: settings.horizonDays, holidays: settings.holidays,
  });
}
