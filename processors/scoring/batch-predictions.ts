/**
 * Predictions of a batch model (CustomerValueModel.predictBatch: the LSTM) for many
 * customers at once: what the scoring processor does once per processor batch, and a re-score
 * (retrain, promote, rollback, decay sweep) once per page, so inference runs on one tensor
 * per batch instead of one per customer. Models without `predictBatch` are scored one by one
 * (customer-scorer.ts) and need nothing here.
 */
import type { DayIndexer } from '../../core/calendar.js';
import type { CustomerPrediction, CustomerValueModel, ScoringInput } from '../../core/customer-value-model.js';
import type { CustomerFeaturesEvent } from '../../core/events.js';
import { modelInputOf, type ScoringSettings } from './customer-scorer.js';

/** What a batch model reads of a features event as of `asOfMs`: the same model inputs as `predict` gets, the summary and the recent days. */
export function scoringInputOf(f: CustomerFeaturesEvent, asOfMs: number, periodDays: number, dayOf: DayIndexer, minorPerUnit: number): ScoringInput {
  return {
    input: modelInputOf(f, asOfMs, periodDays, dayOf, minorPerUnit),
    summary: {
      firstDay: dayOf(f.first_purchase_time),
      lastDay: dayOf(f.last_purchase_time),
      purchaseDays: f.purchase_days,
      repeatPurchaseDays: f.repeat_purchase_days,
      repeatValueMinor: f.repeat_value_minor,
      totalValueMinor: f.total_value_minor,
    },
    recentDays: (f.recent_purchase_days ?? []).map((d) => [d.day, d.value_minor] as const),
  };
}

/**
 * One prediction per item, in order, from one `predictBatch` call; null when the model scores
 * customer by customer (no `predictBatch`) or there is nothing to score.
 */
export async function batchPredictions(
  model: CustomerValueModel,
  items: ReadonlyArray<{ features: CustomerFeaturesEvent; asOfMs: number }>,
  settings: Pick<ScoringSettings, 'dayOf' | 'minorPerUnit'>,
): Promise<CustomerPrediction[] | null> {
  if (!model.predictBatch || items.length === 0) return null;
  const inputs = items.map(({ features, asOfMs }) => scoringInputOf(features, asOfMs, model.periodDays, settings.dayOf, settings.minorPerUnit));
  const predictions = await model.predictBatch(inputs);
  if (predictions.length !== items.length) throw new RangeError(`model ${model.version}: ${predictions.length} predictions for ${items.length} customers`);
  return predictions;
}
