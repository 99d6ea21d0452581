import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SEQUENCE_FEATURE_OPTIONS,
  STATIC_FEATURES,
  STEP_FEATURES,
  futureSpend,
  RECENT_PURCHASE_WINDOW_DAYS,
  recentPurchaseDays,
  sequenceExample,
  sequenceRow,
  sequenceRowOf,
  type SequenceFeatureOptions,
} from '../models/sequence/sequence-features.js';
import { summarizePurchaseDays } from '../core/repeat-purchase-summary.js';
import { periodSpend, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';

// Weekly periods, 4 of history, a 2-week target; as of day 100.
const options: SequenceFeatureOptions = { periodDays: 7, periods: 4, horizonPeriods: 2, minorPerUnit: 100 };
const AS_OF = 100;
const days: [number, number][] = [
  [70, 1000], // 30 days back: period 4 back, outside the 4-period window but counted in RFM
  [80, 500], // 20 days back → 2 periods back
  [95, 300], // 5 days back → the last period
  [99, 200],
  [100, 100], // the as-of day belongs to the history
  [101, 700], // target window: days 101 … 114
  [114, 900],
  [115, 50], // after the target window
];

const f32 = (x: number): number => Math.fround(x);

test('hand-computed steps, statics and target for a small history', () => {
  const e = sequenceExample(days, AS_OF, options)!;
  // [log1p(spend in dollars), purchase days] per period, oldest first.
  assert.deepEqual([...e.steps], [0, 0, f32(Math.log1p(5)), 1, 0, 0, f32(Math.log1p(6)), 3]);
  // x = 4 repeat days; t_x = T = 30/7 weeks; mean repeat day $11/4; mean day $21/5.
  const expected = [4, 30 / 7, 30 / 7, 2.75, 4.2].map((v) => f32(Math.log1p(v)));
  assert.deepEqual([...e.statics], expected);
  assert.equal(e.target, 16);
});

test('spend per period matches the features processor (periodSpend)', () => {
  const history: CustomerPurchaseHistory = {
    customerId: 'c1',
    currency: 'USD',
    orders: days.map(([day, net], i) => ({ orderId: `o${i}`, day, time: day * 86_400_000, revision: 1, status: 'ACTIVE' as const, net, categories: [], lines: [] })),
    compacted: null,
  };
  const spend = periodSpend(history, AS_OF, options.periodDays, options.periods);
  const row = sequenceRow(days, AS_OF, options)!;
  for (let p = 0; p < options.periods; p++) assert.equal(row.steps[p * STEP_FEATURES], f32(Math.log1p(spend[p] / 100)));
});

test('independent of the order of the purchase days, and deterministic', () => {
  const shuffled = [days[5], days[2], days[7], days[0], days[4], days[1], days[6], days[3]];
  assert.deepEqual(sequenceExample(shuffled, AS_OF, options), sequenceExample(days, AS_OF, options));
  assert.deepEqual(sequenceExample(new Map(days), AS_OF, options), sequenceExample(days, AS_OF, options));
});

test('a one-time buyer: zero repeat features, the single purchase value kept', () => {
  const row = sequenceRow([[98, 2500]], AS_OF, options)!;
  assert.deepEqual([...row.steps], [0, 0, 0, 0, 0, 0, f32(Math.log1p(25)), 1]);
  assert.deepEqual([...row.statics], [0, 0, f32(Math.log1p(2 / 7)), 0, f32(Math.log1p(25))]);
});

test('null before the first purchase; later days are ignored by the row', () => {
  assert.equal(sequenceRow([[101, 500]], AS_OF, options), null);
  assert.equal(sequenceExample([], AS_OF, options), null);
  assert.deepEqual(sequenceRow(days, AS_OF, options), sequenceRow(days.filter(([d]) => d <= AS_OF), AS_OF, options));
});

test('target: the H·periodDays days after as-of, in currency units, floored at 0', () => {
  assert.equal(futureSpend(days, AS_OF, options), 16);
  assert.equal(futureSpend(days, AS_OF, { ...options, horizonPeriods: 3 }), 16.5);
  assert.equal(futureSpend([[101, -300]], AS_OF, options), 0);
});

test('defaults: 26 weekly periods of history, 52-week target', () => {
  const row = sequenceRow(days, AS_OF)!;
  assert.equal(row.steps.length, DEFAULT_SEQUENCE_FEATURE_OPTIONS.periods * STEP_FEATURES);
  assert.equal(row.statics.length, STATIC_FEATURES);
  assert.equal(DEFAULT_SEQUENCE_FEATURE_OPTIONS.periods, 26);
  assert.equal(DEFAULT_SEQUENCE_FEATURE_OPTIONS.periodDays, 7);
});

test('rejects out-of-range options', () => {
  assert.throws(() => sequenceRow(days, AS_OF, { ...options, periods: 0 }), RangeError);
  assert.throws(() => sequenceRow(days, AS_OF, { ...options, periodDays: 1.5 }), RangeError);
  assert.throws(() => futureSpend(days, AS_OF, { ...options, minorPerUnit: 0 }), RangeError);
});

test('a row from the summary and the features\' recent purchase days equals the row from the full history, at any as-of on or after the last purchase', () => {
  // A long history: purchases every 9 days for two years, the last on day 800.
  const long: [number, number][] = [];
  for (let d = 80; d <= 800; d += 9) long.push([d, 100 + (d % 37) * 10]);
  const wide: SequenceFeatureOptions = { periodDays: 7, periods: 26, horizonPeriods: 52, minorPerUnit: 100 };
  const summary = summarizePurchaseDays(long)!;
  const recent = recentPurchaseDays(long, summary.lastDay);
  assert.ok(recent.length < long.length && recent.every(([d]) => d > summary.lastDay - RECENT_PURCHASE_WINDOW_DAYS));
  for (const asOf of [summary.lastDay, summary.lastDay + 3, summary.lastDay + 100, summary.lastDay + 400]) {
    const full = sequenceRow(long, asOf, wide)!;
    const bounded = sequenceRowOf(summary, recent, asOf, wide);
    assert.deepEqual([...bounded.steps], [...full.steps], `steps as of ${asOf}`);
    assert.deepEqual([...bounded.statics], [...full.statics], `statics as of ${asOf}`);
  }
});
