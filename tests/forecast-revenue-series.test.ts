import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { PurchaseEvent } from '../core/events.js';
import {
  revenueSeriesFromDays, revenueSeriesFromPurchases, seriesEndDay, seriesPoints, sliceSeries, weekdayOf, weeklySeries,
} from '../models/forecast/revenue-series.js';

const d = dayIndexOfDate;

function purchase(order: string, revision: number, at: string, net: number, status: PurchaseEvent['status'] = 'ACTIVE', currency = 'USD'): PurchaseEvent {
  return {
    event_id: `${order}:${revision}`, event_time: Date.parse(at), customer_id: `c-${order}`, order_id: order, revision,
    status, net_amount_minor: net, currency, categories: [], line_items: [],
  };
}

test('daily series sums entries per day and fills days without revenue with 0', () => {
  const s = revenueSeriesFromDays([
    { day: d('2024-03-01'), valueMinor: 500 }, { day: d('2024-03-03'), valueMinor: 200 }, { day: d('2024-03-01'), valueMinor: 250 },
  ]);
  assert.deepEqual(s, { granularity: 'day', startDay: d('2024-03-01'), values: [750, 0, 200] });
  assert.equal(seriesEndDay(s), d('2024-03-03'));
});

test('an explicit range keeps leading and trailing empty days and drops entries outside it', () => {
  const s = revenueSeriesFromDays([{ day: d('2024-03-02'), valueMinor: 100 }, { day: d('2024-03-09'), valueMinor: 7 }],
    { fromDay: d('2024-03-01'), toDay: d('2024-03-04') });
  assert.deepEqual(s.values, [0, 100, 0, 0]);
});

test('weekly series holds whole ISO weeks (Monday–Sunday) only, each the sum of its days', () => {
  // 2024-03-01 is a Friday: the first whole week starts Monday 2024-03-04; 2024-03-20 is a Wednesday.
  const entries = [];
  for (let day = d('2024-03-01'); day <= d('2024-03-20'); day++) entries.push({ day, valueMinor: 10 });
  const s = revenueSeriesFromDays(entries, { granularity: 'week' });
  assert.equal(weekdayOf(s.startDay), 1);
  assert.equal(s.startDay, d('2024-03-04'));
  assert.deepEqual(s.values, [70, 70]);
  assert.deepEqual(weeklySeries(s), s);
});

test('purchases: the latest revision of an order wins, VOIDED orders count 0, a redelivered revision counts once', () => {
  const s = revenueSeriesFromPurchases([
    purchase('o1', 2, '2024-05-01T10:00:00Z', 800), // partial refund: revision 2 supersedes revision 1
    purchase('o1', 1, '2024-05-01T10:00:00Z', 1000),
    purchase('o2', 1, '2024-05-01T11:00:00Z', 300),
    purchase('o2', 1, '2024-05-01T11:00:00Z', 300),
    purchase('o3', 1, '2024-05-02T09:00:00Z', 999),
    purchase('o3', 2, '2024-05-02T09:00:00Z', 0, 'VOIDED'),
    purchase('o4', 1, '2024-05-03T09:00:00Z', 50),
  ], { timeZone: 'UTC' });
  assert.deepEqual(s.values, [1100, 0, 50]);
});

test('purchases are dated by order time in the shop\'s time zone', () => {
  const late = [purchase('o1', 1, '2024-05-01T20:00:00Z', 100), purchase('o2', 1, '2024-05-03T01:00:00Z', 1)];
  assert.deepEqual(revenueSeriesFromPurchases(late, { timeZone: 'UTC' }).startDay, d('2024-05-01'));
  assert.deepEqual(revenueSeriesFromPurchases(late, { timeZone: 'Asia/Ho_Chi_Minh' }).startDay, d('2024-05-02'));
});

test('purchases in a second currency fail with UNSUPPORTED_CURRENCY', () => {
  assert.throws(() => revenueSeriesFromPurchases([purchase('o1', 1, '2024-05-01T10:00:00Z', 1), purchase('o2', 1, '2024-05-01T10:00:00Z', 1, 'ACTIVE', 'VND')], { timeZone: 'UTC' }),
    (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.UNSUPPORTED_CURRENCY && /o2 is in VND/.test(e.message));
});

test('no revenue at all fails with INSUFFICIENT_DATA', () => {
  assert.throws(() => revenueSeriesFromDays([]), (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INSUFFICIENT_DATA);
  assert.throws(() => revenueSeriesFromDays([{ day: d('2024-03-06'), valueMinor: 5 }], { granularity: 'week' }),
    (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INSUFFICIENT_DATA);
});

test('sliceSeries keeps the periods that start in the range; seriesPoints pairs each with its start day', () => {
  const s = { granularity: 'week' as const, startDay: d('2024-03-04'), values: [1, 2, 3, 4] };
  const cut = sliceSeries(s, d('2024-03-10'), d('2024-03-25'));
  assert.deepEqual(cut, { granularity: 'week', startDay: d('2024-03-11'), values: [2, 3, 4] });
  assert.deepEqual(seriesPoints(cut).map((p) => p.day - d('2024-03-11')), [0, 7, 14]);
  assert.deepEqual(sliceSeries(s, d('2025-01-01'), d('2025-02-01')).values, []);
});
