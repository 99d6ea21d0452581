/**
 * Scores one customer: CLV, probability alive, segment and action. Pure:
 * (scoring state, features, model, as-of) → (scoring state, outputs).
 */
import type { ActionPolicy } from '../../core/action-policy.js';
import { MS_PER_DAY, type DayIndexer } from '../../core/calendar.js';
import type { ClvScoreEvent, CustomerFeaturesEvent, SegmentChangedEvent } from '../../core/events.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import { assignSegment, type Segment, type SegmentThresholds } from '../../core/segmentation.js';

/** One customer's prediction, in currency units (not minor). */
export interface CustomerPrediction {
  pAlive: number;
  /** Expected purchase days over the horizon. */
  expectedPurchases: number;
  /** Expected value of one future purchase. */
  expectedAvgValue: number;
  /** Discounted value over the horizon. */
  clv: number;
}

/** A trained model as scoring needs it (BG/NBD + Gamma-Gamma today). */
export interface CustomerValueModel {
  readonly version: string;
  /** Length of the model's time unit in days (7: weeks). */
  readonly periodDays: number;
  readonly horizonDays: number;
  readonly thresholds: SegmentThresholds;
  predict(input: ModelInput): CustomerPrediction;
}

export interface ScoringSettings {
  dayOf: DayIndexer;
  policy: ActionPolicy;
  /** Relative margin a score must cross past a threshold to change segment. */
  hysteresis: number;
  /** Minor units per currency unit (100 for cents). */
  minorPerUnit: number;
}

/** Plain JSON so any state store can hold it. */
export interface CustomerScoreState {
  features: CustomerFeaturesEvent;
  /** When the score was computed as of (a re-score moves it past the features' time); null before any score. */
  asOfMs?: number | null;
  segment: Segment | null;
  clvMinor: number;
  modelVersion: string | null;
}

export interface ScoreResult {
  state: CustomerScoreState;
  score: ClvScoreEvent;
  change: SegmentChangedEvent | null;
}

/** Model inputs of a features event as of `asOfMs` (≥ the last purchase). */
export function modelInputOf(f: CustomerFeaturesEvent, asOfMs: number, periodDays: number, dayOf: DayIndexer, minorPerUnit: number): ModelInput {
  const first = dayOf(f.first_purchase_time);
  const last = dayOf(f.last_purchase_time);
  const asOf = Math.max(dayOf(asOfMs), last);
  const x = f.repeat_purchase_days;
  return {
    frequency: x,
    recency: (last - first) / periodDays,
    T: (asOf - first) / periodDays,
    monetaryValue: x > 0 ? f.repeat_value_minor / x / minorPerUnit : 0,
  };
}

export function scoreCustomer(
  previous: CustomerScoreState | undefined,
  features: CustomerFeaturesEvent,
  asOfMs: number,
  model: CustomerValueModel,
  settings: ScoringSettings,
): ScoreResult {
  const input = modelInputOf(features, asOfMs, model.periodDays, settings.dayOf, settings.minorPerUnit);
  const p = model.predict(input);
  const clvMinor = Math.round(p.clv * settings.minorPerUnit);
  const ageDays = Math.max(0, (asOfMs - features.first_purchase_time) / MS_PER_DAY);
  const current = previous?.segment ?? null;
  const segment = assignSegment(
    { clvMinor, pAlive: p.pAlive, purchaseDays: features.purchase_days, ageDays },
    model.thresholds,
    current,
    settings.hysteresis,
  );
  const { action, reason } = settings.policy[segment];
  const eventId = `${features.customer_id}@${asOfMs}@${model.version}`;
  const score: ClvScoreEvent = {
    event_id: eventId,
    event_time: asOfMs,
    customer_id: features.customer_id,
    model_version: model.version,
    clv_minor: clvMinor,
    p_alive: p.pAlive,
    expected_purchases: p.expectedPurchases,
    expected_avg_value_minor: Math.round(p.expectedAvgValue * settings.minorPerUnit),
    horizon_days: model.horizonDays,
    segment,
    action,
    currency: features.currency,
  };
  const change: SegmentChangedEvent | null =
    segment === current
      ? null
      : {
          event_id: eventId,
          event_time: asOfMs,
          customer_id: features.customer_id,
          previous_segment: current,
          segment,
          clv_minor: clvMinor,
          action,
          reason,
          model_version: model.version,
        };
  return { state: { features, asOfMs, segment, clvMinor, modelVersion: model.version }, score, change };
}
