import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { revenueForecastRun } from '../forecasting/revenue-forecast-run.js';
import {
  fittedForecastOf, loadSegmentRevenueForecast, saveSegmentRevenueForecast,
} from '../forecasting/segment-revenue-forecast-artifact.js';
import { segmentRevenueShop } from './support/segment-revenue-shop.js';

const d = dayIndexOfDate;
const shop = await segmentRevenueShop(d('2024-01-01'), d('2024-05-31'));
const artifact = await revenueForecastRun({ ...shop, fromDay: d('2024-01-01'), toDay: d('2024-04-30'), holdoutToDay: d('2024-05-31'), prophet: { uncertaintySamples: 200 } });

test('the artifact survives JSON and a registry round trip, and its models predict the points it stored', () => {
  const back = loadSegmentRevenueForecast(JSON.parse(JSON.stringify(saveSegmentRevenueForecast(artifact))));
  assert.deepEqual(back, artifact);
  assert.ok(back.series.length >= 2, 'the fixture fits the total and some segments');
  for (const s of back.series) assert.deepEqual(fittedForecastOf(back, s.key)!.model.predict(back.horizonDays), s.points, s.key);
  assert.equal(fittedForecastOf(back, 'lost'), null, 'skipped: no model');
});

test('the time the segments were taken survives a round trip; artifacts from before it load without it', () => {
  const asOf = Date.UTC(2024, 3, 30, 23, 59, 59, 999);
  assert.equal(loadSegmentRevenueForecast(saveSegmentRevenueForecast({ ...artifact, segmentsAsOfMs: asOf })).segmentsAsOfMs, asOf);
  assert.equal(loadSegmentRevenueForecast(saveSegmentRevenueForecast(artifact)).segmentsAsOfMs, undefined);
});

test('save is a deep copy: changing the artifact afterwards does not change what was saved', () => {
  const saved = saveSegmentRevenueForecast(artifact);
  const copy = structuredClone(artifact);
  copy.series[0].points[0].yhat = -1;
  assert.notEqual(saved.series[0].points[0].yhat, -1);
  assert.deepEqual(saved, artifact);
});

test('load refuses another kind or version, an unknown series key, unordered intervals and a broken model', () => {
  const high = artifact.series.find((s) => s.key === 'high_value')!;
  const cases: Array<[unknown, RegExp]> = [
    [null, /not a version-1 segment revenue forecast/],
    [{ ...artifact, version: 2 }, /not a version-1/],
    [{ ...artifact, fitToDay: 'soon' }, /window, settings or lists/],
    [{ ...artifact, segmentsAsOfMs: '2024-04-30' }, /window, settings or lists/],
    [{ ...artifact, series: [{ ...high, key: 'vip' }] }, /series key "vip"/],
    [{ ...artifact, series: [high, high] }, /series key "high_value"/],
    [{ ...artifact, series: [{ ...high, points: high.points.map((p) => ({ ...p, lower: p.upper + 1 })) }] }, /points of high_value/],
    [{ ...artifact, series: [{ ...high, model: { ...high.model, estimate: null } }] }, /malformed Prophet revenue forecast/],
  ];
  for (const [json, message] of cases) assert.throws(() => loadSegmentRevenueForecast(json), (e: Error) => e instanceof TypeError && message.test(e.message), String(message));
});
