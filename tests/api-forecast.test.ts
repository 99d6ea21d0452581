import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RevenueForecast } from '../core/ports/clv-read-model.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
before(async () => {
  f = await apiFixture({ customers: 10 });
});
after(() => f.app.close());

const get = (url: string) => f.app.inject({ url, headers: bearer(f.keys.read) });
const start = Date.UTC(2024, 6, 1);
const forecast = (expectedMinor: number): RevenueForecast => ({
  modelVersion: 'prophet-1', generatedAtMs: start, currency: 'USD', granularity: 'week',
  points: [{ periodStartMs: start, expectedMinor, lowerMinor: 100_000, upperMinor: 150_000 }, { periodStartMs: start + 7 * 86_400_000, expectedMinor: 99_000, lowerMinor: null, upperMinor: null }],
});

test('404 NO_FORECAST until a forecast exists', async () => {
  const res = await get('/v1/forecast/revenue');
  assert.equal(res.statusCode, 404);
  assert.deepEqual(res.json(), { error: { code: 'API_NO_FORECAST', message: 'no revenue forecast has been produced yet' } });
});

test('then the latest forecast, per period with its interval', async () => {
  f.readModel.setRevenueForecast(forecast(123_400));
  const res = await get('/v1/forecast/revenue');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    segment: null, model_version: 'prophet-1', generated_at: '2024-07-01T00:00:00.000Z', segments_as_of: null, currency: 'USD', granularity: 'week',
    granularities: ['week'], interval_level: null, backtest: null,
    points: [
      { period_start: '2024-07-01T00:00:00.000Z', expected_minor: 123_400, lower_minor: 100_000, upper_minor: 150_000 },
      { period_start: '2024-07-08T00:00:00.000Z', expected_minor: 99_000, lower_minor: null, upper_minor: null },
    ],
  });
});

test('?segment= serves that segment\'s forecast, and 404 for a segment without one', async () => {
  f.readModel.setRevenueForecast({ ...forecast(55_500), segmentsAsOfMs: start - 1 }, 'at_risk');
  const res = await get('/v1/forecast/revenue?segment=at_risk');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().segment, 'at_risk');
  assert.equal(res.json().segments_as_of, '2024-06-30T23:59:59.999Z', 'when its customers were in the segment');
  assert.equal(res.json().points[0].expected_minor, 55_500);
  assert.equal((await get('/v1/forecast/revenue')).json().points[0].expected_minor, 123_400, 'the total is another forecast');

  const none = await get('/v1/forecast/revenue?segment=lost');
  assert.equal(none.statusCode, 404);
  assert.equal(none.json().error.code, 'API_NO_FORECAST');
  assert.match(none.json().error.message, /no revenue forecast for segment lost/);

  f.readModel.setRevenueForecast(null, 'at_risk');
  assert.equal((await get('/v1/forecast/revenue?segment=at_risk')).statusCode, 404, 'a later run that skipped the segment removes it');
});

test('?period=: a daily forecast per day, week or month (its sums with their intervals); a weekly one per week only (404 otherwise)', async () => {
  const day = (i: number) => start + i * 86_400_000;
  const daily: RevenueForecast = {
    modelVersion: 'prophet-2', generatedAtMs: start, currency: 'USD', granularity: 'day', intervalLevel: 0.8,
    points: Array.from({ length: 31 }, (_, i) => ({ periodStartMs: day(i), expectedMinor: 1000, lowerMinor: 800, upperMinor: 1200 })),
    totals: {
      week: [{ periodStartMs: day(0), expectedMinor: 7000, lowerMinor: 6500, upperMinor: 7500 }],
      month: [{ periodStartMs: day(0), expectedMinor: 31_000, lowerMinor: 30_000, upperMinor: 32_000 }],
    },
    backtest: { fromMs: start - 90 * 86_400_000, toMs: start, months: 3, monthlyMape: 0.125, totalRelativeError: -0.05 },
  };
  f.readModel.setRevenueForecast(daily);
  const month = (await get('/v1/forecast/revenue?period=month')).json();
  assert.deepEqual(month.points, [{ period_start: '2024-07-01T00:00:00.000Z', expected_minor: 31_000, lower_minor: 30_000, upper_minor: 32_000 }]);
  assert.equal(month.granularity, 'month');
  assert.deepEqual(month.granularities, ['day', 'week', 'month']);
  assert.equal(month.interval_level, 0.8);
  assert.deepEqual(month.backtest, { from: '2024-04-02T00:00:00.000Z', to: '2024-07-01T00:00:00.000Z', months: 3, monthly_mape: 0.125, total_relative_error: -0.05 });
  assert.equal((await get('/v1/forecast/revenue?period=week')).json().points[0].expected_minor, 7000);
  assert.equal((await get('/v1/forecast/revenue?period=day')).json().points.length, 31);
  assert.equal((await get('/v1/forecast/revenue')).json().granularity, 'day', 'default: its own');

  f.readModel.setRevenueForecast(forecast(123_400));
  const res = await get('/v1/forecast/revenue?period=month');
  assert.equal(res.statusCode, 404, 'schema-valid: not a 400, there is no forecast per month');
  assert.deepEqual(res.json().error, { code: 'API_NO_FORECAST', message: 'no revenue forecast per month: this forecast is per week; ask per week' });
});

test('400 with a message for an unknown segment or parameter', async () => {
  for (const [url, message] of [
    ['/v1/forecast/revenue?segment=vip', /querystring\/segment must be one of new, high_value, medium_value, low_value, at_risk, lost/],
    ['/v1/forecast/revenue?segment=', /querystring\/segment must be one of/],
    ['/v1/forecast/revenue?region=eu', /unknown property region/],
    ['/v1/forecast/revenue?period=year', /querystring\/period must be one of day, week, month/],
  ] as const) {
    const res = await get(url);
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json().error.code, 'API_BAD_REQUEST', url);
    assert.match(res.json().error.message, message, url);
  }
});
