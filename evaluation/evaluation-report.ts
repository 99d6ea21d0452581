/**
 * What `clv evaluate` writes: metrics.json (every model's holdout metrics and details, the
 * backtest and the selection) and predictions.csv (one row per customer with every model's
 * predicted holdout value; `predicted_value` is the headline model's: the champion when
 * selection ran).
 */
import { DEPLOYED_KIND } from './evaluated-models.js';
import { assignSegment } from '../core/segmentation.js';
import type { ModelEvaluation } from './model-evaluation-run.js';

/** The `models` section: BG/NBD's parameters, then each model's details and holdout metrics (or why it failed). */
export function modelsJson(r: ModelEvaluation): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = r.bgnbd?.metricsJson() ?? {};
  for (const [m, d] of r.details) out[m] = { ...out[m], ...d, ...(r.metrics.has(m) ? { holdout: r.metrics.get(m) } : {}) };
  return out;
}

/** metrics.json: the report of one evaluation. */
export function metricsJson(r: ModelEvaluation, run: Record<string, unknown>) {
  return {
    ...run,
    customers: r.holdout.customerIds.length,
    models: modelsJson(r),
    champion: r.champion,
    /** The kind the champion is scored with in the stream (`training.model.kind` of the demo's report). */
    champion_kind: r.champion === null ? null : DEPLOYED_KIND[r.champion],
    selection: r.selection === null ? null : { reason: r.selection.reason, table: r.selection.table },
    backtest: r.backtest,
    headline: r.headline,
    holdout: r.metrics.get(r.headline)!,
  };
}

export function predictionsCsv(r: ModelEvaluation, minorPerUnit: number, periodDays: number): string {
  const headline = r.forecasts.get(r.headline)!.values;
  const perModel = r.models.map((m) => r.forecasts.get(m)!.values);
  const lines = [
    'customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,expected_avg_value,predicted_value,actual_purchases,actual_value,segment,' +
      r.models.map((m) => `predicted_value_${m}`).join(','),
  ];
  const b = r.bgnbdForecast;
  const bgnbd = r.bgnbd;
  const h = r.holdout;
  h.customerIds.forEach((id, i) => {
    const x = h.inputs[i];
    let segment = '';
    if (bgnbd !== null) {
      const score = bgnbd.predict(x);
      segment = assignSegment({ clvMinor: Math.round(score.clv * minorPerUnit), pAlive: score.pAlive, purchaseDays: x.frequency + 1, ageDays: x.T * periodDays }, bgnbd.thresholds);
    }
    const bg = (v: Float64Array | undefined) => (v === undefined ? '' : round(v[i]));
    lines.push([
      csvField(id), x.frequency, round(x.recency), round(x.T), round(x.monetaryValue), bg(b?.pAlive), bg(b?.expectedPurchases),
      bg(b?.expectedAvgValue), round(headline[i]), h.actualPurchaseDays[i], round(h.actualValue[i]), segment,
      ...perModel.map((v) => round(v[i])),
    ].join(','));
  });
  return lines.join('\n') + '\n';
}

const round = (v: number) => Number(v.toFixed(6));
const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
