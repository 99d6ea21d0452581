/**
 * What one training run reads: every customer's purchase history (the feature store), split
 * in time. With H the holdout length, the calibration part is every active order up to
 * calibrationEnd = asOf − H days, the holdout is what each calibration customer bought in
 * (calibrationEnd, asOf], and the full part is everything up to asOf. One scan of the store;
 * per customer only two small summaries are kept, so memory grows with customers, not orders.
 */
import { MS_PER_DAY, type DayIndexer } from '../core/calendar.js';
import type { StateStore } from '../core/ports/state-store.js';
import { ReturnGapSample } from '../core/one-time-buyer-lapse.js';
import { summarizePurchaseDays, toModelInput, type ModelInput, type RepeatPurchaseSummary } from '../core/repeat-purchase-summary.js';
import { forEachActivePurchase, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { addFirstTwoPurchaseDays } from '../processors/features/one-time-buyer-lapse-as-of.js';

export interface HoldoutActual {
  purchaseDays: number;
  valueMinor: number;
}

export interface TrainingData {
  asOfMs: number;
  calibrationEndMs: number;
  asOfDay: number;
  calibrationEndDay: number;
  /** Earliest active purchase up to as-of, epoch ms (null: no customer). */
  firstPurchaseMs: number | null;
  /** Customers with a purchase in the calibration part, with their summaries and holdout. */
  calibration: { summaries: RepeatPurchaseSummary[]; holdout: HoldoutActual[] };
  /** Customers with a purchase up to as-of: what the deployed model is refit on. */
  full: { summaries: RepeatPurchaseSummary[] };
  /** Each of those customers' first and second purchase days: what the one-time-buyer lapse is learned from. */
  returnGaps: ReturnGapSample;
  /** Every customer's purchase days up to as-of (day → net value, minor units): what the backtest that selects the model reads. */
  purchaseDays: Map<string, Map<number, number>>;
}

/** What readiness is judged on. */
export interface TrainingDataFigures {
  /** Customers with a purchase in the calibration part. */
  customers: number;
  /** Of those, with at least one repeat purchase day in the calibration part. */
  repeatCustomers: number;
  /** Days from the first purchase to the as-of. */
  historyDays: number;
}

export async function readTrainingData(
  histories: StateStore<CustomerPurchaseHistory>,
  asOfMs: number,
  holdoutDays: number,
  dayOf: DayIndexer,
): Promise<TrainingData> {
  const calibrationEndMs = asOfMs - holdoutDays * MS_PER_DAY;
  const data: TrainingData = {
    asOfMs,
    calibrationEndMs,
    asOfDay: dayOf(asOfMs),
    calibrationEndDay: dayOf(calibrationEndMs),
    firstPurchaseMs: null,
    calibration: { summaries: [], holdout: [] },
    full: { summaries: [] },
    returnGaps: new ReturnGapSample(),
    purchaseDays: new Map(),
  };
  for await (const page of histories.scan(10_000)) {
    for (const [, history] of page) {
      const before = new Map<number, number>();
      const all = new Map<number, number>();
      const holdout = new Map<number, number>();
      forEachActivePurchase(history, (day, time, net) => {
        if (time > asOfMs) return;
        all.set(day, (all.get(day) ?? 0) + net);
        const part = time <= calibrationEndMs ? before : holdout;
        part.set(day, (part.get(day) ?? 0) + net);
        if (data.firstPurchaseMs === null || time < data.firstPurchaseMs) data.firstPurchaseMs = time;
      });
      const full = summarizePurchaseDays(all);
      if (full === null) continue;
      data.full.summaries.push(full);
      data.purchaseDays.set(history.customerId, all);
      addFirstTwoPurchaseDays(data.returnGaps, history, asOfMs);
      const calibration = summarizePurchaseDays(before);
      if (calibration === null) continue;
      let valueMinor = 0;
      for (const v of holdout.values()) valueMinor += v;
      data.calibration.summaries.push(calibration);
      data.calibration.holdout.push({ purchaseDays: holdout.size, valueMinor });
    }
  }
  return data;
}

export function trainingDataFigures(data: TrainingData): TrainingDataFigures {
  let repeatCustomers = 0;
  for (const s of data.calibration.summaries) if (s.repeatPurchaseDays > 0) repeatCustomers++;
  return {
    customers: data.calibration.summaries.length,
    repeatCustomers,
    historyDays: data.firstPurchaseMs === null ? 0 : Math.floor((data.asOfMs - data.firstPurchaseMs) / MS_PER_DAY),
  };
}

/** Model inputs of summaries as of a day, in a model's own period. */
export function inputsAsOf(summaries: readonly RepeatPurchaseSummary[], asOfDay: number, periodDays: number, minorPerUnit: number): ModelInput[] {
  return summaries.map((s) => toModelInput(s, asOfDay, periodDays, minorPerUnit));
}
