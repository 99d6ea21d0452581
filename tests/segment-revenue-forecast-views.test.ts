import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate, instantOfLocalTime } from '../core/calendar.js';
import { Segments } from '../core/segmentation.js';
import { revenueForecastRun } from '../forecasting/revenue-forecast-run.js';
import { revenueForecastViews } from '../forecasting/segment-revenue-forecast-views.js';
import { segmentRevenueShop } from './support/segment-revenue-shop.js';

const d = dayIndexOfDate;
const shop = await segmentRevenueShop(d('2024-01-01'), d('2024-04-30'));
const artifact = await revenueForecastRun({ ...shop, fromDay: d('2024-01-01'), toDay: d('2024-04-30'), horizonDays: 14, prophet: { uncertaintySamples: 200 } });
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
  assert.deepEqual({ ...view, points: [] }, { modelVersion: 'v7', generatedAtMs: context.generatedAtMs, segmentsAsOfMs: null, currency: 'VND', granularity: 'day', points: [] });
  assert.equal(view.points.length, 14);
  assert.equal(new Date(view.points[0].periodStartMs).toISOString(), '2024-04-30T17:00:00.000Z', '1 May 00:00 in Hanoi (UTC+7)');
  view.points.forEach((p, i) => {
    assert.equal(p.expectedMinor, Math.round(high.points[i].yhat));
    assert.ok(Number.isInteger(p.lowerMinor) && Number.isInteger(p.upperMinor));
    assert.ok(p.lowerMinor! <= p.expectedMinor && p.expectedMinor <= p.upperMinor!, JSON.stringify(p));
  });
});
