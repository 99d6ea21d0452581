import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
before(async () => {
  f = await apiFixture({ customers: 10 });
});
after(() => f.app.close());

test('404 NO_FORECAST until a forecast exists', async () => {
  const res = await f.app.inject({ url: '/v1/forecast/revenue', headers: bearer(f.keys.read) });
  assert.equal(res.statusCode, 404);
  assert.deepEqual(res.json(), { error: { code: 'API_NO_FORECAST', message: 'no revenue forecast has been produced yet' } });
});

test('then the latest forecast, per period with its interval', async () => {
  const start = Date.UTC(2024, 6, 1);
  f.readModel.setRevenueForecast({
    modelVersion: 'prophet-1', generatedAtMs: start, currency: 'USD', granularity: 'week',
    points: [{ periodStartMs: start, expectedMinor: 123_400, lowerMinor: 100_000, upperMinor: 150_000 }, { periodStartMs: start + 7 * 86_400_000, expectedMinor: 99_000, lowerMinor: null, upperMinor: null }],
  });
  const res = await f.app.inject({ url: '/v1/forecast/revenue', headers: bearer(f.keys.read) });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    model_version: 'prophet-1', generated_at: '2024-07-01T00:00:00.000Z', currency: 'USD', granularity: 'week',
    points: [
      { period_start: '2024-07-01T00:00:00.000Z', expected_minor: 123_400, lower_minor: 100_000, upper_minor: 150_000 },
      { period_start: '2024-07-08T00:00:00.000Z', expected_minor: 99_000, lower_minor: null, upper_minor: null },
    ],
  });
});
