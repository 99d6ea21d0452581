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

test('features carry the purchase days of the last 182 days up to the last purchase, oldest first: the LSTM\'s bounded history', () => {
  let state: CustomerPurchaseHistory | undefined;
  // Orders 300, 200, 100, 20 and 5 days before day 400, one on day 400 itself.
  for (const [n, back] of [[1, 300], [2, 200], [3, 100], [4, 20], [5, 5], [6, 0]]) {
    state = processor.apply(state, { ...purchase(1, 100 * n), event_id: `O${n}:1`, order_id: `O${n}`, event_time: day(400 - back) }, { watermarkMs: day(400) }).state;
  }
  const f = processor.afterBatch!(new Map([['C1', state!]]), { watermarkMs: day(400) })[0].value as CustomerFeaturesEvent;
  const d0 = Math.floor(day(400) / 86_400_000);
  assert.deepEqual(f.recent_purchase_days, [
    { day: d0 - 100, value_minor: 300 }, { day: d0 - 20, value_minor: 400 }, { day: d0 - 5, value_minor: 500 }, { day: d0, value_minor: 600 },
  ]);
  assert.equal(f.purchase_days, 6, 'the summary still counts every day');
});
