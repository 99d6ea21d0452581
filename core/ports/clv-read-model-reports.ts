/**
 * The read model's reports for the dashboard and any other client (core/ports/clv-read-model.ts):
 * movements between segments, recommended actions with their reasons, and the champion's
 * accuracy. Money in minor units of the shop currency; times epoch ms, UTC.
 */
import type { Action, Recommendation } from '../action-policy.js';
import type { EpochMs, MinorUnits } from '../events.js';
import type { Segment } from '../segmentation.js';
import type { ForecastBacktest } from './clv-read-model.js';

/** Customers who were in one segment at the start of a window and in another (or the same) at its end. */
export interface SegmentFlow {
  /** Their segment as of the window's start; null: not scored by then (new, or first scored since). */
  from: Segment | null;
  /** Their segment as of the window's end. */
  to: Segment;
  customers: number;
  /**
   * Moves only (from ≠ to): up to the number asked of these customers, highest CLV first (the
   * CLV of their latest segment change by the window's end), then by id; [] for stays.
   */
  examples: { customerId: string; clvMinor: MinorUnits }[];
}

/**
 * Net movements between segments over (fromMs, toMs], from the score history: each customer's
 * segment is that of their latest segment change at or before a time. A customer who moved
 * away and back within the window stays. Flows out of a segment add up to its size at fromMs;
 * flows into it, to its size at toMs (customers the history has scored by then).
 */
export interface SegmentFlows {
  fromMs: EpochMs;
  toMs: EpochMs;
  /** Every (from, to) pair with customers, stays included: moves first by size, then stays in segment order. */
  flows: SegmentFlow[];
  /** The latest segment change in the history (how far it has seen); null when it holds none. */
  latestChangeMs: EpochMs | null;
}

/** The customers of one segment who are recommended one action. */
export interface ActionGroup {
  action: Action;
  segment: Segment;
  customers: number;
  /** Why this segment's customers get this action, from the action policy (core/recommendations/action-rule-reason.ts). */
  reason: string;
  /** Up to the number asked of them, highest CLV first, with their own recommendation. */
  examples: { customerId: string; clvMinor: MinorUnits; reason: string; categories: string[] }[];
}

/** Scored customers by recommended action, as of their latest scores. */
export interface ActionSummary {
  /** Scored customers (the groups add up to it). */
  customers: number;
  /** Every (action, segment) with customers: actions by size, then segments in order. */
  groups: ActionGroup[];
  /** The policy's win-back rule, which moves customers between actions by what they spent. */
  winBack: { minHistoricValueMinor: MinorUnits; segments: Segment[]; otherwise: Recommendation };
}

/**
 * A customer-value model checked on data it was not fitted on: fitted on the data up to
 * `calibrationEndMs`, its predicted value per customer over the holdout that follows set
 * against what each customer spent (models/metrics/holdout-metrics.ts).
 */
export interface CustomerModelBacktest {
  calibrationEndMs: EpochMs | null;
  holdoutEndMs: EpochMs | null;
  holdoutDays: number | null;
  customers: number;
  /** (Σ predicted − Σ actual) / Σ actual value over all customers: the error of the total. */
  valueError: number | null;
  /** Spearman rank correlation of predicted and actual value per customer: does it rank customers right. */
  spearman: number | null;
  /** Share of the holdout's actual value spent by the 10% of customers predicted most valuable. */
  topDecileCapture: number | null;
  /** Mean |predicted − actual| value per customer. */
  meanAbsoluteErrorMinor: MinorUnits | null;
  predictedValueMinor: MinorUnits | null;
  actualValueMinor: MinorUnits | null;
}

/** How well the champion predicts, each figure named for what it measures. */
export interface ChampionAccuracy {
  champion: { version: string; kind: string; trainedAtMs: EpochMs | null } | null;
  /** Per-customer value, measured when the champion was trained; null when its record has none. */
  customerModel: CustomerModelBacktest | null;
  /** The total revenue forecast kept with the champion; null without one. */
  revenueForecast: {
    modelVersion: string;
    /** Against the days after its fit window that its run held out (the demo's holdout); null when none were. */
    backtest: ForecastBacktest | null;
    /** Against the revenue booked since the forecast began: calendar months that are over (the latest order is past their end). */
    live: ForecastBacktest | null;
  } | null;
}
