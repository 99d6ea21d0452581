import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OperationalClock, operationalInput } from '../models/seasonal/operational-time.js';

/** Intensity 2 on weekends (days 5, 6 of each week from day 0), 0.6 on weekdays: mean 1. */
const weekly = { factors: (days: readonly number[]) => Float64Array.from(days, (d) => (((d % 7) + 7) % 7 >= 5 ? 2 : 0.6)) };

test('operational length of a span is the sum of its days\' intensity, forwards and backwards of the origin', () => {
  const clock = new OperationalClock(weekly, 100);
  assert.ok(Math.abs(clock.between(0, 7) - (5 * 0.6 + 2 * 2)) < 1e-9);
  assert.ok(Math.abs(clock.between(-700, 700) - 1400) < 1e-9, 'a whole number of weeks is as long as in calendar days');
  assert.ok(Math.abs(clock.at(100)) < 1e-12);
  assert.ok(Math.abs(clock.between(5, 7) - 4) < 1e-12, 'a weekend of intensity 2');
  // Far beyond the first table chunk, both ways.
  assert.ok(Math.abs(clock.between(-5000, -4993) - 7) < 1e-9);
  assert.ok(Math.abs(clock.between(5000, 5007) - 7) < 1e-9);
});

test('a flat intensity leaves model inputs unchanged; a peak stretches the time spent in it', () => {
  const flat = new OperationalClock({ factors: (d) => new Float64Array(d.length).fill(1) }, 0);
  const input = { asOfDay: 700, frequency: 3, recency: 40, T: 90, monetaryValue: 25 };
  const same = operationalInput(flat, input, 7);
  assert.ok(Math.abs(same.recency - 40) < 1e-9 && Math.abs(same.T - 90) < 1e-9);
  // The last 30 days before the as-of at intensity 3: T grows by 2 × 30 days.
  const peak = new OperationalClock({ factors: (d) => Float64Array.from(d, (x) => (x >= 670 && x < 700 ? 3 : 1)) }, 0);
  const warped = operationalInput(peak, input, 7);
  assert.ok(Math.abs(warped.T - (90 + 60 / 7)) < 1e-9, String(warped.T));
  assert.equal(warped.frequency, 3);
  assert.equal(warped.monetaryValue, 25);
});
