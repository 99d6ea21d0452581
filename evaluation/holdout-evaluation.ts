/**
 * Holdout check: what the model expected each customer to buy over the holdout window
 * (undiscounted purchases × expected spend) against what they really bought.
 */
import type { ModelInput } from '../core/repeat-purchase-summary.js';
import { holdoutMetrics, type HoldoutMetrics as Metrics } from '../models/metrics/holdout-metrics.js';
import type { WindowValueModel } from './model-evaluation-per-customer.js';

export interface HoldoutRow {
  input: ModelInput;
  actual: { purchaseDays: number; valueMinor: number };
}

export interface HoldoutPrediction {
  pAlive: number;
  expectedPurchases: number;
  expectedAvgValue: number;
  /** expectedPurchases × expectedAvgValue, currency units. */
  predictedValue: number;
}

export interface HoldoutMetrics {
  /** Holdout length in model periods. */
  periods: number;
  customers: number;
  predictedPurchasesTotal: number;
  actualPurchasesTotal: number;
  /** Currency units. */
  predictedValueTotal: number;
  actualValueTotal: number;
  /** Customer-level metrics of value (currency units) and of purchase counts. */
  value: Metrics;
  purchases: Metrics;
}

export function evaluateHoldout(
  model: Pick<WindowValueModel, 'expectedOver'>,
  rows: readonly HoldoutRow[],
  periods: number,
  minorPerUnit: number,
): { predictions: HoldoutPrediction[]; metrics: HoldoutMetrics } {
  const n = rows.length;
  const predictedPurchases = new Float64Array(n);
  const actualPurchases = new Float64Array(n);
  const predictedValue = new Float64Array(n);
  const actualValue = new Float64Array(n);
  const predictions: HoldoutPrediction[] = [];
  rows.forEach(({ input, actual }, i) => {
    const e = model.expectedOver(input, periods);
    predictedPurchases[i] = e.purchases;
    predictedValue[i] = e.purchases * e.avgValue;
    actualPurchases[i] = actual.purchaseDays;
    actualValue[i] = actual.valueMinor / minorPerUnit;
    predictions.push({ pAlive: e.pAlive, expectedPurchases: e.purchases, expectedAvgValue: e.avgValue, predictedValue: predictedValue[i] });
  });
  const value = holdoutMetrics(predictedValue, actualValue);
  const purchases = holdoutMetrics(predictedPurchases, actualPurchases);
  return {
    predictions,
    metrics: {
      periods,
      customers: n,
      predictedPurchasesTotal: purchases.predictedTotal,
      actualPurchasesTotal: purchases.actualTotal,
      predictedValueTotal: value.predictedTotal,
      actualValueTotal: value.actualTotal,
      value,
      purchases,
    },
  };
}
