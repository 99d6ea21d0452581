/**
 * The features processor (processors/features/features-processor.ts): one features event per
 * changed customer per batch, named by the history it came from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexer } from '../core/calendar.js';
import type { CustomerFeaturesEvent, PurchaseEvent } from '../core/events.js';
import { featuresProcessor } from '../processors/features/features-processor.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { day } from './support/commerce-events.js';

const processor = featuresProcessor(dayIndexer('UTC'));

const purchase = (revision: number, net: number): PurchaseEvent => ({
  event_id: `O1:${revision}`, event_time: day(10), customer_id: 'C1', order_id: 'O1', revision, status: 'ACTIVE',
  net_amount_minor: net, currency: 'USD', categories: [], line_items: [],
});

function featuresAfter(revisions: number[]): CustomerFeaturesEvent {
  let state: CustomerPurchaseHistory | undefined;
  for (const r of revisions) state = processor.apply(state, purchase(r, 1000 - r), { watermarkMs: day(10) }).state;
  const outputs = processor.afterBatch!(new Map([['C1', state!]]), { watermarkMs: day(30) });
  return outputs[0].value as CustomerFeaturesEvent;
}

test('a later snapshot of a customer sorts after an earlier one as text (the analyst views break event-time ties on the id)', () => {
  const earlier = featuresAfter([9]);
  const later = featuresAfter([9, 10]);
  assert.equal(earlier.event_time, later.event_time, 'same as-of: the tie the id must break');
  assert.ok(earlier.event_id < later.event_id, `${earlier.event_id} before ${later.event_id}`);
});

test('features are as of the customer\'s latest purchase, not the batch\'s watermark', () => {
  assert.equal(featuresAfter([1]).event_time, day(10));
});
