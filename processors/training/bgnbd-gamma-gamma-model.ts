/**
 * The champion model today: BG/NBD for how often and how long (Fader, Hardie & Lee 2005),
 * Gamma-Gamma for how much (Fader & Hardie 2013), combined into a discounted CLV. Carries
 * the segment thresholds it was trained with, so segments stay put between retrains.
 */
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import type { SegmentThresholds } from '../../core/segmentation.js';
import { FittedBgNbd } from '../../models/bgnbd.js';
import { ClvScorer, emptyClvScore } from '../../models/customer-lifetime-value.js';
import { FittedGammaGamma } from '../../models/gamma-gamma.js';
import type { CustomerPrediction, CustomerValueModel } from '../scoring/customer-scorer.js';

export interface ModelSettings {
  /** Days per model period (7: weeks). */
  periodDays: number;
  horizonMonths: number;
  monthlyDiscountRate: number;
}

const DAYS_PER_MONTH = 365.25 / 12;

export class BgNbdGammaGammaModel implements CustomerValueModel {
  readonly horizonDays: number;
  private readonly scorer: ClvScorer;
  // predict() is on the scoring hot path: reuse one scratch score instead of allocating.
  private readonly scratch = emptyClvScore();

  constructor(
    readonly version: string,
    readonly bgnbd: FittedBgNbd,
    readonly gammaGamma: FittedGammaGamma,
    readonly settings: Readonly<ModelSettings>,
    readonly thresholds: Readonly<SegmentThresholds>,
  ) {
    this.horizonDays = Math.round(settings.horizonMonths * DAYS_PER_MONTH);
    this.scorer = new ClvScorer(bgnbd, gammaGamma, settings);
  }

  get periodDays(): number {
    return this.settings.periodDays;
  }

  predict(input: ModelInput): CustomerPrediction {
    const s = this.scorer.score(input, this.scratch);
    return { pAlive: s.probabilityAlive, expectedPurchases: s.expectedPurchases, expectedAvgValue: s.expectedAverageValue, clv: s.clv };
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

  /** For reports. */
  describe(): Record<string, unknown> {
    const round = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number((v as number).toPrecision(4))]));
    return {
      version: this.version,
      'BG/NBD': round(this.bgnbd.params),
      'Gamma-Gamma': round(this.gammaGamma.params),
      'segment thresholds': this.thresholds,
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
    return { kind: 'bgnbd-gamma-gamma', version: this.version, settings: this.settings, thresholds: this.thresholds, bgnbd: this.bgnbd.toJSON(), gammaGamma: this.gammaGamma.toJSON() };
  }

  static fromJSON(json: ReturnType<BgNbdGammaGammaModel['toJSON']>): BgNbdGammaGammaModel {
    if (json?.kind !== 'bgnbd-gamma-gamma') throw new TypeError('not a BG/NBD + Gamma-Gamma model');
    return new BgNbdGammaGammaModel(json.version, FittedBgNbd.fromJSON(json.bgnbd), FittedGammaGamma.fromJSON(json.gammaGamma), json.settings, json.thresholds);
  }
}
