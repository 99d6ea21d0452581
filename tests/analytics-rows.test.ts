import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deadLetterRow, lineItemRows, orderRow, rowsOfEvent, tableOfTopic } from '../consumers/clickhouse-sink/analytics-rows.js';
import { analyticsColumns, analyticsRowViolation } from '../core/ports/analytics-store.js';
import { Topics } from '../core/topics.js';
import { sinkEvents } from './support/sink-events.js';

const events = sinkEvents(3);

test('analytics rows: every topic of core/topics.ts has a table', () => {
  assert.deepEqual(Object.values(Topics).filter((t) => !(t in tableOfTopic)), []);
  assert.deepEqual(rowsOfEvent('some.other.topic', {}), []);
});

test('analytics rows: an order gives its row and one row per line item, numbered in event order', () => {
  const order = events.orders[1];
  assert.deepEqual(orderRow(order), {
    event_id: order.event_id, event_time: order.event_time, type: 'ORDER_PLACED', customer_id: order.customer_id, order_id: order.order_id,
    amount_minor: order.amount_minor, currency: 'USD', line_item_count: 2,
  });
  assert.deepEqual(lineItemRows(order).map((r) => [r.event_id, r.line_no, r.sku, r.quantity, r.unit_price_minor]), [
    [order.event_id, 0, 'sku-0', 1, 999], [order.event_id, 1, "gift'wrap", 1, 1],
  ]);
  assert.deepEqual(rowsOfEvent(Topics.orders, order).map((r) => r.table), ['orders', 'order_line_items', 'order_line_items']);
});

test('analytics rows: a dead letter keeps its payload bytes exactly, as hex', () => {
  const dl = { ...events.deadLetters[0], payload: Buffer.from([0, 0xff, 0x27, 0x5c, 0x0a]) };
  const row = deadLetterRow(dl);
  assert.deepEqual(Buffer.from(row.payload_hex, 'hex'), dl.payload);
  assert.equal('payload' in row, false);
});

test('analytics rows: stream outputs map field for field, and only the table\'s columns', () => {
  const withExtra = { ...events.scores[0], extra_field: 'dropped' };
  const [{ table, row }] = rowsOfEvent(Topics.scores, withExtra);
  assert.equal(table, 'clv_scores');
  assert.deepEqual(Object.keys(row).sort(), Object.keys(analyticsColumns.clv_scores).sort());
  // Nested lists stay out of the rows: purchase lines are in order_line_items, the category summary is derived.
  const { line_items: _lines, ...purchase } = events.purchases[0];
  assert.deepEqual(rowsOfEvent(Topics.purchases, events.purchases[0])[0].row, purchase);
  assert.deepEqual(rowsOfEvent(Topics.segmentChanges, events.segmentChanges[0])[0].row, events.segmentChanges[0]);
  const { category_summary: _summary, ...features } = events.features[0];
  assert.deepEqual(rowsOfEvent(Topics.features, events.features[0])[0].row, features);
  assert.deepEqual(rowsOfEvent(Topics.payments, events.payments[0])[0].row, events.payments[0]);
});

test('analytics rows: every mapped row of the sample events satisfies its table schema', () => {
  for (const [topic, messages] of events.byTopic) {
    for (const m of messages) for (const { table, row } of rowsOfEvent(topic, m.value)) assert.equal(analyticsRowViolation(table, row), null, `${topic} → ${table}`);
  }
});
