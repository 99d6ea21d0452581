/**
 * The scoring processor: features in, CLV scores (and segment changes) out. State: the
 * customer's last features and segment, so that a retrain or a decay sweep can re-score
 * everyone without re-reading purchases.
 */
import type { CustomerValueModel } from '../../core/customer-value-model.js';
import type { CustomerFeaturesEvent } from '../../core/events.js';
import { Topics } from '../../core/topics.js';
import type { KeyedProcessor, Output } from '../keyed-processor.js';
import { scoreCustomer, unscoredState, withdrawScore, type CustomerScoreState, type ScoreResult, type ScoringSettings } from './customer-scorer.js';

export interface ModelHolder {
  /** The model to score with (the pipeline's champion, or its RFM rules before one); null: keep features only. */
  current(): CustomerValueModel | null;
}

export function scoringProcessor(models: ModelHolder, settings: ScoringSettings): KeyedProcessor<CustomerScoreState, CustomerFeaturesEvent> {
  return {
    name: 'clv-scoring',
    inputTopics: [Topics.features],
    accept: (_topic, value) => ({ event: value as CustomerFeaturesEvent }),
    eventTime: (f) => f.event_time,
    stateKey: (f) => f.customer_id,
    apply(state, features) {
      // Every order voided: no score (withdrawn if one was published), with or without a model.
      if (features.purchase_days === 0) {
        const { state: next, score } = withdrawScore(state, features);
        return { state: next, outputs: score ? [{ topic: Topics.scores, key: score.customer_id, value: score }] : [] };
      }
      // Features of one customer arrive in the order they were derived, so the latest is the
      // best informed, as of the customer's latest active order. That as-of moves back when
      // the latest active order is voided, and the score with it: the same score as when the
      // order arrived voided (the views pick the latest score by its sequence, not its as-of).
      // What never moves back is a sweep's time: a late payment settling an old order after a
      // decay sweep re-scored the customer as of later keeps the sweep's as-of, so the decay
      // is not undone.
      const asOfMs = Math.max(features.event_time, state?.sweptToMs ?? -Infinity);
      const model = models.current();
      if (model === null) {
        // No model yet: keep the features so the first training can score this customer.
        return { state: unscoredState(features, state), outputs: [] };
      }
      const result = scoreCustomer(state, features, asOfMs, model, settings);
      return { state: result.state, outputs: scoreOutputs(result) };
    },
  };
}

export function scoreOutputs(result: ScoreResult): Output[] {
  const outputs: Output[] = [{ topic: Topics.scores, key: result.score.customer_id, value: result.score }];
  if (result.change) outputs.push({ topic: Topics.segmentChanges, key: result.change.customer_id, value: result.change });
  return outputs;
}
