import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config/config.js';
import { dayIndexOfDate } from '../core/calendar.js';
import { backtestFolds } from '../evaluation/backtest-folds.js';
import { runBacktest, seasonalCycleUntested } from '../evaluation/model-backtest.js';
import { purchaseDaysByCustomer } from '../evaluation/model-evaluation-window.js';
import { trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { generateSyntheticHistory } from '../producers/synthetic/synthetic-history.js';

test('the seasonal model\'s yearly cycle is untested when the calibration period has two years and no fold origin has', () => {
  const first = 10_000;
  const twoYears = first + 729;
  assert.equal(seasonalCycleUntested(first, twoYears, backtestFolds(first, twoYears, 7)), 'its yearly cycle as estimated from two or more years (365 days of history before the latest origin)');
  const thirtyMonths = first + 912;
  assert.match(seasonalCycleUntested(first, thirtyMonths, backtestFolds(first, thirtyMonths, 7)) ?? '', /548 days of history before the latest origin/);
  // Less than two years: deployed and fold models have one season at most, the folds judge the cycle.
  const twentyMonths = first + 600;
  assert.equal(seasonalCycleUntested(first, twentyMonths, backtestFolds(first, twentyMonths, 7)), null);
  const oneDayShort = first + 728;
  assert.equal(seasonalCycleUntested(first, oneDayShort, backtestFolds(first, oneDayShort, 7)), null);
  // Three years: the latest origin has two years before it.
  const threeYears = first + 3 * 365 - 1;
  assert.equal(seasonalCycleUntested(first, threeYears, backtestFolds(first, threeYears, 7)), null);
});

test('on a two-year shop with a December peak the backtest says the cycle is untested, and the seasonal model is chosen for doing no harm', async () => {
  const h = generateSyntheticHistory({ customers: 4000, seed: 5, start: '2022-01-01', end: '2023-12-31', noise: { duplicateRate: 0, reorderRate: 0, lateRate: 0, invalidRate: 0, poisonRate: 0 } });
  const by = purchaseDaysByCustomer(h.truth.purchases.map((p) => ({ customerId: p.customerId, day: p.day, amountMinor: p.valueMinor })));
  const config = loadConfig({});
  const b = await runBacktest(by, dayIndexOfDate('2022-01-01'), dayIndexOfDate('2023-12-31'), { training: { ...trainingSettingsFrom(config, 'backtest-test'), periodDays: 7 }, holidays: config.holidays, lstm: { maxEpochs: 1, seed: 1 } });
  const row = b.selection.table.find((r) => r.model === 'seasonal')!;
  assert.match(row.why, /could not fit its yearly cycle as estimated from two or more years/);
  assert.equal(b.selection.champion, 'seasonal', b.selection.reason);
});
