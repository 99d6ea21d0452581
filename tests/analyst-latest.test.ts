import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latestFeaturesRows, latestScoreRows } from '../core/analyst-latest.js';

test('features: the greatest version (event id) wins even with an older as-of; a customer with no purchase days has no row', () => {
  const rows = [
    { customer_id: 'A', event_id: 'A@000000000002.000000000002', event_time: 300, purchase_days: 2 },
    { customer_id: 'A', event_id: 'A@000000000002.000000000003', event_time: 100, purchase_days: 1 },
    { customer_id: 'B', event_id: 'B@000000000001.000000000002', event_time: 100, purchase_days: 0 },
    { customer_id: 'B', event_id: 'B@000000000001.000000000001', event_time: 100, purchase_days: 1 },
  ];
  assert.deepEqual([...latestFeaturesRows(rows)].map(([id, r]) => [id, r.event_id]), [['A', 'A@000000000002.000000000003']]);
  assert.deepEqual([...latestFeaturesRows([...rows].reverse())].map(([id, r]) => [id, r.event_id]), [['A', 'A@000000000002.000000000003']], 'whatever the row order');
});

test('scores: the greatest sequence wins, then as-of, then id (rows from before sequences carry 0); a withdrawn score hides the customer', () => {
  const rows = [
    { customer_id: 'A', event_id: 'a1', event_time: 300, segment: 'high_value', sequence: 1 },
    { customer_id: 'A', event_id: 'a2', event_time: 100, segment: 'low_value', sequence: 2 },
    { customer_id: 'B', event_id: 'b1', event_time: 100, segment: 'new', sequence: 0 },
    { customer_id: 'B', event_id: 'b2', event_time: 200, segment: 'lost', sequence: 0 },
    { customer_id: 'C', event_id: 'c1', event_time: 100, segment: 'new', sequence: 1 },
    { customer_id: 'C', event_id: 'c@withdrawn', event_time: 100, segment: '', sequence: 2 },
  ];
  assert.deepEqual([...latestScoreRows(rows)].map(([id, r]) => [id, r.event_id]), [['A', 'a2'], ['B', 'b2']]);
});
