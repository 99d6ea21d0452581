import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { weekdayOf } from '../models/forecast/revenue-series.js';
import { expectedRevenueBySegment, revenueForecastRun } from '../forecasting/revenue-forecast-run.js';
import type { Segment } from '../core/segmentation.js';
import { fittedForecastOf } from '../forecasting/segment-revenue-forecast-artifact.js';
import { PLANTED_WEEKLY, plantedYearly, segmentRevenueShop } from './support/segment-revenue-shop.js';

const d = dayIndexOfDate;
const from = d('2022-01-01');
const fitTo = d('2023-12-31');
const holdoutTo = d('2024-02-29');
const shop = await segmentRevenueShop(from, holdoutTo);
const artifact = await revenueForecastRun({ ...shop, fromDay: from, toDay: fitTo, holdoutToDay: holdoutTo });

test('Prophet recovers the weekly shape planted in one segment and the yearly shape planted in another', (t) => {
  const high = fittedForecastOf(artifact, 'high_value')!.model;
  const week = Array.from({ length: 7 }, (_, i) => d('2024-01-07') + i);
  const fitted = high.components(week);
  t.diagnostic(`high_value weekly, Sunday first: fitted ${fitted.map((c) => c.components.weekly.toFixed(0)).join(' ')} vs planted ${PLANTED_WEEKLY.join(' ')}`);
  for (const c of fitted) {
    const planted = PLANTED_WEEKLY[weekdayOf(c.day)];
    assert.ok(Math.abs(c.components.weekly - planted) < 250, `high_value weekday ${weekdayOf(c.day)}: fitted ${c.components.weekly.toFixed(0)} vs planted ${planted}`);
  }
  const medium = fittedForecastOf(artifact, 'medium_value')!.model;
  const year = Array.from({ length: 365 }, (_, i) => d('2023-01-01') + i);
  let worst = 0;
  for (const c of medium.components(year)) worst = Math.max(worst, Math.abs(c.components.yearly - plantedYearly(c.day)));
  t.diagnostic(`medium_value yearly component: worst error ${worst.toFixed(0)} of amplitude 3000`);
  assert.ok(worst < 600, `medium_value yearly component off by up to ${worst.toFixed(0)} (amplitude 3000)`);
  // The weekly shape stays where it was planted: medium_value has none to speak of.
  const mediumWeekly = medium.components(week).map((c) => Math.abs(c.components.weekly));
  assert.ok(Math.max(...mediumWeekly) < 250, `medium_value weekly up to ${Math.max(...mediumWeekly).toFixed(0)}`);
});

test('forecasts over the holdout with ordered intervals, and holdout accuracy per month', (t) => {
  assert.deepEqual(artifact.series.map((s) => s.key), ['total', 'high_value', 'medium_value', 'low_value']);
  for (const s of artifact.series) {
    assert.equal(s.points.length, holdoutTo - fitTo, `${s.key}: one point per holdout day`);
    assert.equal(s.points[0].day, fitTo + 1);
    for (const p of s.points) assert.ok(p.lower <= p.yhat && p.yhat <= p.upper && p.lower < p.upper, `${s.key} ${JSON.stringify(p)}`);
    assert.deepEqual(s.holdout!.months.map((m) => m.month), ['2024-01', '2024-02']);
  }
  const mape = (key: string) => artifact.series.find((s) => s.key === key)!.holdout!.mape!;
  t.diagnostic(`holdout monthly MAPE: ${artifact.series.map((s) => `${s.key} ${(100 * mape(s.key)).toFixed(2)} %`).join(', ')}`);
  assert.ok(mape('high_value') < 0.03, `high_value holdout MAPE ${mape('high_value')}`);
  assert.ok(mape('medium_value') < 0.08, `medium_value holdout MAPE ${mape('medium_value')}`);
  assert.ok(mape('total') < 0.05, `total holdout MAPE ${mape('total')}`);
});

test('segments with too little revenue history are skipped, saying why; unscored revenue is in the total only', () => {
  assert.deepEqual(artifact.skipped.map((s) => s.key), ['new', 'at_risk', 'lost']);
  const lost = artifact.skipped.find((s) => s.key === 'lost')!;
  assert.equal(lost.periodsWithRevenue, 10);
  assert.equal(lost.customers, 1);
  assert.match(lost.reason, /10 of 730 days with revenue in the fit window; needs ≥ 28/);
  assert.equal(artifact.unscored.customers, 1);
  const total = artifact.series.find((s) => s.key === 'total')!;
  const segmentsSum = artifact.series.filter((s) => s.key !== 'total').reduce((a, s) => a + s.fittedRevenueMinor, 0);
  assert.equal(total.fittedRevenueMinor, segmentsSum + artifact.unscored.fittedRevenueMinor + 10 * 4000);
});

test('weekly granularity: weekly series, whole weeks on each side of the split', async () => {
  const weekly = await revenueForecastRun({
    ...shop, fromDay: from, toDay: fitTo, holdoutToDay: holdoutTo, granularity: 'week', prophet: { uncertaintySamples: 200 },
  });
  const total = weekly.series.find((s) => s.key === 'total')!;
  assert.equal(total.model.granularity, 'week');
  assert.equal(weekdayOf(total.points[0].day), 1, 'forecast weeks start on Monday');
  assert.ok(total.model.historyEndDay <= fitTo, 'no week of the fit reaches into the holdout');
  assert.ok(total.holdout!.mape! < 0.05, `weekly total holdout MAPE ${total.holdout!.mape}`);
  // 2022-01-01 is a Saturday: the partial first week, with one of the 10 orders, is left out.
  assert.match(weekly.skipped.find((s) => s.key === 'lost')!.reason, /9 of 104 weeks with revenue in the fit window; needs ≥ 13/);
});

test('top-down: given expected levels, each segment is the total forecast scaled to its level over the horizon', async () => {
  const levels = new Map<Segment, number>([['high_value', 500_000], ['medium_value', 300_000], ['low_value', 200_000]]);
  const topDown = await revenueForecastRun({ ...shop, fromDay: from, toDay: fitTo, holdoutToDay: holdoutTo, segmentLevels: levels, prophet: { uncertaintySamples: 200 } });
  assert.equal(topDown.settings.segments, 'top-down');
  const total = topDown.series.find((s) => s.key === 'total')!;
  const totalLevel = total.points.reduce((a, p) => a + p.yhat, 0);
  for (const [segment, level] of levels) {
    const s = topDown.series.find((x) => x.key === segment)!;
    const share = level / totalLevel;
    assert.ok(Math.abs(s.scale! - share) < 1e-12);
    assert.ok(Math.abs(s.points.reduce((a, p) => a + p.yhat, 0) - level) < 1e-6 * level, `${segment}: sums to its level over the horizon`);
    s.points.forEach((p, i) => {
      assert.equal(p.day, total.points[i].day);
      assert.ok(Math.abs(p.yhat - share * total.points[i].yhat) < 1e-6 * Math.max(1, Math.abs(p.yhat)), `${segment} day ${p.day}`);
      assert.ok(p.lower <= p.yhat && p.yhat <= p.upper);
    });
    assert.ok(s.holdout !== null && s.holdout.months.length > 0, `${segment}: checked against its own actuals`);
    const fitted = fittedForecastOf(topDown, segment)!;
    assert.equal(fitted.scale, s.scale);
  }
  // A segment without a share is left out, with the reason.
  assert.ok(topDown.skipped.some((x) => x.key === 'at_risk' && /nothing to allocate/.test(x.reason)));
});

test('expected revenue by segment sums each customer into their segment and leaves the unscored out', () => {
  const levels = expectedRevenueBySegment(['a', 'b', 'c', 'd'], [100, 50, 25, 7], new Map<string, Segment | null>([['a', 'high_value'], ['b', 'high_value'], ['c', 'lost'], ['d', null]]));
  assert.deepEqual([...levels].sort(), [['high_value', 150], ['lost', 25]]);
});
