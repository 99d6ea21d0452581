import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { allocateTotal, calendarMonths, reshape, spreadOverDays } from '../models/ensemble/period-allocation.js';

const day = dayIndexOfDate;

test('calendar months of a window clip at both ends and cross a year boundary', () => {
  const months = calendarMonths(day('1997-11-15'), day('1998-02-10'));
  assert.deepEqual(months.map((m) => m.month), ['1997-11', '1997-12', '1998-01', '1998-02']);
  assert.deepEqual(months.map((m) => m.toDay - m.fromDay + 1), [16, 31, 31, 10]);
  assert.equal(months[0].fromDay, day('1997-11-15'));
  assert.equal(months[1].fromDay, day('1997-12-01'));
  assert.equal(months[3].toDay, day('1998-02-10'));
  assert.deepEqual(calendarMonths(day('2024-02-29'), day('2024-02-29')).map((m) => m.month), ['2024-02']);
  assert.throws(() => calendarMonths(5, 4), RangeError);
});

test('spreading monthly values gives each day its month value over the month length', () => {
  const months = calendarMonths(day('1998-02-01'), day('1998-03-31'));
  const daily = spreadOverDays(months, [28, 62]);
  assert.equal(daily.length, 59);
  assert.equal(daily[0], 1);
  assert.equal(daily[27], 1);
  assert.equal(daily[28], 2);
  assert.equal(daily[58], 2);
});

test('allocation keeps the total and follows the shape; a zero shape spreads evenly', () => {
  const out = allocateTotal(100, [1, 3, 0, 6]);
  assert.deepEqual([...out], [10, 30, 0, 60]);
  assert.deepEqual([...allocateTotal(9, [0, 0, 0])], [3, 3, 3]);
  assert.throws(() => allocateTotal(1, []), RangeError);
  assert.throws(() => allocateTotal(1, [1, -1]), RangeError);
  assert.throws(() => allocateTotal(1, [1, NaN]), RangeError);
});

test('a seasonal factor moves value between months without changing the total', () => {
  const months = calendarMonths(day('1997-11-01'), day('1997-12-31'));
  const flat = spreadOverDays(months, [30, 31]);
  const factor = Float64Array.from(flat, (_, i) => (i < 30 ? 1 : 2)); // December twice as strong
  const daily = allocateTotal(92, reshape(flat, factor)); // weights: 30 November days × 1, 31 December days × 2
  const nov = daily.slice(0, 30).reduce((a, b) => a + b, 0);
  const dec = daily.slice(30).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(nov - 30) < 1e-9 && Math.abs(dec - 62) < 1e-9, `${nov} ${dec}`);
  assert.throws(() => reshape([1], [1, 2]), RangeError);
});
