/**
 * The read port of the REST API: what the API needs to answer queries about customers,
 * segments, models and the revenue forecast, and no more. Implemented over the scoring
 * processor's state store and the model(s) in use (read-model/score-store-read-model.ts).
 *
 * Contract:
 * - Reads never change state, and a failed read rejects (ClvError DEPENDENCY_FAILED when the
 *   backing store is unreachable); the API turns that into a 503.
 * - `customersOfSegment` pages by customer id, ascending: a page holds the customers of the
 *   segment whose id is greater than `after`. Walking pages from `after: null` until `next`
 *   is null visits every customer that stays in the segment during the walk exactly once;
 *   customers that join or leave mid-walk may be seen or missed (keyset pagination).
 * - Money is in minor units of the shop currency; times are epoch ms, UTC.
 */
import type { Action } from '../action-policy.js';
import type { CustomerFeaturesEvent, EpochMs, MinorUnits } from '../events.js';
import type { ClvHistogram } from '../clv-histogram.js';
import type { ActionSummary, ChampionAccuracy, SegmentFlows } from './clv-read-model-reports.js';
import type { Segment, SegmentThresholds } from '../segmentation.js';

/**
 * How a CLV was reached: the model's inputs and the intermediate numbers, recomputed with
 * the model version that produced the score (BG/NBD + Gamma-Gamma today).
 */
export interface ClvExplanation {
  /** e.g. 'bgnbd-gamma-gamma' (see ModelSummary.kind). */
  modelKind: string;
  /** As of when the inputs were measured. */
  asOfMs: EpochMs;
  /** Days per model period (7: the model counts in weeks). */
  periodDays: number;
  /** Repeat purchase days (the papers' x). */
  frequency: number;
  /** Time of the last purchase since the first (t_x), model periods. */
  recency: number;
  /** Age of the customer since the first purchase (T), model periods. */
  T: number;
  /** Mean value of the repeat purchase days (m̄_x), currency units; 0 without repeats. */
  monetaryValue: number;
  /** Probability that the customer is still active. */
  pAlive: number;
  /** Expected purchase days over the horizon, undiscounted. */
  expectedPurchases: number;
  /** Expected value of one future purchase (Gamma-Gamma), currency units. */
  expectedAvgValue: number;
  /** expectedPurchases × expectedAvgValue, undiscounted, currency units. */
  expectedSpend: number;
  horizonDays: number;
  /** Monthly discount rate applied to the horizon's cash flows; null when the model does not say. */
  monthlyDiscountRate: number | null;
  /** The discounted CLV these numbers give, currency units. */
  clv: number;
  /** An ensemble's parts: each member's kind, weight and own CLV (the score is their weighted sum); null for a single model. */
  parts: Array<{ name: string; kind: string; weight: number; clv: number }> | null;
  /**
   * Whether the recomputed CLV equals the stored score. False when the score was computed
   * as of a later time than the inputs record (a re-score sweep), see `asOfMs`.
   */
  matchesScore: boolean;
}

/**
 * The central `level` mass of the model's predictive distribution of the customer's
 * discounted value over the horizon (BG/NBD + Gamma-Gamma: models/clv/clv-predictive-interval.ts).
 * Not a confidence interval of the expected CLV: for a customer likely to buy nothing it is
 * [0, 0] while the CLV (a mean) is positive.
 */
export interface ClvInterval {
  lowerMinor: MinorUnits;
  upperMinor: MinorUnits;
  /** e.g. 0.9 for a 90% interval. */
  level: number;
}

/** What the action concretely suggests (core/recommendations/recommend-action.ts). */
export interface RecommendationView {
  /** Categories to promote (cross-sell: not yet bought, best first; upsell: the favourite); may be empty. */
  categories: string[];
  /** Why this action and these categories. */
  reason: string;
  /** Upsell: lower bound of the next price tier, minor units; 0 for no price target. */
  minUnitPriceMinor: MinorUnits;
}

export interface CustomerScoreView {
  modelVersion: string;
  clvMinor: MinorUnits;
  segment: Segment;
  /** The recommended action (the policy may override the segment's, e.g. win-back for valuable customers). */
  action: Action;
  /** The segment's reason in the policy, or the recommendation's when it overrode the segment's action. */
  actionReason: string;
  /** null before the customer's first score. */
  recommendation: RecommendationView | null;
  horizonDays: number;
  /** null when the model gives a point estimate only, or the score predates intervals. */
  interval: ClvInterval | null;
  /** null when the model version that produced the score is no longer loaded. */
  explanation: ClvExplanation | null;
}

export interface CustomerView {
  customerId: string;
  currency: string;
  /** RFM as the features processor last derived it. */
  features: CustomerFeaturesEvent;
  /** null until a model has scored the customer. */
  score: CustomerScoreView | null;
}

/**
 * A customer as stored now, decoded on demand. Two reads with the same (`===`) revision give
 * equal views as long as the score's model is loaded both times; a view whose score has no
 * explanation (its model not loaded) may change without a new revision and must not be kept.
 */
export interface RevisedCustomer {
  revision: unknown;
  view(): Promise<CustomerView>;
}

export interface SegmentSizes {
  /** Customers per segment (every segment present, 0 when empty). */
  segments: Record<Segment, number>;
  /** Customers with features but no score yet (no model when they were seen). */
  unscored: number;
}

export interface SegmentMember {
  customerId: string;
  clvMinor: MinorUnits;
  modelVersion: string | null;
}

export interface SegmentPage {
  customers: SegmentMember[];
  /** The `after` of the next page, or null after the last. */
  next: string | null;
}

export type ModelStatus = 'champion' | 'retired';

export interface ModelSummary {
  version: string;
  /** e.g. 'bgnbd-gamma-gamma'. */
  kind: string;
  status: ModelStatus;
  /** null when unknown (a model loaded without its training record). */
  trainedAtMs: EpochMs | null;
  /** null for a kind this process cannot load. */
  periodDays: number | null;
  horizonDays: number | null;
}

export interface ModelDetail extends ModelSummary {
  /** Fitted parameters, per sub-model. */
  params: Record<string, unknown>;
  /** null for a kind this process cannot load. */
  thresholds: SegmentThresholds | null;
  /** Numeric evaluation metrics by name (e.g. holdout MAPE), possibly empty. */
  metrics: Record<string, number>;
}

export interface RevenueForecastPoint {
  periodStartMs: EpochMs;
  expectedMinor: MinorUnits;
  lowerMinor: MinorUnits | null;
  upperMinor: MinorUnits | null;
}

export interface RevenueForecast {
  modelVersion: string;
  generatedAtMs: EpochMs;
  /**
   * When the forecast's segments were taken (the training as-of): a segment's forecast is of
   * the customers in it then. Null when not recorded (forecasts made before it was).
   */
  segmentsAsOfMs?: EpochMs | null;
  currency: string;
  granularity: 'day' | 'week';
  points: RevenueForecastPoint[];
  /** Probability the forecast puts between lower and upper (0.8: the 10th to 90th percentile); null when not recorded. */
  intervalLevel?: number | null;
  /**
   * The forecast summed per calendar week (Monday first) and month of the shop's time zone:
   * whole periods only, each with the interval of the sum, simulated jointly (not the sum
   * of the periods' bounds, which would be far too wide). A weekly forecast has no months.
   */
  totals?: { week?: RevenueForecastPoint[]; month?: RevenueForecastPoint[] };
  /** How the forecast did on the days after its fit window that its run held out, per calendar month; null without a holdout. */
  backtest?: ForecastBacktest | null;
}

/** A revenue forecast checked against the revenue of a window it was not fitted on, per calendar month. */
export interface ForecastBacktest {
  /** The window compared: [fromMs, toMs). */
  fromMs: EpochMs;
  toMs: EpochMs;
  /** Calendar months compared (partly covered months count with the days covered). */
  months: number;
  /** Mean over the months of |forecast − actual| / actual (a fraction); null when no month had revenue. */
  monthlyMape: number | null;
  /** (Σ forecast − Σ actual) / Σ actual over the window (a fraction); null without revenue. */
  totalRelativeError: number | null;
}

/** Segment sizes as of a point in event time. */
export interface SegmentSnapshot extends SegmentSizes {
  /** The latest as-of time of the scores the read model had seen (event time), epoch ms. */
  atMs: EpochMs;
}

/**
 * Consecutive periods (calendar days, weeks or months: core/calendar-periods.ts): period i is
 * [boundariesMs[i], boundariesMs[i + 1]), so n periods have n + 1 ascending boundaries.
 */
export interface PeriodRange {
  boundariesMs: EpochMs[];
}

/** Net revenue booked per period. */
export interface RevenueActuals {
  /** One per period asked for, in order; 0 for a period without orders. */
  points: { periodStartMs: EpochMs; actualMinor: MinorUnits }[];
  /** Start of the latest hour with an order: later periods are not "zero", just not yet seen. Null without orders. */
  latestHourMs: EpochMs | null;
}

/** The hours of the first and the latest order of anyone: the range revenue can be reported over. */
export interface RevenueSpan {
  firstHourMs: EpochMs;
  latestHourMs: EpochMs;
}

export interface ClvReadModel {
  /** A customer's features and latest score; null for an unknown customer. */
  customer(customerId: string): Promise<CustomerView | null>;
  /** Optional: the customer with a revision (see RevisedCustomer); null for an unknown customer. */
  customerRevised?(customerId: string): Promise<RevisedCustomer | null>;
  segmentSizes(): Promise<SegmentSizes>;
  /** One page of a segment's customers (see the contract above); `limit` ≥ 1. */
  customersOfSegment(segment: Segment, page: { after: string | null; limit: number }): Promise<SegmentPage>;
  /** Every known model version, champion first, then newest first. */
  models(): Promise<ModelSummary[]>;
  model(version: string): Promise<ModelDetail | null>;
  /**
   * The latest revenue forecast of all customers, or of the current customers of `segment`;
   * null before one exists (or when the last run left the segment out: too little history).
   */
  revenueForecast(segment?: Segment): Promise<RevenueForecast | null>;
  /**
   * Segment sizes over event time, oldest first; the last is the current sizes. Bounded:
   * older snapshots are thinned, never the range cut (see the adapter). Empty before the first score write.
   */
  segmentHistory(): Promise<SegmentSnapshot[]>;
  /** The scored customers' CLVs in `bins` (≥ 1) equal-width bins, the top 5% apart (core/clv-histogram.ts). */
  clvDistribution(bins: number): Promise<ClvHistogram>;
  /**
   * Net revenue of the active orders placed in each period of `range`, to the hour (actuals
   * to set against a forecast); null where this read model has no access to purchases.
   */
  revenueActuals(range: PeriodRange): Promise<RevenueActuals | null>;
  /** When the first and the latest order were placed; null without orders or without access to purchases. */
  revenueSpan(): Promise<RevenueSpan | null>;
  /**
   * As `revenueActuals`, of the customers in `segment` as of `membershipAsOfMs` (each one's
   * latest score by then; null: their latest score now). Membership is fixed at that time, so
   * a customer's later segment change does not move their revenue; the segments' actuals add
   * up to the total's less the customers not scored by then (and less what the analytics
   * store has not received yet: it is fed by a sink). Null where this read model has
   * no score history. `latestHourMs` is the latest order of anyone, as in `revenueActuals`.
   */
  segmentRevenueActuals(
    segment: Segment,
    membershipAsOfMs: EpochMs | null,
    range: PeriodRange,
  ): Promise<RevenueActuals | null>;
  /**
   * Net movements between segments over (fromMs, toMs] (see SegmentFlows), with up to
   * `examplesPerFlow` customers of each move; null where this read model has no score history.
   */
  segmentFlows(range: { fromMs: EpochMs; toMs: EpochMs }, examplesPerFlow: number): Promise<SegmentFlows | null>;
  /** Scored customers by recommended action and segment, with the policy's reasons and up to `examplesPerGroup` customers each. */
  actionSummary(examplesPerGroup: number): Promise<ActionSummary>;
  /** The champion's measured accuracy: the customer model's backtest, the revenue forecast's backtest and live check. */
  championAccuracy(): Promise<ChampionAccuracy>;
  /** Resolves when the backing stores answer; rejects otherwise (readiness probe). */
  ping(): Promise<void>;
}
