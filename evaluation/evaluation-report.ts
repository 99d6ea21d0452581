/**
 * What `clv evaluate` writes: metrics.json's `models` section and predictions.csv (one row
 * per customer with every model's predicted holdout value).
 */
import { assignSegment } from '../core/segmentation.js';
import type { ModelEvaluation } from './model-evaluation-run.js';

export /** BG/NBD's parameters as before, each reported model's holdout metrics and details. */
function modelsJson(r: ModelEvaluation): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = r.bgnbd.metricsJson();
  for (const m of r.models) out[m] = { ...out[m], ...r.details.get(m), holdout: r.metrics.get(m) };
  return out;
}


export function predictionsCsv(r: ModelEvaluation, minorPerUnit: number, periodDays: number): string {
  const headline = r.forecasts.get(r.models[r.models.length - 1])!.values;
  const perModel = r.models.map((m) => r.forecasts.get(m)!.values);
  const lines = [
    'customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,expected_avg_value,predicted_value,actual_purchases,actual_value,segment,' +
      r.models.map((m) => `predicted_value_${m}`).join(','),
  ];
  const b = r.bgnbdForecast;
  const h = r.holdout;
  h.customerIds.forEach((id, i) => {
    const x = h.inputs[i];
    const score = r.bgnbd.predict(x);
    const segment = assignSegment(
      { clvMinor: Math.round(score.clv * minorPerUnit), pAlive: score.pAlive, purchaseDays: x.frequency + 1, ageDays: x.T * periodDays },
      r.bgnbd.thresholds,
    );
    lines.push([
      csvField(id), x.frequency, round(x.recency), round(x.T), round(x.monetaryValue), round(b.pAlive[i]), round(b.expectedPurchases[i]),
      round(b.expectedAvgValue[i]), round(headline[i]), h.actualPurchaseDays[i], round(h.actualValue[i]), segment,
      ...perModel.map((v) => round(v[i])),
    ].join(','));
  });
  return lines.join('\n') + '\n';
}

const round = (v: number) => Number(v.toFixed(6));
const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
