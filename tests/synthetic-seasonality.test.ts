import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayIndexOfDate } from '../core/calendar.js';
import { historyCalendar } from '../producers/synthetic/history-calendar.js';
import { DEFAULT_SEASONALITY, FLAT_SEASONALITY } from '../producers/synthetic/options.js';
import { blackFridayDay, dailySeasonality, intradayWarp } from '../producers/synthetic/seasonality.js';
import { createRng } from '../producers/synthetic/prng.js';

const mean = (xs: ArrayLike<number>, from = 0, to = xs.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i];
  return s / (to - from);
};

describe('synthetic seasonality', () => {
  it('finds Black Friday on the published dates (2023-11-24, 2024-11-29, 2025-11-28, 2019-11-29)', () => {
    for (const date of ['2023-11-24', '2024-11-29', '2025-11-28', '2019-11-29']) assert.equal(blackFridayDay(Number(date.slice(0, 4))), dayIndexOfDate(date));
  });

  it('averages exactly 1 over every whole calendar year, so the mean purchase rate stays λ', () => {
    const cal = historyCalendar('2023-01-01', '2024-12-31', 'UTC');
    const s = dailySeasonality(cal, DEFAULT_SEASONALITY);
    assert.ok(Math.abs(mean(s, 0, 365) - 1) < 1e-12);
    assert.ok(Math.abs(mean(s, 365, 731) - 1) < 1e-12);
  });

  it('keeps the whole-year normalisation when the history covers part of a year', () => {
    const full = dailySeasonality(historyCalendar('2024-01-01', '2024-12-31', 'UTC'), DEFAULT_SEASONALITY);
    const part = dailySeasonality(historyCalendar('2024-11-01', '2024-12-31', 'UTC'), DEFAULT_SEASONALITY);
    assert.deepEqual(Array.from(part), Array.from(full.slice(305)));
  });

  it('peaks in Nov–Dec, on Black Friday and at weekends', () => {
    const cal = historyCalendar('2024-01-01', '2024-12-31', 'UTC');
    const s = dailySeasonality(cal, DEFAULT_SEASONALITY);
    const novStart = dayIndexOfDate('2024-11-01') - cal.startDay;
    assert.ok(mean(s, novStart, cal.days) > 1.3, `Nov–Dec mean ${mean(s, novStart, cal.days)}`);
    const bf = blackFridayDay(2024) - cal.startDay;
    assert.equal(Math.max(...s), s[bf]);
    let weekend = 0;
    let weekday = 0;
    for (let i = 0; i < 7 * 20; i++) ((cal.startDay + i + 4) % 7 === 0 || (cal.startDay + i + 4) % 7 === 6 ? (weekend += s[i] / 2) : (weekday += s[i] / 5));
    assert.ok(weekend > 1.2 * weekday, `weekend ${weekend} vs weekday ${weekday}`);
  });

  it('is 1 everywhere with FLAT_SEASONALITY', () => {
    const s = dailySeasonality(historyCalendar('2024-01-01', '2024-03-01', 'America/New_York'), FLAT_SEASONALITY);
    for (const x of s) assert.ok(Math.abs(x - 1) < 1e-12);
  });

  it('intradayWarp is monotone and spreads uniform fractions over hours in proportion to hourWeights', () => {
    const warp = intradayWarp(DEFAULT_SEASONALITY.hourWeights);
    let prev = -1;
    for (let f = 0; f < 1; f += 0.0001) {
      const w = warp(f);
      assert.ok(w >= prev && w >= 0 && w < 1);
      prev = w;
    }
    const rng = createRng(2);
    const hours = new Array<number>(24).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) hours[Math.floor(warp(rng()) * 24)]++;
    const total = DEFAULT_SEASONALITY.hourWeights.reduce((a, b) => a + b, 0);
    DEFAULT_SEASONALITY.hourWeights.forEach((w, h) => {
      const expected = w / total;
      assert.ok(Math.abs(hours[h] / n - expected) < 0.1 * expected + 0.001, `hour ${h}: ${hours[h] / n} vs ${expected}`);
    });
  });
});
