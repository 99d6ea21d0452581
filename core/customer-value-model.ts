/**
 * What scoring needs of a trained model, whatever its kind (models/kinds/): a prediction per
 * customer from the customer's model inputs, the segment thresholds it was trained with, and
 * the shop-wide statistics behind cross-sell and upsell.
 */
import type { CategoryStatistics } from './recommendations/category-statistics.js';
import type { ModelInput, RepeatPurchaseSummary } from './repeat-purchase-summary.js';
import type { SegmentThresholds } from './segmentation.js';

/** One customer's prediction, in currency units (not minor). */
export interface CustomerPrediction {
  pAlive: number;
  /** Expected purchase days over the horizon. */
  expectedPurchases: number;
  /** Expected value of one future purchase. */
  expectedAvgValue: number;
  /** Discounted value over the horizon. */
  clv: number;
  /** Predictive interval of the discounted value (clv-predictive-interval.ts); absent or null when the model gives none. */
  interval?: ClvPredictionInterval | null;
}

/** The central `level` mass of a model's distribution of the discounted value, currency units. */
export interface ClvPredictionInterval {
  lower: number;
  upper: number;
  /** e.g. 0.8 for the 10th to 90th percentile. */
  level: number;
}

/** A trained model as scoring needs it. */
export interface CustomerValueModel {
  /** Which kind of model (models/kinds/model-kinds.ts), e.g. `bgnbd-gamma-gamma`. */
  readonly kind: string;
  readonly version: string;
  /** Length of the model's time unit in days (7: weeks). */
  readonly periodDays: number;
  readonly horizonDays: number;
  readonly thresholds: SegmentThresholds;
  /** Shop-wide category statistics from training, for cross-sell and upsell; absent or null without them. */
  readonly categoryStatistics?: CategoryStatistics | null;
  predict(input: ModelInput): CustomerPrediction;
  /**
   * `predict(input).clv` without the rest — above all without the interval, most of a
   * prediction's cost — where a model can give it so: what training's value thresholds
   * (quantiles of a million CLVs) need. Absent: callers use `predict`.
   */
  clvOf?(input: ModelInput): number;
  /**
   * Present on models whose inference runs over many customers at once (the LSTM: one tensor
   * per processor batch or re-score page). Scoring calls it, once per batch, instead of
   * `predict`, which such a model refuses. One prediction per input, in order.
   */
  predictBatch?(inputs: readonly ScoringInput[]): Promise<CustomerPrediction[]>;
}

/**
 * One customer as a batch model reads them: the model inputs, the repeat-purchase summary
 * (calendar days, minor units) they come from, and the purchase days of the bounded recent
 * history the features carry (CustomerFeaturesEvent.recent_purchase_days).
 */
export interface ScoringInput {
  input: ModelInput;
  summary: RepeatPurchaseSummary;
  /** [day index, net value minor units], oldest first; at least the days the model's window reaches. */
  recentDays: ReadonlyArray<readonly [day: number, valueMinor: number]>;
}
