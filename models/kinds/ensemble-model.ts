/**
 * The ensemble kind: a convex blend of scoring models of the BG/NBD family (plain and
 * seasonal), with the weights the backtest fitted (models/ensemble/blend-weights.ts,
 * evaluation/model-backtest.ts). Every figure of a prediction is the weighted sum of the
 * members' — CLV, expected purchases, spend and P(alive) (a weighted average, the weights
 * summing to 1). The interval is the weighted sum of the members' bounds: exact when the
 * members' predictive distributions are comonotone (they are driven by the same customer
 * history), and otherwise wider than the blend's own, never narrower — a conservative band.
 * Segment thresholds are the blend's own (quantiles of its CLVs at training).
 */
import type { CustomerPrediction, CustomerValueModel } from '../../core/customer-value-model.js';
import type { OneTimeBuyerLapse } from '../../core/one-time-buyer-lapse.js';
import type { CategoryStatistics } from '../../core/recommendations/category-statistics.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import type { SegmentThresholds } from '../../core/segmentation.js';
import { BgNbdGammaGammaModel, type BgNbdGammaGammaArtifact } from './bgnbd-gamma-gamma-model.js';
import { SeasonalBgNbdGammaGammaModel, type SeasonalBgNbdGammaGammaArtifact } from './seasonal-bgnbd-gamma-gamma-model.js';

/** A member: a model of the BG/NBD family. */
export type EnsembleMember = BgNbdGammaGammaModel | SeasonalBgNbdGammaGammaModel;

export type EnsembleArtifact = ReturnType<EnsembleModel['toJSON']>;

export class EnsembleModel implements CustomerValueModel {
  readonly kind = 'ensemble';

  constructor(
    readonly version: string,
    /** Members with weights ≥ 0 summing to 1 (members of weight 0 are dropped). */
    readonly members: ReadonlyArray<{ name: string; weight: number; model: EnsembleMember }>,
    readonly thresholds: SegmentThresholds,
    readonly categoryStatistics: CategoryStatistics | null = null,
  ) {
    const kept = members.filter((m) => m.weight > 0);
    const total = kept.reduce((s, m) => s + m.weight, 0);
    if (kept.length === 0 || Math.abs(total - 1) > 1e-6) throw new RangeError(`ensemble weights must be ≥ 0 and sum to 1, got ${members.map((m) => m.weight).join(' + ')}`);
    const periods = new Set(kept.map((m) => m.model.periodDays));
    const horizons = new Set(kept.map((m) => m.model.horizonDays));
    if (periods.size !== 1 || horizons.size !== 1) throw new RangeError('ensemble members must share their period and horizon');
    this.members = kept;
  }

  get periodDays(): number {
    return this.members[0].model.periodDays;
  }
  get horizonDays(): number {
    return this.members[0].model.horizonDays;
  }

  predict(input: ModelInput): CustomerPrediction {
    let pAlive = 0;
    let expectedPurchases = 0;
    let clv = 0;
    let spend = 0;
    let lower = 0;
    let upper = 0;
    let level = 0;
    let avgValue = 0;
    for (const { weight, model } of this.members) {
      const p = model.predict(input);
      avgValue += weight * p.expectedAvgValue;
      pAlive += weight * p.pAlive;
      expectedPurchases += weight * p.expectedPurchases;
      clv += weight * p.clv;
      spend += weight * p.expectedPurchases * p.expectedAvgValue;
      lower += weight * (p.interval?.lower ?? p.clv);
      upper += weight * (p.interval?.upper ?? p.clv);
      level = p.interval?.level ?? level;
    }
    // E[spend] per purchase of the blend: blended spend over blended purchases.
    const expectedAvgValue = expectedPurchases > 0 ? spend / expectedPurchases : avgValue;
    return { pAlive, expectedPurchases, expectedAvgValue, clv, interval: { lower, upper, level } };
  }

  /** The blend's CLV: the weighted members' CLVs, as `predict` sums them. */
  clvOf(input: ModelInput): number {
    let clv = 0;
    for (const { weight, model } of this.members) clv += weight * model.clvOf(input);
    return clv;
  }

  expectedOver(input: ModelInput, periods: number): { purchases: number; avgValue: number; pAlive: number } {
    let purchases = 0;
    let spend = 0;
    let pAlive = 0;
    let avg = 0;
    for (const { weight, model } of this.members) {
      const e = model.expectedOver(input, periods);
      purchases += weight * e.purchases;
      spend += weight * e.purchases * e.avgValue;
      pAlive += weight * e.pAlive;
      avg += weight * e.avgValue;
    }
    return { purchases, avgValue: purchases > 0 ? spend / purchases : avg, pAlive };
  }

  /** Weighted members' bounds (comonotone: see the header). */
  intervalOver(input: ModelInput, periods: number): { lower: number; upper: number; level: number } {
    let lower = 0;
    let upper = 0;
    let level = 0;
    for (const { weight, model } of this.members) {
      const i = model.intervalOver(input, periods);
      lower += weight * i.lower;
      upper += weight * i.upper;
      level = i.level;
    }
    return { lower, upper, level };
  }

  expectedPurchasesWithin(input: ModelInput, days: number): number {
    return this.members.reduce((s, m) => s + m.weight * m.model.expectedPurchasesWithin(input, days), 0);
  }

  withThresholds(thresholds: SegmentThresholds): EnsembleModel {
    return new EnsembleModel(this.version, this.members, thresholds, this.categoryStatistics);
  }

  withCategoryStatistics(statistics: CategoryStatistics | null): EnsembleModel {
    return new EnsembleModel(this.version, this.members, this.thresholds, statistics);
  }

  withOneTimeBuyerLapse(lapse: Pick<OneTimeBuyerLapse, 'atRiskDays' | 'lostDays'>): EnsembleModel {
    return this.withThresholds({ ...this.thresholds, oneTimeBuyerAtRiskDays: lapse.atRiskDays, oneTimeBuyerLostDays: lapse.lostDays });
  }

  /** For reports and explanations: the parts and their weights. */
  describe(): Record<string, unknown> {
    return { version: this.version, ensemble: this.members.map((m) => ({ model: m.name, kind: m.model.kind, weight: Number(m.weight.toFixed(4)), ...m.model.describe() })), 'segment thresholds': this.thresholds };
  }

  metricsJson() {
    return { ensemble: Object.fromEntries(this.members.map((m) => [m.name, { weight: m.weight, ...m.model.metricsJson() }])) };
  }

  toJSON() {
    return {
      format: 1 as const, kind: this.kind, version: this.version, thresholds: this.thresholds, categoryStatistics: this.categoryStatistics,
      members: this.members.map((m) => ({ name: m.name, weight: m.weight, artifact: m.model.toJSON() })),
    };
  }

  static fromJSON(json: EnsembleArtifact): EnsembleModel {
    if (json?.kind !== 'ensemble' || !Array.isArray(json.members)) throw new TypeError('not an ensemble model');
    const members = json.members.map((m) => ({
      name: m.name,
      weight: m.weight,
      model: m.artifact.kind === 'seasonal-bgnbd-gamma-gamma'
        ? SeasonalBgNbdGammaGammaModel.fromJSON(m.artifact as SeasonalBgNbdGammaGammaArtifact)
        : BgNbdGammaGammaModel.fromJSON(m.artifact as BgNbdGammaGammaArtifact),
    }));
    return new EnsembleModel(json.version, members, json.thresholds, json.categoryStatistics ?? null);
  }
}
