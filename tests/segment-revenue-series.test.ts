import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { Segments, type Segment } from '../core/segmentation.js';
import { weekdayOf } from '../models/forecast/revenue-series.js';
import type { CustomerPurchaseHistory, PurchasedOrder } from '../processors/features/customer-purchase-history.js';
import { emptySegmentRevenueTally, segmentRevenueSeries, tallySegmentRevenue } from '../forecasting/segment-revenue-series.js';

const d = dayIndexOfDate;
const order = (id: string, day: number, net: number, status: PurchasedOrder['status'] = 'ACTIVE'): PurchasedOrder =>
  ({ orderId: id, day, time: day * 86_400_000, revision: 1, status, net, categories: [], lines: [] });
const history = (customerId: string, orders: PurchasedOrder[]): CustomerPurchaseHistory => ({ customerId, currency: 'USD', orders, compacted: null });

test('each customer\'s orders go to the segment the customer is in now; unscored customers to unscored', () => {
  const tally = emptySegmentRevenueTally(d('2024-03-01'), d('2024-03-03'));
  tallySegmentRevenue(tally, history('a', [order('a1', d('2024-03-01'), 500), order('a2', d('2024-03-03'), 200)]), 'high_value');
  tallySegmentRevenue(tally, history('b', [order('b1', d('2024-03-01'), 70)]), 'high_value');
  tallySegmentRevenue(tally, history('c', [order('c1', d('2024-03-02'), 30)]), 'at_risk');
  tallySegmentRevenue(tally, history('u', [order('u1', d('2024-03-02'), 9)]), null);
  const s = segmentRevenueSeries(tally);
  assert.deepEqual(s.segments.high_value, { granularity: 'day', startDay: d('2024-03-01'), values: [570, 0, 200] });
  assert.deepEqual(s.segments.at_risk.values, [0, 30, 0]);
  assert.deepEqual(s.segments.lost.values, [0, 0, 0]);
  assert.deepEqual(s.unscored.values, [0, 9, 0]);
  assert.deepEqual(s.total.values, [570, 39, 200]);
  assert.deepEqual(s.customers, { total: 4, unscored: 1, new: 0, high_value: 2, medium_value: 0, low_value: 0, at_risk: 1, lost: 0 });
});

test('customers count by their orders up to countToDay; revenue counts over the whole window', () => {
  const tally = emptySegmentRevenueTally(d('2024-03-01'), d('2024-03-04'), d('2024-03-02'));
  tallySegmentRevenue(tally, history('early', [order('e1', d('2024-03-02'), 10), order('e2', d('2024-03-04'), 5)]), 'new');
  tallySegmentRevenue(tally, history('late', [order('l1', d('2024-03-03'), 7)]), 'new');
  const s = segmentRevenueSeries(tally);
  assert.deepEqual(s.segments.new.values, [0, 10, 7, 5]);
  assert.equal(s.customers.new, 1, 'the customer whose first order is after countToDay is not counted');
});

test('voided orders and orders outside the window count for nothing', () => {
  const tally = emptySegmentRevenueTally(d('2024-03-01'), d('2024-03-02'));
  tallySegmentRevenue(tally, history('a', [order('a1', d('2024-03-01'), 500, 'VOIDED'), order('a2', d('2024-02-29'), 1), order('a3', d('2024-03-03'), 2)]), 'lost');
  const s = segmentRevenueSeries(tally);
  assert.deepEqual(s.total.values, [0, 0]);
  assert.equal(s.customers.lost, 0, 'a customer without revenue in the window is not counted');
});

test('per-segment series sum to the total, day by day and week by week', () => {
  const from = d('2024-01-03'); // a Wednesday: the weekly series start at the next Monday
  const tally = emptySegmentRevenueTally(from, from + 119);
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const segments: (Segment | null)[] = [...Segments, null];
  for (let c = 0; c < 200; c++) {
    const orders = Array.from({ length: 1 + (next() % 6) }, (_, k) => order(`${c}-${k}`, from - 5 + (next() % 130), 100 + (next() % 100_000)));
    tallySegmentRevenue(tally, history(`c${c}`, orders), segments[c % segments.length]);
  }
  for (const granularity of ['day', 'week'] as const) {
    const s = segmentRevenueSeries(tally, granularity);
    const parts = [...Segments.map((x) => s.segments[x]), s.unscored];
    for (const p of parts) assert.deepEqual([p.granularity, p.startDay, p.values.length], [s.total.granularity, s.total.startDay, s.total.values.length]);
    s.total.values.forEach((t, i) => assert.equal(parts.reduce((sum, p) => sum + p.values[i], 0), t, `${granularity} ${i}`));
    assert.ok(s.total.values.every((v) => v > 0), 'the fixture spreads revenue over every period');
    if (granularity === 'week') {
      assert.equal(weekdayOf(s.total.startDay), 1, 'weeks start on Monday');
      assert.equal(s.total.values.length, 16, 'only the whole weeks of 120 days from a Wednesday');
    }
  }
});
