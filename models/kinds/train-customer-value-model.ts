/**
 * Training: fit BG/NBD and Gamma-Gamma on customers' model inputs as of the calibration
 * end, then fix the segment thresholds from the distribution of the resulting CLVs.
 */
import { nearestRankQuantile } from '../../core/nearest-rank-quantile.js';
import type { CustomerValueModel } from '../../core/customer-value-model.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import type { SegmentThresholds } from '../../core/segmentation.js';
import { fitBgNbd } from '../bgnbd/bgnbd.js';
import { fitGammaGamma } from '../gamma-gamma/gamma-gamma.js';
import { rfmColumns, spendColumns } from '../rfm-columns.js';
import { BgNbdGammaGammaModel, type ModelSettings } from './bgnbd-gamma-gamma-model.js';

export interface TrainingSettings extends ModelSettings {
  version: string;
  atRiskPAlive: number;
  lostPAlive: number;
  newCustomerDays: number;
  /** 0: learned from the data (processors/features/one-time-buyer-lapse-as-of.ts). */
  oneTimeBuyerAtRiskDays: number;
  oneTimeBuyerLostDays: number;
  minorPerUnit: number;
}

/** What training takes from the validated settings (config/config.ts: CLV_PERIOD, CLV_HORIZON_MONTHS, …). */
export interface TrainingConfig {
  period: 'day' | 'week';
  horizonMonths: number;
  monthlyDiscountRate: number;
  atRiskPAlive: number;
  lostPAlive: number;
  newCustomerDays: number;
  oneTimeBuyerAtRiskDays: number;
  oneTimeBuyerLostDays: number;
  minorPerUnit: number;
}

/** Training settings from the validated config. */
export function trainingSettingsFrom(config: Readonly<TrainingConfig>, version: string): TrainingSettings {
  return {
    version,
    periodDays: config.period === 'week' ? 7 : 1,
    horizonMonths: config.horizonMonths,
    monthlyDiscountRate: config.monthlyDiscountRate,
    atRiskPAlive: config.atRiskPAlive,
    lostPAlive: config.lostPAlive,
    newCustomerDays: config.newCustomerDays,
    oneTimeBuyerAtRiskDays: config.oneTimeBuyerAtRiskDays,
    oneTimeBuyerLostDays: config.oneTimeBuyerLostDays,
    minorPerUnit: config.minorPerUnit,
  };
}

/** @throws ClvError INSUFFICIENT_DATA when the data cannot identify a model. */
export function trainCustomerValueModel(inputs: readonly ModelInput[], s: TrainingSettings): BgNbdGammaGammaModel {
  const bgnbd = fitBgNbd(rfmColumns(inputs));
  const gammaGamma = fitGammaGamma(spendColumns(inputs));
  const settings = { periodDays: s.periodDays, horizonMonths: s.horizonMonths, monthlyDiscountRate: s.monthlyDiscountRate };
  // Thresholds are computed with provisional ones that do not matter for CLV.
  const provisional = new BgNbdGammaGammaModel(s.version, bgnbd, gammaGamma, settings, segmentThresholds([], s));
  return new BgNbdGammaGammaModel(s.version, bgnbd, gammaGamma, settings, segmentThresholds(establishedClvs(provisional, inputs, s), s));
}

/**
 * The CLVs (minor units, ascending) of the established customers — new ones have their own
 * segment — as `model` values them: what the value thresholds are quantiles of.
 */
export function establishedClvs(model: CustomerValueModel, inputs: readonly ModelInput[], s: TrainingSettings): number[] {
  const clvs: number[] = [];
  for (const input of inputs) {
    const isNew = input.frequency === 0 && input.T * s.periodDays <= s.newCustomerDays;
    if (!isNew) clvs.push(Math.round((model.clvOf ? model.clvOf(input) : model.predict(input).clv) * s.minorPerUnit));
  }
  return clvs.sort((a, b) => a - b);
}

/** Segment thresholds of a training run: high value from the 80th CLV percentile, medium from the 50th (no lapse yet). */
export function segmentThresholds(sortedClvs: readonly number[], s: TrainingSettings): SegmentThresholds {
  return {
    highClvMinor: sortedClvs.length > 0 ? nearestRankQuantile(sortedClvs, 0.8) : 0,
    mediumClvMinor: sortedClvs.length > 0 ? nearestRankQuantile(sortedClvs, 0.5) : 0,
    atRiskPAlive: s.atRiskPAlive,
    lostPAlive: s.lostPAlive,
    newCustomerDays: s.newCustomerDays,
    oneTimeBuyerAtRiskDays: null,
    oneTimeBuyerLostDays: null,
  };
}
