import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexer } from '../core/calendar.js';
import type { RevenueForecast } from '../core/ports/clv-read-model.js';
import { customerModelBacktest, liveForecastCheck } from '../read-model/champion-accuracy.js';

const DAY = 86_400_000;
const start = Date.UTC(2024, 0, 1);
const dayOf = dayIndexer('UTC');

test('the backtest training records (holdout.challenger, window), money to minor units', () => {
  const details = {
    window: { first_purchase: '2023-01-01T00:00:00.000Z', calibration_end: '2024-06-30T23:59:59.999Z', as_of: '2025-06-30T23:59:59.999Z', holdout_days: 365 },
    holdout: {
      promotion_metric: 'holdout value MAE',
      challenger: { customers: 9223, periods: 52.1, mae_value: 41.234, rmse_value: 99, value_error: -0.042, spearman_value: 0.61, gini_value: 0.7, top_decile_capture: 0.48, decile_mape: 0.2, purchases_error: 0.01, predicted_value_total: 123456.785, actual_value_total: 128000 },
      champion: null,
    },
  };
  assert.deepEqual(customerModelBacktest(details, 100), {
    calibrationEndMs: Date.parse('2024-06-30T23:59:59.999Z'), holdoutEndMs: Date.parse('2025-06-30T23:59:59.999Z'), holdoutDays: 365, customers: 9223,
    valueError: -0.042, spearman: 0.61, topDecileCapture: 0.48, meanAbsoluteErrorMinor: 4123, predictedValueMinor: 12_345_679, actualValueMinor: 12_800_000,
  });
  assert.equal(customerModelBacktest({ source: 'demo' }, 100), null, 'details without a backtest');
  assert.equal(customerModelBacktest(null, 100), null);
  const partial = customerModelBacktest({ holdout: { challenger: { customers: 10, spearman_value: null } } }, 100)!;
  assert.deepEqual([partial.spearman, partial.valueError, partial.calibrationEndMs], [null, null, null]);
});

const daily = (days: number, value: (i: number) => number): RevenueForecast => ({
  modelVersion: 'v1', generatedAtMs: start, currency: 'USD', granularity: 'day',
  points: Array.from({ length: days }, (_, i) => ({ periodStartMs: start + i * DAY, expectedMinor: value(i), lowerMinor: null, upperMinor: null })),
});

test('live: the forecast against each day\'s revenue over the window, per calendar month', () => {
  const forecast = daily(90, () => 1000);
  // January as forecast, February 20% above it.
  const actual = Array.from({ length: 60 }, (_, i) => ({ day: dayOf(start) + i, value: i < 31 ? 1000 : 1200 }));
  const check = liveForecastCheck(forecast, actual, { fromMs: start, toMs: Date.UTC(2024, 2, 1) }, dayOf)!;
  assert.equal(check.months, 2);
  assert.ok(Math.abs(check.monthlyMape! - (0 + 200 / 1200) / 2) < 1e-12);
  assert.ok(Math.abs(check.totalRelativeError! - (60_000 - (31_000 + 29 * 1200)) / (31_000 + 29 * 1200)) < 1e-12);
  assert.deepEqual([check.fromMs, check.toMs], [start, Date.UTC(2024, 2, 1)]);
  assert.equal(liveForecastCheck(forecast, actual, { fromMs: start, toMs: start }, dayOf), null, 'no month over yet');
});

test('live: a weekly forecast is spread over its days, as its backtest spreads it', () => {
  const weekly: RevenueForecast = { ...daily(0, () => 0), granularity: 'week', points: [0, 1, 2, 3, 4].map((w) => ({ periodStartMs: start + 7 * w * DAY, expectedMinor: 7000, lowerMinor: null, upperMinor: null })) };
  const actual = Array.from({ length: 31 }, (_, i) => ({ day: dayOf(start) + i, value: 1000 }));
  const check = liveForecastCheck(weekly, actual, { fromMs: start, toMs: Date.UTC(2024, 1, 1) }, dayOf)!;
  assert.equal(check.months, 1);
  assert.ok(Math.abs(check.monthlyMape!) < 1e-12, 'January: 31 days of 1000 forecast and booked');
});
