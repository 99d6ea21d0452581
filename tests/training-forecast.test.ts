import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { RETAIL_HOLIDAYS, holidayCalendar } from '../core/holidays/holiday-calendar.js';
import { featuresOf } from '../processors/features/customer-purchase-history.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import type {  } from '../core/customer-value-model.js';
import { trainingRunSettingsFrom } from '../training/retrain.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { inputsAsOf, readTrainingData } from '../training/training-data.js';
import { forecastAfterTraining } from '../forecasting/training-forecast.js';
import { endOfDay, trainingHistories } from './support/training-histories.js';

const dayOf = dayIndexer('UTC');
const histories = trainingHistories(500, 500);
const asOfMs = endOfDay(500);
const data = await readTrainingData(histories, asOfMs, 90, dayOf);
const settings = trainingSettingsFrom(loadConfig({}), 'v1');
const model = trainCustomerValueModel(inputsAsOf(data.full.summaries, data.asOfDay, settings.periodDays, settings.minorPerUnit), settings);

// Scoring state as a re-score leaves it: features and a segment per customer (two segments here).
const scores = new InMemoryStateStore<CustomerScoreState>();
const states = new Map<string, CustomerScoreState>();
let n = 0;
for await (const page of histories.scan(1000)) {
  for (const [id, h] of page) {
    const features = featuresOf(h, asOfMs, `${id}@f`)!;
    states.set(id, { features, asOfMs, segment: n++ % 3 === 0 ? 'high_value' : 'low_value', clvMinor: 0, modelVersion: 'v1', recommendation: null, interval: null, sequence: 1, sweptToMs: null });
  }
}
await scores.setMany(states);

test('the forecast kept with a version: the total by Prophet, each segment at the level the model expects from its customers', async () => {
  const artifact = await forecastAfterTraining({ histories, scores }, model, asOfMs, { dayOf, minorPerUnit: 100 }, { horizonDays: 60, holidays: holidayCalendar(RETAIL_HOLIDAYS) });
  assert.equal(artifact.settings.segments, 'top-down');
  assert.equal(artifact.fitToDay, dayOf(asOfMs), 'an end-of-day as-of counts its day');
  assert.equal(artifact.segmentsAsOfMs, asOfMs, 'the segments are the re-score\'s as of the as-of: per-segment actuals take members then');
  assert.deepEqual(artifact.series.map((s) => s.key), ['total', 'high_value', 'low_value']);
  for (const s of artifact.series) {
    assert.equal(s.points.length, 60);
    assert.equal(s.points[0].day, artifact.fitToDay + 1);
  }
  // Each segment sums to what the model expects of its customers over the 60 days.
  const expected = { high_value: 0, low_value: 0 } as Record<string, number>;
  for (const [, state] of states) {
    const f = state.features;
    const first = dayOf(f.first_purchase_time);
    const x = f.repeat_purchase_days;
    const e = model.expectedOver({ asOfDay: dayOf(asOfMs), frequency: x, recency: (dayOf(f.last_purchase_time) - first) / 7, T: (dayOf(asOfMs) - first) / 7, monetaryValue: x > 0 ? f.repeat_value_minor / x / 100 : 0 }, 60 / 7);
    expected[state.segment!] += e.purchases * e.avgValue * 100;
  }
  for (const key of ['high_value', 'low_value']) {
    const s = artifact.series.find((x) => x.key === key)!;
    const sum = s.points.reduce((a, p) => a + p.yhat, 0);
    assert.ok(expected[key] > 0 && Math.abs(sum - expected[key]) < 1e-6 * expected[key], `${key}: ${sum} vs ${expected[key]}`);
  }
  // The segments absent from the store are listed as skipped, not silently missing.
  assert.ok(artifact.skipped.some((s) => s.key === 'lost'));
});

test('a mid-day as-of leaves the day in progress out of the fit', async () => {
  const artifact = await forecastAfterTraining({ histories, scores }, model, asOfMs - 6 * 3_600_000, { dayOf, minorPerUnit: 100 }, { horizonDays: 7, holidays: holidayCalendar([]) });
  assert.equal(artifact.fitToDay, dayOf(asOfMs) - 1);
});

test('settings from the config: CLV_FORECAST_HORIZON_DAYS=0 turns the forecast off; CLV_HOLIDAYS picks the calendars', () => {
  assert.equal(trainingRunSettingsFrom(loadConfig({ CLV_FORECAST_HORIZON_DAYS: '0' }), { version: 'v', asOfMs }).forecast, null);
  const f = trainingRunSettingsFrom(loadConfig({ CLV_HOLIDAYS: 'retail,vietnam' }), { version: 'v', asOfMs }).forecast!;
  assert.equal(f.horizonDays, 90);
  assert.ok(f.holidays.holidays.some((h) => /t[eế]t/i.test(h.name)), 'the Vietnamese calendar is in');
  assert.throws(() => loadConfig({ CLV_HOLIDAYS: 'retail,mars' }), /CLV_HOLIDAYS.*unknown: mars/);
});
