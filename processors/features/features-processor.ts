/**
 * The features processor: purchases in, one CustomerFeaturesEvent per changed customer per
 * batch out. State: the customer's purchase history (the feature store).
 */
import type { DayIndexer } from '../../core/calendar.js';
import type { PurchaseEvent } from '../../core/events.js';
import { ErrorCodes } from '../../core/errors.js';
import { Topics } from '../../core/topics.js';
import type { KeyedProcessor, Output } from '../keyed-processor.js';
import { applyPurchase, featuresOf, latestEventTime, noActiveOrdersFeatures, type CustomerPurchaseHistory } from './customer-purchase-history.js';

export function featuresProcessor(dayOf: DayIndexer): KeyedProcessor<CustomerPurchaseHistory, PurchaseEvent> {
  return {
    name: 'clv-features',
    inputTopics: [Topics.purchases],
    accept(_topic, value) {
      const p = value as PurchaseEvent;
      if (p.revision < 1 || p.net_amount_minor < 0) {
        return { violation: { code: ErrorCodes.INVALID_EVENT, reason: `purchase ${p.event_id}: bad revision or negative net amount` } };
      }
      return { event: p };
    },
    eventTime: (p) => p.event_time,
    stateKey: (p) => p.customer_id,
    apply(state, purchase) {
      return { state: applyPurchase(state, purchase, dayOf).history, outputs: [] };
    },
    afterBatch(changed) {
      const outputs: Output[] = [];
      for (const [customerId, history] of changed) {
        // As of the customer's own latest event, not the batch's watermark: the features (and
        // the score drawn from them) must not depend on which batch the event fell into. Time
        // moves on for the quiet customers through the decay sweep, in data time.
        const eventId = featuresEventId(history);
        // A customer whose every order was voided gets features with no purchase days: their
        // score is withdrawn (scoring), in whichever order the order and its refund arrived.
        const features = featuresOf(history, latestEventTime(history), eventId) ?? noActiveOrdersFeatures(history, eventId);
        outputs.push({ topic: Topics.features, key: customerId, value: features });
      }
      return outputs;
    },
  };
}

/**
 * Names a features event by the history it was derived from (orders and their revisions only
 * grow), so a replayed batch re-emits the same id, and concurrent batches share no state.
 */
function featuresEventId(history: CustomerPurchaseHistory): string {
  let revisions = history.compacted?.revisions ?? 0;
  for (const o of history.orders) revisions += o.revision;
  // Zero-padded: the id is the customer's features version — `customer_features_latest` picks
  // the greatest as text (adapters/clickhouse/migrations/015-latest-by-version.ts), so a later
  // snapshot (more orders or revisions) must sort after an earlier one (2.10 after 2.9). Orders
  // and revisions only grow, so it grows with every features event, even one whose as-of
  // moved back (the latest active order voided).
  return `${history.customerId}@${pad((history.compacted?.orders ?? 0) + history.orders.length)}.${pad(revisions)}`;
}

const pad = (n: number) => String(n).padStart(12, '0');
