/**
 * Seasonal per-customer CLV: BG/NBD + Gamma-Gamma run in operational time
 * (models/seasonal/operational-time.ts), the calendar warped by the shop's seasonal purchase
 * intensity (models/seasonal/seasonal-intensity.ts). Each customer's (x, t_x, T) is measured
 * in operational periods; a horizon's expectation is BG/NBD's conditional expectation (Fader,
 * Hardie & Lee 2005, eq. 10) over the horizon's operational length, so the CLV of a customer
 * scored in November counts December's peak, and the 12 discounted months of the CLV
 * (customer-lifetime-value.ts) are each as long as the season makes them. Spend per purchase
 * (Gamma-Gamma, Fader & Hardie 2013) does not depend on time and is unchanged.
 *
 * Scores depend on the as-of day's place in the season, so the CLV scorer and the interval
 * scorer are built per as-of day, as views sharing one pair of scorers' constants and caches
 * (a scorer of its own per day allocated ~1.7 MiB and started cold: the stream scored 8% as
 * fast as plain BG/NBD's), and kept for the last days used.
 */
import type { CustomerPrediction, CustomerValueModel } from '../../core/customer-value-model.js';
import type { OneTimeBuyerLapse } from '../../core/one-time-buyer-lapse.js';
import type { CategoryStatistics } from '../../core/recommendations/category-statistics.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import type { SegmentThresholds } from '../../core/segmentation.js';
import { ClvIntervalScorer, type SpendQuantiles } from '../clv/clv-predictive-interval.js';
import { ClvScorer, emptyClvScore } from '../clv/customer-lifetime-value.js';
import { OperationalClock, operationalInput } from '../seasonal/operational-time.js';
import { SeasonalIntensity, type SeasonalIntensityJson } from '../seasonal/seasonal-intensity.js';
import { BgNbdGammaGammaModel, type BgNbdGammaGammaArtifact } from './bgnbd-gamma-gamma-model.js';

const DAYS_PER_MONTH = 365.25 / 12;
/**
 * As-of days whose scorers are kept. Each is a light view of two shared scorers (their
 * constants and caches are shared, see ClvScorer.withMonthEnds): a stream scores each
 * customer as of their own latest event, so a batch spans many days, and partitions consumed
 * at different paces span more.
 */
const SCORERS_KEPT = 2048;

export type SeasonalBgNbdGammaGammaArtifact = ReturnType<SeasonalBgNbdGammaGammaModel['toJSON']>;

interface DayScorers {
  clv: ClvScorer;
  intervals: ClvIntervalScorer;
}

export class SeasonalBgNbdGammaGammaModel implements CustomerValueModel {
  readonly kind = 'seasonal-bgnbd-gamma-gamma';
  readonly clock: OperationalClock;
  private readonly scorers = new Map<number, DayScorers>();
  /** What every day's scorers share (built on first use). */
  private root: DayScorers | null = null;
  private readonly scratch = emptyClvScore();
  private readonly quantiles: SpendQuantiles = { lower: 0, upper: 0 };

  constructor(
    /** BG/NBD + Gamma-Gamma fitted on operational-time inputs; its thresholds are this model's. */
    readonly base: BgNbdGammaGammaModel,
    readonly intensity: SeasonalIntensity,
    /** Day the clock counts from (any day: only differences of operational time matter). */
    readonly originDay: number,
  ) {
    this.clock = new OperationalClock(intensity, originDay);
  }

  get version(): string {
    return this.base.version;
  }
  get periodDays(): number {
    return this.base.periodDays;
  }
  get horizonDays(): number {
    return this.base.horizonDays;
  }
  get thresholds(): SegmentThresholds {
    return this.base.thresholds;
  }
  get categoryStatistics(): CategoryStatistics | null {
    return this.base.categoryStatistics;
  }

  /** `input` with t_x and T measured in operational periods. */
  operational(input: ModelInput): ModelInput {
    return operationalInput(this.clock, input, this.periodDays);
  }

  clvOf(input: ModelInput): number {
    return this.scorersAt(input.asOfDay).clv.score(this.operational(input), this.scratch).clv;
  }

  predict(input: ModelInput): CustomerPrediction {
    const op = this.operational(input);
    const { clv, intervals } = this.scorersAt(input.asOfDay);
    const s = clv.score(op, this.scratch);
    const q = intervals.quantilesInto(this.quantiles, op.frequency, op.recency, op.T, op.monetaryValue);
    const spend = s.expectedPurchases * s.expectedAverageValue;
    // As BgNbdGammaGammaModel: undiscounted quantiles scaled by the customer's discount ratio.
    const discount = spend > 0 ? s.clv / spend : 1;
    return {
      pAlive: s.probabilityAlive, expectedPurchases: s.expectedPurchases, expectedAvgValue: s.expectedAverageValue, clv: s.clv,
      interval: { lower: q.lower * discount, upper: q.upper * discount, level: intervals.level },
    };
  }

  /** Undiscounted expectation over the `periods` calendar periods after the input's as-of day. */
  expectedOver(input: ModelInput, periods: number): { purchases: number; avgValue: number; pAlive: number } {
    const p = this.periodDays;
    return this.base.expectedOver(this.operational(input), this.clock.between(input.asOfDay, input.asOfDay + periods * p) / p);
  }

  /** The 10–90% interval of undiscounted spend over the `periods` calendar periods after the as-of, in their operational length. */
  intervalOver(input: ModelInput, periods: number): { lower: number; upper: number; level: number } {
    const p = this.periodDays;
    const op = Math.round((this.clock.between(input.asOfDay, input.asOfDay + periods * p) / p) * 1e6) / 1e6;
    return this.base.intervalOver(this.operational(input), op);
  }

  /** Expected purchases in the `days` calendar days after the as-of day (FHL 2005 eq. 10 over their operational length). */
  expectedPurchasesWithin(input: ModelInput, days: number): number {
    const op = this.operational(input);
    const t = this.clock.between(input.asOfDay, input.asOfDay + days) / this.periodDays;
    return this.base.bgnbd.conditionalExpectedPurchases(t, op.frequency, op.recency, op.T);
  }

  /** The same model with other segment thresholds (training computes them with this model's own CLVs). */
  withThresholds(thresholds: SegmentThresholds): SeasonalBgNbdGammaGammaModel {
    const b = this.base;
    return new SeasonalBgNbdGammaGammaModel(new BgNbdGammaGammaModel(b.version, b.bgnbd, b.gammaGamma, b.settings, thresholds, b.categoryStatistics), this.intensity, this.originDay);
  }

  withCategoryStatistics(statistics: CategoryStatistics | null): SeasonalBgNbdGammaGammaModel {
    return new SeasonalBgNbdGammaGammaModel(this.base.withCategoryStatistics(statistics), this.intensity, this.originDay);
  }

  withOneTimeBuyerLapse(lapse: Pick<OneTimeBuyerLapse, 'atRiskDays' | 'lostDays'>): SeasonalBgNbdGammaGammaModel {
    return new SeasonalBgNbdGammaGammaModel(this.base.withOneTimeBuyerLapse(lapse), this.intensity, this.originDay);
  }

  describe(): Record<string, unknown> {
    return { ...this.base.describe(), seasonality: this.intensity.yearly ? 'yearly + weekly + holidays' : 'weekly + holidays' };
  }

  metricsJson() {
    return { ...this.base.metricsJson(), seasonal_intensity: { yearly: this.intensity.yearly } };
  }

  toJSON() {
    const { format: _f, kind: _k, version: _v, ...base } = this.base.toJSON();
    return { format: 1 as const, kind: this.kind, version: this.version, ...base, intensity: this.intensity.toJSON(), originDay: this.originDay };
  }

  static fromJSON(json: SeasonalBgNbdGammaGammaArtifact): SeasonalBgNbdGammaGammaModel {
    if (json?.kind !== 'seasonal-bgnbd-gamma-gamma') throw new TypeError('not a seasonal BG/NBD + Gamma-Gamma model');
    if (!Number.isInteger(json.originDay)) throw new TypeError('originDay must be a day index');
    const { intensity, originDay, ...rest } = json;
    const base = BgNbdGammaGammaModel.fromJSON({ ...rest, kind: 'bgnbd-gamma-gamma' } as BgNbdGammaGammaArtifact);
    return new SeasonalBgNbdGammaGammaModel(base, SeasonalIntensity.fromJSON(intensity as SeasonalIntensityJson), originDay);
  }

  /** The CLV and interval scorers of an as-of day: month ends and horizon in operational periods. */
  private scorersAt(asOfDay: number): DayScorers {
    const cached = this.scorers.get(asOfDay);
    if (cached) return cached;
    const { settings } = this.base;
    const p = settings.periodDays;
    const monthEnds = Array.from({ length: settings.horizonMonths }, (_, i) => this.clock.between(asOfDay, asOfDay + (i + 1) * DAYS_PER_MONTH) / p);
    const horizonPeriods = monthEnds[monthEnds.length - 1];
    this.root ??= {
      clv: new ClvScorer(this.base.bgnbd, this.base.gammaGamma, { horizonMonths: settings.horizonMonths, monthlyDiscountRate: settings.monthlyDiscountRate, periodDays: p, monthEnds }),
      intervals: new ClvIntervalScorer(this.base.bgnbd, this.base.gammaGamma, { horizonPeriods }),
    };
    const made: DayScorers = { clv: this.root.clv.withMonthEnds(monthEnds), intervals: this.root.intervals.atHorizon(horizonPeriods) };
    if (this.scorers.size >= SCORERS_KEPT) this.scorers.delete(this.scorers.keys().next().value!);
    this.scorers.set(asOfDay, made);
    return made;
  }
}
