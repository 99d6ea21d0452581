import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate, instantOfLocalTime } from '../core/calendar.js';
import { Segments } from '../core/segmentation.js';
import { revenueForecastRun } from '../forecasting/revenue-forecast-run.js';
import { revenueForecastViews } from '../forecasting/segment-revenue-forecast-views.js';
import { segmentRevenueShop } from './support/segment-revenue-shop.js';

const d = dayIndexOfDate;
const shop = await segmentRevenueShop(d('2024-01-01'), d('2024-04-30'));
const artifact = await revenueForecastRun({ ...shop, fromDay: d('2024-01-01'), toDay: d('2024-04-30'), horizonDays: 45, prophet: { uncertaintySamples: 200 } });
const context = { modelVersion: 'v7', generatedAtMs: Date.UTC(2024, 4, 1), currency: 'VND', dayStartMs: (day: number) => instantOfLocalTime('Asia/Ho_Chi_Minh')(day, 0) };

test('one view per segment and for all customers; null where the run skipped the series', () => {
  const views = revenueForecastViews(artifact, context);
  assert.deepEqual([...views.keys()], [null, ...Segments]);
  for (const s of artifact.skipped) assert.equal(views.get(s.key === 'total' ? null : s.key), null, s.key);
  assert.equal(artifact.skipped.length + artifact.series.length, 1 + Segments.length);
  assert.notEqual(views.get(null), null);
});

test('each view says when the run took its segments, so actuals can be of the same customers', () => {
  const asOf = Date.UTC(2024, 3, 30, 23, 59, 59, 999);
  const views = revenueForecastViews({ ...artifact, segmentsAsOfMs: asOf }, context);
  for (const [key, view] of views) if (view !== null) assert.equal(view.segmentsAsOfMs, asOf, String(key));
});

test('points start at local midnight of their day, in whole minor units, interval around the expectation', () => {
  const high = artifact.series.find((s) => s.key === 'high_value')!;
  const view = revenueForecastViews(artifact, context).get('high_value')!;
  assert.deepEqual({ ...view, points: [], totals: {} }, {
    modelVersion: 'v7', generatedAtMs: context.generatedAtMs, segmentsAsOfMs: null, currency: 'VND', granularity: 'day', points: [], intervalLevel: 0.8, totals: {}, backtest: null,
  });
  assert.equal(view.points.length, 45);
  assert.equal(new Date(view.points[0].periodStartMs).toISOString(), '2024-04-30T17:00:00.000Z', '1 May 00:00 in Hanoi (UTC+7)');
  view.points.forEach((p, i) => {
    assert.equal(p.expectedMinor, Math.round(high.points[i].yhat));
    assert.ok(Number.isInteger(p.lowerMinor) && Number.isInteger(p.upperMinor));
    assert.ok(p.lowerMinor! <= p.expectedMinor && p.expectedMinor <= p.upperMinor!, JSON.stringify(p));
  });
});

test('weekly and monthly totals: whole calendar periods only, from local midnight, the sum of the days with the interval of the sum', () => {
  const view = revenueForecastViews(artifact, context).get(null)!;
  const iso = (ms: number) => new Date(ms).toISOString();
  // The forecast runs 2024-05-01 (a Wednesday) to 2024-06-14: weeks from Monday 6 May to Monday 3 June, and May.
  assert.deepEqual(view.totals!.week!.map((p) => iso(p.periodStartMs)), ['2024-05-05T17:00:00.000Z', '2024-05-12T17:00:00.000Z', '2024-05-19T17:00:00.000Z', '2024-05-26T17:00:00.000Z', '2024-06-02T17:00:00.000Z']);
  assert.deepEqual(view.totals!.month!.map((p) => iso(p.periodStartMs)), ['2024-04-30T17:00:00.000Z']);
  const days = (fromMs: number, n: number) => view.points.filter((p) => p.periodStartMs >= fromMs).slice(0, n);
  for (const [total, n] of [...view.totals!.week!.map((w) => [w, 7] as const), [view.totals!.month![0], 31] as const]) {
    const covered = days(total.periodStartMs, n);
    assert.equal(covered.length, n);
    const sum = covered.reduce((a, p) => a + p.expectedMinor, 0);
    assert.ok(Math.abs(total.expectedMinor - sum) <= n / 2 + 1, `${iso(total.periodStartMs)}: ${total.expectedMinor} vs Σ ${sum}`);
    const summedBounds = covered.reduce((a, p) => a + p.upperMinor! - p.lowerMinor!, 0);
    assert.ok(total.lowerMinor! <= total.expectedMinor && total.expectedMinor <= total.upperMinor!, JSON.stringify(total));
    assert.ok(total.upperMinor! - total.lowerMinor! < summedBounds, `${iso(total.periodStartMs)}: the sum's interval is narrower than the days' bounds summed`);
  }
});

test('a weekly forecast has its weeks as points and no months; a run with a holdout reports its monthly check', async () => {
  const weekly = await revenueForecastRun({ ...shop, fromDay: d('2024-01-01'), toDay: d('2024-04-07'), holdoutToDay: d('2024-04-28'), granularity: 'week', minPeriodsWithRevenue: 4, prophet: { uncertaintySamples: 100 } });
  const view = revenueForecastViews(weekly, context).get(null)!;
  assert.deepEqual(view.totals, {});
  const total = weekly.series.find((s) => s.key === 'total')!;
  assert.deepEqual(view.backtest, {
    fromMs: context.dayStartMs(d('2024-04-08')), toMs: context.dayStartMs(d('2024-04-29')),
    months: total.holdout!.months.length, monthlyMape: total.holdout!.mape, totalRelativeError: total.holdout!.totalRelativeError,
  });
  assert.ok(view.backtest!.months >= 1 && Number.isFinite(view.backtest!.monthlyMape));
});
