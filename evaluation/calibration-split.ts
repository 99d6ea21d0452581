/**
 * Splits transactions at a calibration end: each customer's purchase days (day → value)
 * up to and including the calibration end, and those in the holdout after it.
 */
import { summarizePurchaseDays, toModelInput, type ModelInput } from '../core/repeat-purchase-summary.js';
import type { Transaction } from '../producers/transaction-file.js';

export interface CalibrationSplit {
  /** Customers with a purchase on or before the calibration end, sorted. */
  customerIds: string[];
  /** Model inputs as of the calibration end, parallel to customerIds. */
  inputs: ModelInput[];
  /** Holdout purchase days and value, parallel to customerIds. */
  holdout: Array<{ purchaseDays: number; valueMinor: number }>;
}

export function splitAtCalibrationEnd(
  transactions: readonly Transaction[],
  calibrationEndDay: number,
  holdoutEndDay: number,
  periodDays: number,
  minorPerUnit: number,
): CalibrationSplit {
  const calibration = new Map<string, Map<number, number>>();
  const holdout = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    const target = t.day <= calibrationEndDay ? calibration : t.day <= holdoutEndDay ? holdout : null;
    if (!target) continue;
    let days = target.get(t.customerId);
    if (!days) target.set(t.customerId, (days = new Map()));
    days.set(t.day, (days.get(t.day) ?? 0) + t.amountMinor);
  }
  const customerIds = [...calibration.keys()].sort();
  return {
    customerIds,
    inputs: customerIds.map((id) => toModelInput(summarizePurchaseDays(calibration.get(id)!)!, calibrationEndDay, periodDays, minorPerUnit)),
    holdout: customerIds.map((id) => {
      const days = holdout.get(id);
      let valueMinor = 0;
      for (const v of days?.values() ?? []) valueMinor += v;
      return { purchaseDays: days?.size ?? 0, valueMinor };
    }),
  };
}
