/**
 * The champion model today: BG/NBD for how often and how long (Fader, Hardie & Lee 2005),
 * Gamma-Gamma for how much (Fader & Hardie 2013), combined into a discounted CLV. Carries
 * the segment thresholds it was trained with, so segments stay put between retrains.
 */
import type { OneTimeBuyerLapse } from '../../core/one-time-buyer-lapse.js';
import { categoryStatisticsFromJSON, type CategoryStatistics } from '../../core/recommendations/category-statistics.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import type { SegmentThresholds } from '../../core/segmentation.js';
import { FittedBgNbd } from '../bgnbd/bgnbd.js';
import { ClvIntervalScorer, type SpendQuantiles } from '../clv/clv-predictive-interval.js';
import { ClvScorer, emptyClvScore } from '../clv/customer-lifetime-value.js';
import { FittedGammaGamma } from '../gamma-gamma/gamma-gamma.js';
import type { CustomerPrediction, CustomerValueModel } from '../../core/customer-value-model.js';

export interface ModelSettings {
  /** Days per model period (7: weeks). */
  periodDays: number;
  horizonMonths: number;
  monthlyDiscountRate: number;
}

const DAYS_PER_MONTH = 365.25 / 12;

/** The registry artifact of a BG/NBD + Gamma-Gamma model (models/kinds/model-kinds.ts). */
export type BgNbdGammaGammaArtifact = ReturnType<BgNbdGammaGammaModel['toJSON']>;

export class BgNbdGammaGammaModel implements CustomerValueModel {
  readonly kind = 'bgnbd-gamma-gamma';
  readonly horizonDays: number;
  private readonly scorer: ClvScorer;
  private readonly intervals: ClvIntervalScorer;
  // predict() is on the scoring hot path: reuse one scratch score instead of allocating.
  private readonly scratch = emptyClvScore();
  private readonly quantiles: SpendQuantiles = { lower: 0, upper: 0 };
  // Interval scorers of holdout windows, by length: an evaluation asks about one or two.
  private readonly windowIntervals = new Map<number, ClvIntervalScorer>();

  constructor(
    readonly version: string,
    readonly bgnbd: FittedBgNbd,
    readonly gammaGamma: FittedGammaGamma,
    readonly settings: Readonly<ModelSettings>,
    readonly thresholds: Readonly<SegmentThresholds>,
    /** Shop-wide category statistics for cross-sell and upsell, from the same training data; null without. */
    readonly categoryStatistics: CategoryStatistics | null = null,
  ) {
    this.horizonDays = Math.round(settings.horizonMonths * DAYS_PER_MONTH);
    this.scorer = new ClvScorer(bgnbd, gammaGamma, settings);
    this.intervals = new ClvIntervalScorer(bgnbd, gammaGamma, { horizonPeriods: (settings.horizonMonths * DAYS_PER_MONTH) / settings.periodDays });
  }

  get periodDays(): number {
    return this.settings.periodDays;
  }

  /**
   * The CLV and its 10–90% predictive interval. The interval's quantiles are of undiscounted
   * spend, scaled by this customer's discount ratio CLV / (E[purchases] × E[value]): exact for
   * the mean, an approximation for quantiles — but a tight one, since every cash flow is
   * discounted by a factor in [(1+d)^−H, 1], so the exact discounted quantile lies between
   * (1+d)^−H and 1 times the undiscounted one (0.89–1 at 1%/month over 12 months).
   */
  predict(input: ModelInput): CustomerPrediction {
    const s = this.scorer.score(input, this.scratch);
    const q = this.intervals.quantilesInto(this.quantiles, input.frequency, input.recency, input.T, input.monetaryValue);
    const spend = s.expectedPurchases * s.expectedAverageValue;
    const discount = spend > 0 ? s.clv / spend : 1;
    return {
      pAlive: s.probabilityAlive, expectedPurchases: s.expectedPurchases, expectedAvgValue: s.expectedAverageValue, clv: s.clv,
      interval: { lower: q.lower * discount, upper: q.upper * discount, level: this.intervals.level },
    };
  }

  /** `predict(input).clv` alone (CustomerValueModel.clvOf). */
  clvOf(input: ModelInput): number {
    return this.scorer.score(input, this.scratch).clv;
  }

  /** `predict` without the interval: what the lstm kind takes from its companion. */
  predictPoint(input: ModelInput): CustomerPrediction {
    const s = this.scorer.score(input, this.scratch);
    return { pAlive: s.probabilityAlive, expectedPurchases: s.expectedPurchases, expectedAvgValue: s.expectedAverageValue, clv: s.clv };
  }

  /** The same model carrying `statistics` (computed from the same histories at training time). */
  withCategoryStatistics(statistics: CategoryStatistics | null): BgNbdGammaGammaModel {
    return new BgNbdGammaGammaModel(this.version, this.bgnbd, this.gammaGamma, this.settings, this.thresholds, statistics);
  }

  /** The same model with one-time buyers lapsing after `lapse` (learned from the same histories at training time). */
  withOneTimeBuyerLapse(lapse: Pick<OneTimeBuyerLapse, 'atRiskDays' | 'lostDays'>): BgNbdGammaGammaModel {
    const thresholds = { ...this.thresholds, oneTimeBuyerAtRiskDays: lapse.atRiskDays, oneTimeBuyerLostDays: lapse.lostDays };
    return new BgNbdGammaGammaModel(this.version, this.bgnbd, this.gammaGamma, this.settings, thresholds, this.categoryStatistics);
  }

  /** Undiscounted expectation over the next `periods` periods: for holdout checks. */
  expectedOver(input: ModelInput, periods: number): { purchases: number; avgValue: number; pAlive: number } {
    const { frequency: x, recency: tx, T, monetaryValue: m } = input;
    return {
      purchases: this.bgnbd.conditionalExpectedPurchases(periods, x, tx, T),
      avgValue: this.gammaGamma.conditionalExpectedAverageValue(x, m),
      pAlive: this.bgnbd.probabilityAlive(x, tx, T),
    };
  }

  /**
   * The central interval (10–90%) of the undiscounted spend over the next `periods` periods
   * (clv-predictive-interval.ts): what a holdout of that length is checked against.
   */
  intervalOver(input: ModelInput, periods: number): { lower: number; upper: number; level: number } {
    let scorer = this.windowIntervals.get(periods);
    if (scorer === undefined) {
      // A light view of the scoring interval's scorer: the seasonal model asks for a horizon per as-of day.
      if (this.windowIntervals.size >= 1024) this.windowIntervals.clear();
      this.windowIntervals.set(periods, (scorer = this.intervals.atHorizon(periods)));
    }
    const q = scorer.quantilesInto({ lower: 0, upper: 0 }, input.frequency, input.recency, input.T, input.monetaryValue);
    return { lower: q.lower, upper: q.upper, level: scorer.level };
  }

  /** Expected purchases in the `days` calendar days after the as-of (FHL 2005 eq. 10). */
  expectedPurchasesWithin(input: ModelInput, days: number): number {
    return this.bgnbd.conditionalExpectedPurchases(days / this.periodDays, input.frequency, input.recency, input.T);
  }

  /** For reports. */
  describe(): Record<string, unknown> {
    const round = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number((v as number).toPrecision(4))]));
    return {
      version: this.version,
      'BG/NBD': round(this.bgnbd.params),
      'Gamma-Gamma': round(this.gammaGamma.params),
      'segment thresholds': this.thresholds,
      'category statistics': this.categoryStatistics
        ? { orders: this.categoryStatistics.orders, categories: this.categoryStatistics.categories.length, pairs: this.categoryStatistics.pairs.length }
        : null,
    };
  }

  /** The `models` section of evaluate's metrics.json. */
  metricsJson() {
    return {
      bgnbd: { params: { ...this.bgnbd.params }, log_likelihood: this.bgnbd.logLikelihood, converged: this.bgnbd.diagnostics.converged },
      gamma_gamma: { params: { ...this.gammaGamma.params }, log_likelihood: this.gammaGamma.logLikelihood, converged: this.gammaGamma.diagnostics.converged },
    };
  }

  toJSON() {
    return {
      format: 1 as const, kind: this.kind, version: this.version, settings: this.settings, thresholds: this.thresholds,
      bgnbd: this.bgnbd.toJSON(), gammaGamma: this.gammaGamma.toJSON(), categoryStatistics: this.categoryStatistics,
    };
  }

  static fromJSON(json: ReturnType<BgNbdGammaGammaModel['toJSON']>): BgNbdGammaGammaModel {
    if (json?.kind !== 'bgnbd-gamma-gamma') throw new TypeError('not a BG/NBD + Gamma-Gamma model');
    return new BgNbdGammaGammaModel(
      json.version, FittedBgNbd.fromJSON(json.bgnbd), FittedGammaGamma.fromJSON(json.gammaGamma), json.settings, json.thresholds,
      categoryStatisticsFromJSON(json.categoryStatistics),
    );
  }
}
