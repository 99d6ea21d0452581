import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdoutMetrics } from '../models/metrics/holdout-metrics.js';
import type { HoldoutMetrics } from '../evaluation/holdout-evaluation.js';
import { decidePromotion } from '../training/promotion-decision.js';

const actual = [0, 10, 20, 0, 50];
/** Metrics of predictions off by `error` for every customer: MAE = error. */
function metricsWithMae(error: number): HoldoutMetrics {
  const value = holdoutMetrics(actual.map((a) => a + error), actual);
  return {
    periods: 13, customers: actual.length, predictedPurchasesTotal: 0, actualPurchasesTotal: 0,
    predictedValueTotal: value.predictedTotal, actualValueTotal: value.actualTotal, value, purchases: value,
  };
}

test('with no champion the challenger is promoted', () => {
  assert.deepEqual(decidePromotion(metricsWithMae(5), null, 0.02), { promote: true, reason: 'no champion to beat' });
});

test('the challenger must lower holdout value MAE by the margin', () => {
  assert.equal(metricsWithMae(9).value.meanAbsoluteError, 9);
  const wins = decidePromotion(metricsWithMae(9.7), metricsWithMae(10), 0.02);
  assert.equal(wins.promote, true, wins.reason);
  const tooClose = decidePromotion(metricsWithMae(9.9), metricsWithMae(10), 0.02);
  assert.equal(tooClose.promote, false);
  assert.match(tooClose.reason, /holdout value MAE 9\.9000 vs champion 10\.0000.*needs 9\.8000 or less \(CLV_PROMOTION_MARGIN 0\.02\)/);
  assert.equal(decidePromotion(metricsWithMae(11), metricsWithMae(10), 0.02).promote, false, 'worse');
});

test('a margin of zero still needs a strict improvement', () => {
  assert.equal(decidePromotion(metricsWithMae(10), metricsWithMae(10), 0).promote, false);
  assert.equal(decidePromotion(metricsWithMae(9.99), metricsWithMae(10), 0).promote, true);
});

test('--force promotes a worse challenger and says so', () => {
  const d = decidePromotion(metricsWithMae(12), metricsWithMae(10), 0.02, true);
  assert.equal(d.promote, true);
  assert.match(d.reason, /^forced \(holdout value MAE 12\.0000 vs champion 10\.0000\)/);
});
