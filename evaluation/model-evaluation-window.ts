/**
 * One evaluation window of `clv evaluate`: what every model may see (each customer's
 * purchase days on or before the cut day) and what they are scored against (the same
 * customers' spend in the window after it). The holdout is the window after the calibration
 * end; the ensemble's validation is a window after an inner cut inside the calibration.
 * Only customers with a purchase by the cut are scored — nobody can predict a customer who
 * does not exist yet — so the window's actual revenue is that of those customers.
 */
import { summarizePurchaseDays, toModelInput, type ModelInput } from '../core/repeat-purchase-summary.js';
import type { Transaction } from '../producers/transaction-file.js';

/** Customer id → purchase day → net value of that day (minor units). */
export type PurchaseDaysByCustomer = ReadonlyMap<string, ReadonlyMap<number, number>>;

export interface EvaluationWindow {
  /** First day with a purchase in the data, any customer. */
  firstDay: number;
  /** Last day the models may see (inclusive). */
  cutDay: number;
  /** Last day of the window scored (inclusive); the window is cutDay+1 … endDay. */
  endDay: number;
  /** Customers with a purchase on or before cutDay, sorted. */
  customerIds: string[];
  /** BG/NBD inputs as of cutDay, parallel to customerIds. */
  inputs: ModelInput[];
  /** Purchase days on or before cutDay (day, minor units), parallel to customerIds. */
  histories: Array<Array<[number, number]>>;
  /** Purchase days and spend (currency units) in the window, parallel to customerIds. */
  actualPurchaseDays: Float64Array;
  actualValue: Float64Array;
  /** Net revenue per day (minor units) of every day firstDay … cutDay: what Prophet fits. */
  revenueBeforeCut: Float64Array;
  /** Net revenue per day (currency units) of these customers, days cutDay+1 … endDay. */
  revenueInWindow: Float64Array;
}

/** Groups transactions by customer and day (one day = one transaction, as in FHL 2005). */
export function purchaseDaysByCustomer(transactions: readonly Pick<Transaction, 'customerId' | 'day' | 'amountMinor'>[]): PurchaseDaysByCustomer {
  const out = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    let days = out.get(t.customerId);
    if (!days) out.set(t.customerId, (days = new Map()));
    days.set(t.day, (days.get(t.day) ?? 0) + t.amountMinor);
  }
  return out;
}

/** The window after `cutDay` up to `endDay`. Model inputs use `periodDays` (7 = weeks). */
export function evaluationWindow(byCustomer: PurchaseDaysByCustomer, cutDay: number, endDay: number, periodDays: number, minorPerUnit: number): EvaluationWindow {
  if (!(endDay > cutDay)) throw new RangeError(`window end ${endDay} must be after the cut ${cutDay}`);
  let firstDay = Infinity;
  for (const days of byCustomer.values()) for (const d of days.keys()) firstDay = Math.min(firstDay, d);
  const customerIds = [...byCustomer.entries()].filter(([, days]) => [...days.keys()].some((d) => d <= cutDay)).map(([id]) => id).sort();
  const n = customerIds.length;
  const inputs: ModelInput[] = [];
  const histories: Array<Array<[number, number]>> = [];
  const actualPurchaseDays = new Float64Array(n);
  const actualValue = new Float64Array(n);
  const before = new Float64Array(Number.isFinite(firstDay) ? Math.max(0, cutDay - firstDay + 1) : 0);
  const inWindow = new Float64Array(endDay - cutDay);
  customerIds.forEach((id, i) => {
    const past: Array<[number, number]> = [];
    let valueMinor = 0;
    for (const [day, value] of byCustomer.get(id)!) {
      if (day <= cutDay) {
        past.push([day, value]);
        before[day - firstDay] += value;
      } else if (day <= endDay) {
        actualPurchaseDays[i]++;
        valueMinor += value;
        inWindow[day - cutDay - 1] += value / minorPerUnit;
      }
    }
    past.sort((a, b) => a[0] - b[0]);
    histories.push(past);
    inputs.push(toModelInput(summarizePurchaseDays(past)!, cutDay, periodDays, minorPerUnit));
    actualValue[i] = valueMinor / minorPerUnit;
  });
  return { firstDay, cutDay, endDay, customerIds, inputs, histories, actualPurchaseDays, actualValue, revenueBeforeCut: before, revenueInWindow: inWindow };
}

/** What one model predicts for a window. */
export interface WindowForecast {
  /** Spend per customer over the window, currency units, parallel to the window's customers. */
  values: Float64Array;
  /**
   * Relative weight of each window day (cutDay+1 … endDay) in the total: how the model's
   * total spreads over time, for per-period (monthly) aggregates. Weights ≥ 0.
   */
  dailyShape: Float64Array;
  /** Each customer's central interval of window spend (currency units) and its level, for models that give one. */
  intervals?: { lower: Float64Array; upper: Float64Array; level: number } | null;
}
