import { generateSyntheticHistory } from '../producers/synthetic/synthetic-history.js';
import { dayIndexOfDate } from '../core/calendar.js';
import { evaluationWindow, type PurchaseDaysByCustomer } from '../evaluation/model-evaluation-window.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { trainSeasonalModel, dailyRepeatPurchases } from '../models/kinds/train-seasonal-model.js';
import { loadConfig } from '../config/config.js';
import { holdoutMetrics } from '../models/metrics/holdout-metrics.js';

const months = process.argv[2] ? JSON.parse(process.argv[2]) : undefined;
const cal = process.argv[3] ?? '2023-12-31';
const t0 = performance.now();
const h = generateSyntheticHistory({ customers: 20000, start: '2022-01-01', end: '2024-12-31', seed: 7, noise: { duplicateRate: 0, reorderRate: 0, lateRate: 0, invalidRate: 0, poisonRate: 0 }, ...(months ? { seasonality: { monthWeights: months } } : {}) });
const by = new Map<string, Map<number, number>>();
for (const p of h.truth.purchases) { let m = by.get(p.customerId); if (!m) by.set(p.customerId, m = new Map()); m.set(p.day, (m.get(p.day) ?? 0) + p.valueMinor); }
console.log('generated', ((performance.now() - t0) / 1000).toFixed(1), 's');
const cut = dayIndexOfDate(cal), end = cut + 365;
const w = evaluationWindow(by as PurchaseDaysByCustomer, cut, end, 7, 100);
const s = trainingSettingsFrom(loadConfig({}), 'x');
const plain = trainCustomerValueModel(w.inputs, s);
const t1 = performance.now();
const seasonal = await trainSeasonalModel(w.inputs, dailyRepeatPurchases(w.histories, cut), s);
console.log('seasonal fit', ((performance.now() - t1) / 1000).toFixed(1), 's');
const periods = (end - cut) / 7;
for (const [name, m] of [['bgnbd', plain], ['seasonal', seasonal]] as const) {
  const values = Float64Array.from(w.inputs, (x) => { const e = m.expectedOver(x, periods); return e.purchases * e.avgValue; });
  const r = holdoutMetrics(values, w.actualValue);
  console.log(name, 'value error', (100 * r.aggregateRelativeError).toFixed(1) + '%', 'spearman', r.spearman?.toFixed(3));
}
