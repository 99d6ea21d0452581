/**
 * GET /v1/models/champion/accuracy (api/routes/accuracy.ts): the champion's backtest as its
 * record holds it, and its revenue forecast's backtest and live check against the revenue the
 * purchase histories hold, over the months that are over.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import type { RevenueForecast } from '../core/ports/clv-read-model.js';
import type { CustomerPurchaseHistory, PurchasedOrder } from '../processors/features/customer-purchase-history.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

const DAY = 86_400_000;
const start = Date.UTC(2025, 0, 1);

let f: ApiFixture;
before(async () => {
  f = await apiFixture({ customers: 5 });
});
after(() => f.app.close());

const get = (key: string | null = f.keys.read) => f.app.inject({ url: '/v1/models/champion/accuracy', headers: key ? bearer(key) : {} });

test('the read scope', async () => {
  assert.equal((await get(null)).statusCode, 401);
  assert.equal((await get(f.keys.ingest)).json().error.code, 'API_FORBIDDEN');
});

test('a champion recorded without a backtest and no forecast: both null, the champion named', async () => {
  const body = (await get()).json();
  assert.deepEqual(body, {
    currency: 'USD', champion: { version: f.model.version, kind: 'bgnbd-gamma-gamma', trained_at: '2024-07-01T00:00:00.000Z' }, customer_model: null, revenue_forecast: null,
  });
});

test('the recorded backtest, and the forecast\'s backtest and live check over the months that are over', async () => {
  f.readModel.recordModel(f.model, {
    trainedAtMs: Date.UTC(2024, 11, 31),
    details: {
      window: { calibration_end: '2023-12-31T23:59:59.999Z', as_of: '2024-12-31T23:59:59.999Z', holdout_days: 366 },
      holdout: { challenger: { customers: 250, value_error: 0.031, spearman_value: 0.55, top_decile_capture: 0.41, mae_value: 12.5, predicted_value_total: 1000.5, actual_value_total: 970.25 } },
    },
  });
  // 90 days of 1,000 a day forecast; January booked as forecast, February at 1,200 a day, orders into mid-March.
  const forecast: RevenueForecast = {
    modelVersion: f.model.version, generatedAtMs: start, currency: 'USD', granularity: 'day',
    points: Array.from({ length: 90 }, (_, i) => ({ periodStartMs: start + i * DAY, expectedMinor: 1000, lowerMinor: 800, upperMinor: 1200 })),
    backtest: { fromMs: Date.UTC(2024, 9, 1), toMs: start, months: 3, monthlyMape: 0.12, totalRelativeError: 0.02 },
  };
  f.readModel.setRevenueForecast(forecast);
  const orders: PurchasedOrder[] = Array.from({ length: 74 }, (_, i) => ({
    orderId: `o${i}`, day: 0, time: start + i * DAY + 12 * 3_600_000, revision: 1, status: 'ACTIVE', net: i < 31 ? 1000 : 1200, categories: [], lines: [],
  }));
  const histories = new InMemoryStateStore<CustomerPurchaseHistory>();
  await histories.setMany(new Map([['A', { customerId: 'A', currency: 'USD', orders, compacted: null }]]));
  f.readModel.readRevenueFrom(histories);

  const body = (await get()).json();
  assert.equal(body.champion.trained_at, '2024-12-31T00:00:00.000Z');
  assert.deepEqual(body.customer_model, {
    measured: 'backtest', calibration_end: '2023-12-31T23:59:59.999Z', holdout_end: '2024-12-31T23:59:59.999Z', holdout_days: 366, customers: 250,
    value_error: 0.031, spearman: 0.55, top_decile_capture: 0.41, mean_absolute_error_minor: 1250, predicted_value_minor: 100_050, actual_value_minor: 97_025,
  });
  assert.deepEqual(body.revenue_forecast.backtest, { from: '2024-10-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z', months: 3, monthly_mape: 0.12, total_relative_error: 0.02 });
  const live = body.revenue_forecast.live;
  assert.deepEqual([live.from, live.to, live.months], ['2025-01-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z', 2], 'March is not over: the latest order is on the 15th');
  assert.ok(Math.abs(live.monthly_mape - (0 + 200 / 1200) / 2) < 1e-12, String(live.monthly_mape));
  assert.ok(Math.abs(live.total_relative_error - (59_000 - (31_000 + 28 * 1200)) / (31_000 + 28 * 1200)) < 1e-12, String(live.total_relative_error));
});
