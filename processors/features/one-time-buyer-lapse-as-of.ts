/**
 * The one-time-buyer lapse (core/one-time-buyer-lapse.ts) as of a time, from every
 * customer's history in the feature store: what training stores with the model's segment
 * thresholds. Purchase days are the days with an active order placed by `asOfMs`.
 */
import type { DayIndexer } from '../../core/calendar.js';
import type { StateStore } from '../../core/ports/state-store.js';
import { ONE_TIME_BUYER_EXPECTED_GAP_DAYS, ReturnGapSample, rulesLapse, withOverrides, type OneTimeBuyerLapse } from '../../core/one-time-buyer-lapse.js';
import { forEachActivePurchase, type CustomerPurchaseHistory } from './customer-purchase-history.js';

/** The settings the lapse needs (config/config.ts: CLV_AT_RISK_P_ALIVE, CLV_ONE_TIME_BUYER_*_DAYS, …). */
export interface LapseConfig {
  atRiskPAlive: number;
  lostPAlive: number;
  /** 0: learned. */
  oneTimeBuyerAtRiskDays: number;
  oneTimeBuyerLostDays: number;
}

export async function oneTimeBuyerLapseAsOf(
  histories: StateStore<CustomerPurchaseHistory>,
  asOfMs: number,
  dayOf: DayIndexer,
  config: Readonly<LapseConfig>,
): Promise<OneTimeBuyerLapse> {
  const sample = new ReturnGapSample();
  for await (const page of histories.scan(10_000)) {
    for (const [, history] of page) addFirstTwoPurchaseDays(sample, history, asOfMs);
  }
  return oneTimeBuyerLapseOf(sample, dayOf(asOfMs), config);
}

/** The lapse learned from `sample` as of a day, the rules' without enough returns, configured days in place of learned ones. */
export function oneTimeBuyerLapseOf(sample: ReturnGapSample, asOfDay: number, config: Readonly<LapseConfig>): OneTimeBuyerLapse {
  const fallback = rulesLapse(ONE_TIME_BUYER_EXPECTED_GAP_DAYS, config.atRiskPAlive, config.lostPAlive);
  return withOverrides(sample.lapse(asOfDay, fallback), { atRiskDays: config.oneTimeBuyerAtRiskDays, lostDays: config.oneTimeBuyerLostDays });
}

/** Adds the customer's first and second purchase days as of `asOfMs`, if any purchase. */
export function addFirstTwoPurchaseDays(sample: ReturnGapSample, history: CustomerPurchaseHistory, asOfMs: number): void {
  let first = Infinity;
  let second = Infinity;
  forEachActivePurchase(history, (day, time) => {
    if (time > asOfMs || day === first || day === second) return;
    if (day < first) {
      second = first;
      first = day;
    } else if (day < second) {
      second = day;
    }
  });
  if (first !== Infinity) sample.add(first, second === Infinity ? null : second);
}
