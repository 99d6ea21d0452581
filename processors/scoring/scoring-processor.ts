/**
 * The scoring processor: features in, CLV scores (and segment changes) out. State: the
 * customer's last features and segment, so that a retrain or a decay sweep can re-score
 * everyone without re-reading purchases.
 */
import type { CustomerPrediction, CustomerValueModel } from '../../core/customer-value-model.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { CustomerFeaturesEvent } from '../../core/events.js';
import { Topics } from '../../core/topics.js';
import type { ApplyEvent, KeyedProcessor, Output } from '../keyed-processor.js';
import { batchPredictions } from './batch-predictions.js';
import { scoreCustomer, unscoredState, withdrawScore, type CustomerScoreState, type ScoreResult, type ScoringSettings } from './customer-scorer.js';

export interface ModelHolder {
  /** The model to score with (the pipeline's champion, or its RFM rules before one); null: keep features only. */
  current(): CustomerValueModel | null;
}

export function scoringProcessor(models: ModelHolder, settings: ScoringSettings): KeyedProcessor<CustomerScoreState, CustomerFeaturesEvent> {
  /** The one step of scoring, with the model and (for a batch model) the batch's predictions by features id and as-of. */
  const step = (model: CustomerValueModel | null, predictions: ReadonlyMap<string, CustomerPrediction> | null, state: CustomerScoreState | undefined, features: CustomerFeaturesEvent) => {
    // Every order voided: no score (withdrawn if one was published), with or without a model.
    if (features.purchase_days === 0) {
      const { state: next, score } = withdrawScore(state, features);
      return { state: next, outputs: score ? [{ topic: Topics.scores, key: score.customer_id, value: score }] : [] };
    }
    const asOfMs = scoreAsOf(state, features);
    if (model === null) {
      // No model yet: keep the features so the first training can score this customer.
      return { state: unscoredState(features, state), outputs: [] };
    }
    let prediction: CustomerPrediction | undefined;
    if (predictions !== null) {
      prediction = predictions.get(predictionKey(features, asOfMs));
      // Cannot happen while prepareBatch follows apply's as-of rule; refused rather than guessed.
      if (prediction === undefined) throw new ClvError(ErrorCodes.NO_MODEL, `model ${model.version} made no prediction for ${features.event_id} as of ${asOfMs}`);
    }
    const result = scoreCustomer(state, features, asOfMs, model, settings, prediction);
    return { state: result.state, outputs: scoreOutputs(result) };
  };
  return {
    name: 'clv-scoring',
    inputTopics: [Topics.features],
    accept: (_topic, value) => ({ event: value as CustomerFeaturesEvent }),
    eventTime: (f) => f.event_time,
    stateKey: (f) => f.customer_id,
    apply(state, features) {
      return step(models.current(), null, state, features);
    },
    /**
     * A batch model (the LSTM) predicts every event of the batch in one call before any is
     * applied: the as-of of each is worked out as apply will (each event sees the state the
     * previous one of its customer left), and the batch is applied with that same model even
     * if the champion changes meanwhile.
     */
    async prepareBatch(events, states) {
      const model = models.current();
      if (model === null || !model.predictBatch) return null;
      const last = new Map<string, Pick<CustomerScoreState, 'sweptToMs'>>();
      const items: Array<{ features: CustomerFeaturesEvent; asOfMs: number }> = [];
      for (const { key, event } of events) {
        const previous = last.get(key) ?? states.get(key);
        // As step will: a withdrawal needs no prediction and forgets the sweeps.
        if (event.purchase_days === 0) {
          last.set(key, { sweptToMs: null });
          continue;
        }
        items.push({ features: event, asOfMs: scoreAsOf(previous, event) });
        last.set(key, { sweptToMs: previous?.sweptToMs ?? null });
      }
      const predicted = (await batchPredictions(model, items, settings)) ?? [];
      const byKey = new Map<string, CustomerPrediction>();
      for (let i = 0; i < items.length; i++) byKey.set(predictionKey(items[i].features, items[i].asOfMs), predicted[i]);
      const apply: ApplyEvent<CustomerScoreState, CustomerFeaturesEvent> = (state, features) => step(model, byKey, state, features);
      return apply;
    },
  };
}

/**
 * The as-of of a score. Features of one customer arrive in the order they were derived, so
 * the latest is the best informed, as of the customer's latest active order. That as-of moves
 * back when the latest active order is voided, and the score with it: the same score as when
 * the order arrived voided (the views pick the latest score by its sequence, not its as-of).
 * What never moves back is a sweep's time: a late payment settling an old order after a decay
 * sweep re-scored the customer as of later keeps the sweep's as-of, so the decay is not undone.
 */
function scoreAsOf(state: Pick<CustomerScoreState, 'sweptToMs'> | undefined, features: CustomerFeaturesEvent): number {
  return Math.max(features.event_time, state?.sweptToMs ?? -Infinity);
}

const predictionKey = (f: CustomerFeaturesEvent, asOfMs: number) => `${f.event_id}@${asOfMs}`;

export function scoreOutputs(result: ScoreResult): Output[] {
  const outputs: Output[] = [{ topic: Topics.scores, key: result.score.customer_id, value: result.score }];
  if (result.change) outputs.push({ topic: Topics.segmentChanges, key: result.change.customer_id, value: result.change });
  return outputs;
}
