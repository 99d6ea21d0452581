import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { monthlyAccuracy } from '../models/metrics/forecast-accuracy.js';
import type { PeriodValue } from '../models/forecast/revenue-series.js';

const d = dayIndexOfDate;
const daily = (from: string, values: number[]): PeriodValue[] => values.map((value, i) => ({ day: d(from) + i, value }));

test('a perfect forecast has monthly MAPE 0', () => {
  const actual = daily('2024-01-01', Array.from({ length: 60 }, (_, i) => 100 + i));
  const acc = monthlyAccuracy(actual, actual);
  assert.equal(acc.mape, 0);
  assert.equal(acc.totalRelativeError, 0);
  assert.deepEqual(acc.months.map((m) => [m.month, m.days]), [['2024-01', 31], ['2024-02', 29]]);
});

test('monthly MAPE is the mean of |Σ predicted − Σ actual| / Σ actual per month (hand-computed)', () => {
  // January: actual 31·10 = 310, predicted 31·12 = 372 → 20 %; February: actual 29·10, predicted 29·5 → 50 %.
  const actual = daily('2024-01-01', new Array(60).fill(10));
  const predicted = daily('2024-01-01', [...new Array(31).fill(12), ...new Array(29).fill(5)]);
  const acc = monthlyAccuracy(predicted, actual);
  assert.ok(Math.abs(acc.months[0].absolutePercentageError! - 0.2) < 1e-12);
  assert.ok(Math.abs(acc.months[1].absolutePercentageError! - 0.5) < 1e-12);
  assert.ok(Math.abs(acc.mape! - 0.35) < 1e-12);
  assert.ok(Math.abs(acc.totalRelativeError! - (372 + 145 - 600) / 600) < 1e-12);
});

test('day-to-day errors that cancel within a month do not count', () => {
  const actual = daily('2024-04-01', new Array(30).fill(10));
  const predicted = daily('2024-04-01', Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 15 : 5)));
  assert.equal(monthlyAccuracy(predicted, actual).mape, 0);
});

test('only days covered by both sides count, so a forecast starting mid-month is compared on the same days', () => {
  const actual = daily('2024-01-01', new Array(31).fill(10));
  const predicted = daily('2024-01-16', new Array(20).fill(11));
  const acc = monthlyAccuracy(predicted, actual);
  assert.deepEqual(acc.months.map((m) => [m.month, m.days, m.actual]), [['2024-01', 16, 160]]);
  assert.ok(Math.abs(acc.mape! - 0.1) < 1e-12);
  assert.equal(monthlyAccuracy(predicted, actual, 'day', 20).mape, null, 'months with too few shared days can be left out');
});

test('a week straddling two months is split between them in proportion to its days', () => {
  // Monday 2024-01-29 … Sunday 2024-02-04: 3 days in January, 4 in February.
  const predicted = [{ day: d('2024-01-29'), value: 70 }];
  const actual = [{ day: d('2024-01-29'), value: 140 }];
  const acc = monthlyAccuracy(predicted, actual, 'week');
  assert.deepEqual(acc.months.map((m) => [m.month, m.days, m.predicted, m.actual]), [['2024-01', 3, 30, 60], ['2024-02', 4, 40, 80]]);
});

test('a month with zero actual revenue has no percentage error and is left out of the MAPE', () => {
  const actual = [...daily('2024-01-31', [0]), ...daily('2024-02-01', [10])];
  const predicted = [...daily('2024-01-31', [5]), ...daily('2024-02-01', [12])];
  const acc = monthlyAccuracy(predicted, actual);
  assert.equal(acc.months[0].absolutePercentageError, null);
  assert.ok(Math.abs(acc.mape! - 0.2) < 1e-12);
  assert.equal(monthlyAccuracy([], actual).mape, null);
});

test('non-finite values are rejected', () => {
  assert.throws(() => monthlyAccuracy(daily('2024-01-01', [NaN]), daily('2024-01-01', [1])), RangeError);
});
