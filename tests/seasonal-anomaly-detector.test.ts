/**
 * The day anomaly detector (anomalies/seasonal-anomaly-detector.ts) on seeded seasonal series:
 * a spike, a drop and a zero day planted are found, on the metrics they touch, and nothing
 * else; a clean series with a weekly cycle, a trend and month-to-month steps stays quiet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { logNormal, poisson } from '../producers/synthetic/distributions.js';
import { createRng } from '../producers/synthetic/prng.js';
import type { DailyCommerceSeries } from '../anomalies/daily-commerce-series.js';
import { DEFAULT_DETECTOR_OPTIONS, judgeDay, judgeDays } from '../anomalies/seasonal-anomaly-detector.js';

const FIRST = dayIndexOfDate('2024-01-01'); // a Monday
const WEEKDAY = [1.0, 0.9, 0.9, 0.95, 1.05, 1.35, 1.3]; // Monday first
const MONTH = [0.85, 0.8, 0.9, 0.92, 0.95, 0.92, 0.9, 0.95, 0.95, 1, 1.3, 1.55];

/** 40 weeks of a shop: ~80 orders a day with a weekly cycle, month steps and 30% growth; each paid; amounts log-normal. */
function shop(seed: number, plant: (day: number, orders: number) => number = (_, n) => n): DailyCommerceSeries {
  const rng = createRng(seed, 11);
  const days = 280;
  const series: DailyCommerceSeries = { firstDay: FIRST, days, values: { orders: new Float64Array(days), order_value: new Float64Array(days), payments: new Float64Array(days), payment_value: new Float64Array(days) } };
  for (let i = 0; i < days; i++) {
    const month = new Date((FIRST + i) * 86_400_000).getUTCMonth();
    const mean = 80 * WEEKDAY[i % 7] * MONTH[month] * (1 + 0.3 * i / days);
    const orders = plant(FIRST + i, poisson(rng, mean));
    let value = 0;
    for (let k = 0; k < orders; k++) value += Math.round(100 * logNormal(rng, Math.log(40), 0.8));
    series.values.orders[i] = orders;
    series.values.order_value[i] = value;
    series.values.payments[i] = orders;
    series.values.payment_value[i] = value;
  }
  return series;
}

const flagged = (s: DailyCommerceSeries) => judgeDays(s, FIRST, FIRST + s.days - 1).filter((v) => v.direction !== null);

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  test(`seed ${seed}: a clean seasonal series (weekly cycle, month steps, growth) raises no anomaly`, () => {
    const s = shop(seed);
    const judged = judgeDays(s, FIRST, FIRST + s.days - 1);
    assert.equal(judged.length, 4 * (s.days - 28), 'every day with four weeks of history is judged, each metric');
    assert.deepEqual(flagged(s).map((v) => `${v.metric} ${v.day - FIRST} ${v.score.toFixed(1)}`), []);
  });

  test(`seed ${seed}: a spike, a drop and a zero day planted are found on every metric, and nothing else`, () => {
    const spike = FIRST + 150;
    const drop = FIRST + 170;
    const zero = FIRST + 200;
    const s = shop(seed, (day, n) => (day === spike ? n * 3 : day === drop ? Math.round(n * 0.3) : day === zero ? 0 : n));
    const found = flagged(s).map((v) => `${v.day - FIRST} ${v.metric} ${v.direction}`).sort();
    const expected = ([[spike, 'SPIKE'], [drop, 'DROP'], [zero, 'DROP']] as const)
      .flatMap(([day, direction]) => ['orders', 'order_value', 'payments', 'payment_value'].map((m) => `${day - FIRST} ${m} ${direction}`)).sort();
    assert.deepEqual(found, expected);
  });
}

const o = DEFAULT_DETECTOR_OPTIONS;
/** Eight weeks of `week` (Monday first) and then the day to judge, a Monday. */
const weeksThen = (week: number[], day: number, change: (i: number, v: number) => number = (_, v) => v) =>
  [...Array.from({ length: 56 }, (_, i) => change(i, week[i % 7])), day];

test('a past anomaly in the history neither moves the baseline nor widens the scale (median and MAD)', () => {
  const week = [100, 90, 90, 95, 105, 135, 130];
  // Week 4's Friday was Black Friday (×3); week 6's Monday an outage (0).
  const history = (i: number, v: number) => (i === 25 ? 3 * v : i === 35 ? 0 : v);
  const usual = judgeDay(weeksThen(week, 101, history), 56, 'count', o)!;
  assert.ok(Math.abs(usual.baseline - 100) < 1e-9, `baseline ${usual.baseline}: the Mondays' median, the outage ignored`);
  assert.equal(usual.direction, null);
  assert.equal(judgeDay(weeksThen(week, 180, history), 56, 'count', o)!.direction, 'SPIKE');
  assert.equal(judgeDay(weeksThen(week, 45, history), 56, 'count', o)!.direction, 'DROP');
});

test('too little history, or nothing usual to compare with, is no verdict', () => {
  const week = [100, 90, 90, 95, 105, 135, 130];
  assert.equal(judgeDay([...weeksThen(week, 0).slice(35)], 21, 'count', o), null, 'three weeks');
  assert.ok(judgeDay([...weeksThen(week, 0).slice(28)], 28, 'count', o), 'four weeks are enough');
  assert.equal(judgeDay(weeksThen([0, 5, 5, 5, 5, 5, 5], 3), 56, 'count', o), null, 'a usual Monday has nothing');
});

test('floors: a flat history does not make noise unusual; counts get Poisson\'s spread', () => {
  // Every day 100: MAD 0. The scale is the larger of ln 1.1 and 1/√101 ≈ 0.0995: the usual range is 100 ± about ×e^0.5.
  const flat = judgeDay(weeksThen([100, 100, 100, 100, 100, 100, 100], 150), 56, 'count', o)!;
  assert.ok(flat.upper > 160 && flat.upper < 170, `upper ${flat.upper}`);
  assert.equal(flat.direction, null);
  assert.equal(judgeDay(weeksThen([100, 100, 100, 100, 100, 100, 100], 170), 56, 'count', o)!.direction, 'SPIKE');
  assert.equal(judgeDay(weeksThen([100, 100, 100, 100, 100, 100, 100], 170), 56, 'amount', o)!.direction, 'SPIKE', 'amounts: the 10% floor alone');
  // A small shop: 9 orders a usual day; 1/√9 = a third either way by chance alone. 25 is not unusual yet; none at all is.
  assert.equal(judgeDay(weeksThen([9, 9, 9, 9, 9, 9, 9], 25), 56, 'count', o)!.direction, null);
  assert.equal(judgeDay(weeksThen([9, 9, 9, 9, 9, 9, 9], 0), 56, 'count', o)!.direction, 'DROP');
});
