import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignSegment, type SegmentThresholds } from '../core/segmentation.js';

const t: SegmentThresholds = { highClvMinor: 10_000, mediumClvMinor: 3_000, atRiskPAlive: 0.5, lostPAlive: 0.2, newCustomerDays: 60, oneTimeBuyerAtRiskDays: null, oneTimeBuyerLostDays: null };
const c = (clvMinor: number, pAlive: number, purchaseDays = 3, ageDays = 200) => ({ clvMinor, pAlive, purchaseDays, ageDays });

test('segments follow CLV thresholds and probability alive', () => {
  assert.equal(assignSegment(c(20_000, 0.9), t), 'high_value');
  assert.equal(assignSegment(c(5_000, 0.9), t), 'medium_value');
  assert.equal(assignSegment(c(100, 0.9), t), 'low_value');
  assert.equal(assignSegment(c(20_000, 0.4), t), 'at_risk');
  assert.equal(assignSegment(c(20_000, 0.1), t), 'lost');
});

test('a recent one-time buyer is new, an old one is not', () => {
  assert.equal(assignSegment(c(500, 1, 1, 10), t), 'new');
  assert.equal(assignSegment(c(500, 1, 1, 90), t), 'low_value');
});

test('hysteresis: a score wobbling around a threshold keeps its segment', () => {
  // 5% under the high threshold, with a 10% margin: stays high.
  assert.equal(assignSegment(c(9_500, 0.9), t, 'high_value', 0.1), 'high_value');
  // 15% under: moves.
  assert.equal(assignSegment(c(8_500, 0.9), t, 'high_value', 0.1), 'medium_value');
  // Rising from medium needs to clear the threshold by the margin too.
  assert.equal(assignSegment(c(10_500, 0.9), t, 'medium_value', 0.1), 'medium_value');
  assert.equal(assignSegment(c(11_500, 0.9), t, 'medium_value', 0.1), 'high_value');
  // At risk near the p-alive cut-off stays at risk.
  assert.equal(assignSegment(c(20_000, 0.52), t, 'at_risk', 0.1), 'at_risk');
  assert.equal(assignSegment(c(20_000, 0.6), t, 'at_risk', 0.1), 'high_value');
});

test('without a margin the current segment does not matter', () => {
  assert.equal(assignSegment(c(9_500, 0.9), t, 'high_value', 0), 'medium_value');
});

test('a one-time buyer silent past the learned lapse is at risk, then lost, whatever the model says', () => {
  const lapsing: SegmentThresholds = { ...t, oneTimeBuyerAtRiskDays: 120, oneTimeBuyerLostDays: 200 };
  assert.equal(assignSegment(c(20_000, 1, 1, 30), lapsing), 'new');
  assert.equal(assignSegment(c(20_000, 1, 1, 119), lapsing), 'high_value');
  assert.equal(assignSegment(c(20_000, 1, 1, 120), lapsing), 'at_risk');
  assert.equal(assignSegment(c(20_000, 1, 1, 120), lapsing, 'high_value', 0.1), 'at_risk', 'no hysteresis against a lapse');
  assert.equal(assignSegment(c(20_000, 1, 1, 200), lapsing), 'lost');
  // The model's own lost is never softened to the lapse's at risk.
  assert.equal(assignSegment(c(20_000, 0.1, 1, 150), lapsing), 'lost');
  // Repeat buyers are the model's business.
  assert.equal(assignSegment(c(20_000, 0.9, 2, 500), lapsing), 'high_value');
  // Versions trained before the lapse have none.
  assert.equal(assignSegment(c(20_000, 1, 1, 5000), t), 'high_value');
});
