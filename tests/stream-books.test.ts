/** The stream side as books (reconciliation/stream-books.ts): what the pipeline accepted, one capture per reference, refunds one by one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderRow } from '../consumers/clickhouse-sink/analytics-rows.js';
import { streamBooks } from '../reconciliation/stream-books.js';
import { payment, placed } from './support/commerce-events.js';

const rules = { currency: 'USD', maxFutureSkewMs: 0, now: () => Date.UTC(2030, 0, 1) };
const T = Date.UTC(2024, 2, 5);

test('one capture per reference, the earliest; refunds in time order; failures ignored; what the pipeline rejects counted', () => {
  const first = payment('PAYMENT_CAPTURED', 'O1', 1000, T + 5);
  const books = streamBooks([
    { ...first, event_id: 'later', event_time: T + 60_000 }, first,
    payment('PAYMENT_REFUNDED', 'O1', 300, T + 2000, 'b'), payment('PAYMENT_REFUNDED', 'O1', 200, T + 1000, 'a'),
    payment('PAYMENT_FAILED', 'O2', 1000, T),
    { ...payment('PAYMENT_CAPTURED', 'O3', 1000, T), currency: 'EUR' }, { ...payment('PAYMENT_CAPTURED', 'O4', 1000, Date.UTC(2031, 0, 1)) },
  ], [], rules);
  assert.deepEqual([...books.captureByRef.keys()], ['O1-pay']);
  assert.equal(books.captureByRef.get('O1-pay')!.event_id, first.event_id);
  assert.deepEqual(books.refundsByRef.get('O1-pay')!.map((r) => r.amount_minor), [200, 300]);
  assert.equal(books.ignored, 2, 'another currency, a time in the future');
});

test('an order counts at its latest placed amount; cancellations and rejected placements do not', () => {
  const books = streamBooks([], [
    orderRow(placed('O1', 1000, T)), orderRow({ ...placed('O1', 1200, T + 1000), event_id: 'O1-again' }),
    orderRow({ ...placed('O2', 500, T), type: 'ORDER_CANCELLED' }), orderRow({ ...placed('O3', -5, T) }), orderRow({ ...placed('O4', 700, T), customer_id: '' }),
  ], rules);
  assert.deepEqual([...books.orderAmount], [['O1', { amountMinor: 1200, currency: 'USD' }]]);
  assert.equal(books.ignored, 2);
});
