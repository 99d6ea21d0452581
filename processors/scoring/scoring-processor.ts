/**
 * The scoring processor: features in, CLV scores (and segment changes) out. State: the
 * customer's last features and segment, so that a retrain or a decay sweep can re-score
 * everyone without re-reading purchases.
 */
import type { CustomerValueModel } from '../../core/customer-value-model.js';
import type { CustomerFeaturesEvent } from '../../core/events.js';
import { Topics } from '../../core/topics.js';
import type { KeyedProcessor, Output } from '../keyed-processor.js';
import { scoreCustomer, unscoredState, type CustomerScoreState, type ScoreResult, type ScoringSettings } from './customer-scorer.js';

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
      // Features of one customer arrive in the order they were derived, so the latest is the
      // best informed; only its as-of may lag (a restarted features processor's watermark, or
      // a late payment settling an old order after a decay sweep re-scored the customer as of
      // later): a score never goes back in time, so the sweep's decay is not undone and the
      // newest score is also the latest by event time.
      const asOfMs = Math.max(features.event_time, state?.features.event_time ?? 0, state?.asOfMs ?? 0);
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
