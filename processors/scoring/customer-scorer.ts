/**
 * Scores one customer: CLV, probability alive, segment, action and its recommendation
 * (core/recommendations/recommend-action.ts). Pure:
 * (scoring state, features, model, as-of) → (scoring state, outputs).
 */
import type { ActionPolicy } from '../../core/action-policy.js';
import { MS_PER_DAY, type DayIndexer } from '../../core/calendar.js';
import type { ClvScoreEvent, CustomerFeaturesEvent, SegmentChangedEvent } from '../../core/events.js';
import type { ClvInterval } from '../../core/ports/clv-read-model.js';
import { recommendAction, silenceText, type OneTimeBuyerSilence, type RecommendedAction } from '../../core/recommendations/recommend-action.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import type { CustomerPrediction, CustomerValueModel } from '../../core/customer-value-model.js';
import { assignSegment, oneTimeBuyerLapse, type Segment, type SegmentInput, type SegmentThresholds } from '../../core/segmentation.js';

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
  asOfMs: number | null;
  segment: Segment | null;
  clvMinor: number;
  modelVersion: string | null;
  /** The action and what it suggests, as of the last score; null before any score. */
  recommendation: RecommendedAction | null;
  /** The score's predictive interval, minor units; null before any score or when the model gives none. */
  interval: ClvInterval | null;
  /** The `sequence` of the last score published for the customer (0: none yet): the next one is greater. */
  sequence: number;
  /**
   * The as-of of the latest re-score that moved the customer's time on (a decay sweep, a
   * training's re-score), null when none did: a score is as of the later of this and the
   * features' own as-of, so a sweep's decay is not undone by a late event, while the features'
   * as-of may move back (the latest active order voided) without being pinned to what it was.
   */
  sweptToMs: number | null;
}

/** The state of a customer whose features arrived before any model: kept so the first training can score them. */
export function unscoredState(features: CustomerFeaturesEvent, previous?: CustomerScoreState): CustomerScoreState {
  if (previous) return { ...previous, features };
  return { features, asOfMs: null, segment: null, clvMinor: 0, modelVersion: null, recommendation: null, interval: null, sequence: 0, sweptToMs: null };
}

/**
 * A customer left with no active order (features with no purchase days: every order voided):
 * no score, like a customer never scored. When a score had been published, a withdrawn one
 * (segment '', model_version '', zeros; a greater sequence) says it is gone: the analysts'
 * view drops the customer and a CRM hears it. Without one there is nothing to withdraw — so
 * the end state is the same whether the voided order was ever active (it arrived before its
 * refund) or not. Sweeps are forgotten too: a later purchase starts the customer afresh.
 */
export function withdrawScore(previous: CustomerScoreState | undefined, features: CustomerFeaturesEvent): { state: CustomerScoreState; score: ClvScoreEvent | null } {
  const published = previous !== undefined && previous.segment !== null;
  const sequence = (previous?.sequence ?? 0) + (published ? 1 : 0);
  const state: CustomerScoreState = { features, asOfMs: null, segment: null, clvMinor: 0, modelVersion: null, recommendation: null, interval: null, sequence, sweptToMs: null };
  if (!published) return { state, score: null };
  return {
    state,
    score: {
      event_id: `${features.event_id}@withdrawn`,
      event_time: features.event_time,
      customer_id: features.customer_id,
      model_version: '',
      model_kind: '',
      clv_minor: 0,
      p_alive: 0,
      expected_purchases: 0,
      expected_avg_value_minor: 0,
      horizon_days: 0,
      segment: '',
      action: '',
      currency: features.currency,
      recommended_categories: [],
      recommendation_reason: '',
      recommended_min_unit_price_minor: 0,
      clv_lower_minor: null,
      clv_upper_minor: null,
      clv_interval_level: null,
      sequence,
    },
  };
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
    asOfDay: asOf,
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
  /** The model's prediction for these features as of `asOfMs`, made beforehand in a batch (batch-predictions.ts); absent: `model.predict`. */
  prediction?: CustomerPrediction,
): ScoreResult {
  const p = prediction ?? model.predict(modelInputOf(features, asOfMs, model.periodDays, settings.dayOf, settings.minorPerUnit));
  const clvMinor = Math.round(p.clv * settings.minorPerUnit);
  const interval: ClvInterval | null = p.interval
    ? { lowerMinor: Math.round(p.interval.lower * settings.minorPerUnit), upperMinor: Math.round(p.interval.upper * settings.minorPerUnit), level: p.interval.level }
    : null;
  const ageDays = Math.max(0, (asOfMs - features.first_purchase_time) / MS_PER_DAY);
  const current = previous?.segment ?? null;
  const segmentInput = { clvMinor, pAlive: p.pAlive, purchaseDays: features.purchase_days, ageDays };
  const segment = assignSegment(segmentInput, model.thresholds, current, settings.hysteresis);
  const lapse = lapseOf(segment, segmentInput, model.thresholds);
  const rule = settings.policy.segments[segment];
  const recommendation = recommendAction(settings.policy, {
    segment,
    pAlive: p.pAlive,
    atRiskPAlive: model.thresholds.atRiskPAlive,
    totalValueMinor: features.total_value_minor,
    purchaseDays: features.purchase_days,
    categorySummary: features.category_summary ?? [],
    currency: features.currency,
    minorPerUnit: settings.minorPerUnit,
    lapse,
  }, model.categoryStatistics ?? null);
  const { action } = recommendation;
  // The segment's reason explains its own action; when the recommendation overrode it (a
  // valuable lost customer won back, an upsell from the top tier turned cross-sell), its own does.
  const reason = action === rule.action ? (lapse ? `${rule.reason} ${silenceText(lapse)}` : rule.reason) : recommendation.reason;
  const details = {
    recommended_categories: recommendation.categories,
    recommendation_reason: recommendation.reason,
    recommended_min_unit_price_minor: recommendation.minUnitPriceMinor,
  };
  // The features' id names the purchases they summarise (customer@orders.revisions): two scores
  // as of the same time with the same model differ only when the purchases did.
  const eventId = `${features.event_id}@${asOfMs}@${model.version}`;
  const sequence = (previous?.sequence ?? 0) + 1;
  const score: ClvScoreEvent = {
    event_id: eventId,
    event_time: asOfMs,
    customer_id: features.customer_id,
    model_version: model.version,
    model_kind: model.kind,
    clv_minor: clvMinor,
    p_alive: p.pAlive,
    expected_purchases: p.expectedPurchases,
    expected_avg_value_minor: Math.round(p.expectedAvgValue * settings.minorPerUnit),
    horizon_days: model.horizonDays,
    segment,
    action,
    currency: features.currency,
    ...details,
    clv_lower_minor: interval && interval.lowerMinor,
    clv_upper_minor: interval && interval.upperMinor,
    clv_interval_level: interval && interval.level,
    sequence,
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
          ...details,
        };
  return { state: { features, asOfMs, segment, clvMinor, modelVersion: model.version, recommendation, interval, sequence, sweptToMs: previous?.sweptToMs ?? null }, score, change };
}

/** The silence behind the segment when the one-time-buyer lapse, not the model, decided it. */
function lapseOf(segment: Segment, s: SegmentInput, t: SegmentThresholds): OneTimeBuyerSilence | null {
  const lapse = oneTimeBuyerLapse(s, t);
  if (lapse === null || lapse !== segment) return null;
  const afterDays = (lapse === 'lost' ? t.oneTimeBuyerLostDays : t.oneTimeBuyerAtRiskDays)!;
  return { segment: lapse, silentDays: s.ageDays, afterDays };
}
