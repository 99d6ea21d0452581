/**
 * The purchases processor: orders + payments in, purchases out. State: one OrderLedger per
 * order, keyed `compositeKey(customer_id, order_id)` (core/composite-key.ts: the parts escaped,
 * so no two customers' orders share a key) so it stays on the customer's partition.
 */
import { compositeKey } from '../../core/composite-key.js';
import { validateOrderEvent, validatePaymentEvent, type ValidationRules } from '../../core/event-validation.js';
import type { OrderEvent, PaymentEvent } from '../../core/events.js';
import { Topics } from '../../core/topics.js';
import type { KeyedProcessor } from '../keyed-processor.js';
import { applyOrderEvent, applyPaymentEvent, emptyLedger, type OrderLedger } from './purchase-joiner.js';

type CommerceEvent = { topic: typeof Topics.orders; event: OrderEvent } | { topic: typeof Topics.payments; event: PaymentEvent };

export function purchasesProcessor(rules: ValidationRules): KeyedProcessor<OrderLedger, CommerceEvent> {
  return {
    name: 'clv-purchases',
    inputTopics: [Topics.orders, Topics.payments],
    accept(topic, value) {
      if (topic === Topics.orders) {
        const event = value as OrderEvent;
        const violation = validateOrderEvent(event, rules);
        return violation ? { violation } : { event: { topic, event } };
      }
      const event = value as PaymentEvent;
      const violation = validatePaymentEvent(event, rules);
      return violation ? { violation } : { event: { topic: Topics.payments, event } };
    },
    eventTime: (e) => e.event.event_time,
    stateKey: (e) => compositeKey(e.event.customer_id, e.event.order_id),
    apply(state, e) {
      const ledger = state ?? emptyLedger(e.event.customer_id, e.event.order_id, e.event.currency);
      const { ledger: next, purchase } = e.topic === Topics.orders ? applyOrderEvent(ledger, e.event) : applyPaymentEvent(ledger, e.event);
      return {
        state: next,
        outputs: purchase ? [{ topic: Topics.purchases, key: purchase.customer_id, value: purchase }] : [],
      };
    },
  };
}
