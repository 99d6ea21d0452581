/**
 * Plain RFM rules that score customers before any model is trained, so a new shop sees
 * CLVs and segments from its first event. No fitting, no data beyond the customer's own
 * (x, t_x, T, mean repeat spend), in days:
 *
 * - probability alive from recency against the customer's own rhythm: with g the mean gap
 *   between purchases (t_x / x; `oneTimeBuyerGapDays` for a one-time buyer) and s = T − t_x
 *   the silence since the last purchase, p_alive = 1 while s ≤ g, then exp(−(s − g) / g).
 *   Silent for twice the usual gap gives e⁻¹ ≈ 0.37 (at risk with the default 0.5 cut-off),
 *   for about 2.6 gaps 0.2 (lost).
 * - CLV from the historical spend rate: repeat purchases per day since the first purchase
 *   (x / T) × horizon × p_alive purchases, each worth the mean repeat spend, discounted
 *   to the middle of the horizon.
 *
 * Deliberately crude: it ranks customers sensibly and moves quiet ones to at_risk/lost;
 * the first trained champion replaces it.
 */
import { ONE_TIME_BUYER_EXPECTED_GAP_DAYS } from '../../core/one-time-buyer-lapse.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import type { SegmentThresholds } from '../../core/segmentation.js';
import type { CustomerPrediction, CustomerValueModel } from '../../core/customer-value-model.js';

export const RFM_RULES_VERSION = 'rfm-rules';

export interface RfmRuleSettings {
  horizonMonths: number;
  monthlyDiscountRate: number;
  /** Value thresholds (minor units) and the probability cut-offs, as a trained model carries. */
  thresholds: SegmentThresholds;
  /** The gap a one-time buyer is expected to come back within, days. */
  oneTimeBuyerGapDays?: number;
}

const DAYS_PER_MONTH = 365.25 / 12;

export class RfmRuleModel implements CustomerValueModel {
  readonly kind = 'rfm-rules';
  readonly version = RFM_RULES_VERSION;
  /** Inputs in days: the rules reason about gaps in days. */
  readonly periodDays = 1;
  readonly horizonDays: number;
  readonly thresholds: SegmentThresholds;
  private readonly oneTimeBuyerGapDays: number;
  private readonly discount: number;

  constructor(settings: Readonly<RfmRuleSettings>) {
    this.horizonDays = Math.round(settings.horizonMonths * DAYS_PER_MONTH);
    this.thresholds = { ...settings.thresholds };
    this.oneTimeBuyerGapDays = settings.oneTimeBuyerGapDays ?? ONE_TIME_BUYER_EXPECTED_GAP_DAYS;
    this.discount = (1 + settings.monthlyDiscountRate) ** -(settings.horizonMonths / 2);
  }

  predict(input: ModelInput): CustomerPrediction {
    const { frequency: x, recency: tx, T, monetaryValue: m } = input;
    // Purchase days are distinct, so t_x / x ≥ 1 day; the floor only guards odd inputs.
    const gap = x > 0 ? Math.max(1, tx / x) : this.oneTimeBuyerGapDays;
    const silence = Math.max(0, T - tx);
    const pAlive = silence <= gap ? 1 : Math.exp(-(silence - gap) / gap);
    const ratePerDay = x > 0 && T > 0 ? x / T : 0;
    const expectedPurchases = ratePerDay * this.horizonDays * pAlive;
    return { pAlive, expectedPurchases, expectedAvgValue: m, clv: expectedPurchases * m * this.discount };
  }
}

/** What the rules take from the validated settings (config/config.ts: CLV_RULES_*, CLV_HORIZON_MONTHS, …). */
export interface RfmRuleConfig {
  horizonMonths: number;
  monthlyDiscountRate: number;
  rulesHighClv: number;
  rulesMediumClv: number;
  minorPerUnit: number;
  atRiskPAlive: number;
  lostPAlive: number;
  newCustomerDays: number;
}

/** The rule model of the validated config (value thresholds from CLV_RULES_*). */
export function rfmRuleModelFrom(config: Readonly<RfmRuleConfig>): RfmRuleModel {
  return new RfmRuleModel({
    horizonMonths: config.horizonMonths,
    monthlyDiscountRate: config.monthlyDiscountRate,
    thresholds: {
      highClvMinor: Math.round(config.rulesHighClv * config.minorPerUnit),
      mediumClvMinor: Math.round(config.rulesMediumClv * config.minorPerUnit),
      atRiskPAlive: config.atRiskPAlive,
      lostPAlive: config.lostPAlive,
      newCustomerDays: config.newCustomerDays,
      oneTimeBuyerAtRiskDays: null,
      oneTimeBuyerLostDays: null,
    },
  });
}
