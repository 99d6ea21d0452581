import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { loadConfig } from '../config/config.js';
import { assertTrainingReady, readinessShortfall } from '../training/training-readiness.js';

const thresholds = { minCustomers: 100, minRepeatCustomers: 30, minHistoryDays: 180 };
const enough = { customers: 2357, repeatCustomers: 900, historyDays: 545 };

test('data above every threshold is ready', () => {
  assert.equal(readinessShortfall(enough, thresholds), null);
  assert.doesNotThrow(() => assertTrainingReady(enough, thresholds));
});

test('each shortfall is refused as INSUFFICIENT_DATA naming the setting and the measured value', () => {
  const cases: Array<[Partial<typeof enough>, RegExp]> = [
    [{ customers: 99 }, /99 customers before the holdout, CLV_MIN_TRAINING_CUSTOMERS is 100/],
    [{ repeatCustomers: 29 }, /29 repeat customers before the holdout, CLV_MIN_REPEAT_CUSTOMERS is 30/],
    [{ historyDays: 179 }, /179 days of history, CLV_MIN_HISTORY_DAYS is 180/],
  ];
  for (const [change, message] of cases) {
    assert.throws(
      () => assertTrainingReady({ ...enough, ...change }, thresholds),
      (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INSUFFICIENT_DATA && message.test(e.message),
    );
  }
});

test('exactly at a threshold is enough', () => {
  assert.equal(readinessShortfall({ customers: 100, repeatCustomers: 30, historyDays: 180 }, thresholds), null);
});

test('config: readiness defaults, and a history minimum not longer than the holdout is refused', () => {
  const c = loadConfig({});
  assert.deepEqual([c.minTrainingCustomers, c.minRepeatCustomers, c.minHistoryDays, c.trainingHoldoutDays], [100, 30, 180, 90]);
  assert.throws(() => loadConfig({ CLV_MIN_HISTORY_DAYS: '90' }), /CLV_MIN_HISTORY_DAYS="90".*CLV_TRAINING_HOLDOUT_DAYS \(90\)/);
  assert.throws(() => loadConfig({ CLV_PROMOTION_MARGIN: '1.5' }), /CLV_PROMOTION_MARGIN/);
  assert.throws(() => loadConfig({ CLV_RULES_HIGH_CLV: '10', CLV_RULES_MEDIUM_CLV: '20' }), /CLV_RULES_HIGH_CLV/);
});
