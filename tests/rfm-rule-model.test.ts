import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config/config.js';
import { assignSegment } from '../core/segmentation.js';
import { RfmRuleModel, rfmRuleModelFrom } from '../models/kinds/rfm-rule-model.js';

const thresholds = { highClvMinor: 20_000, mediumClvMinor: 5_000, atRiskPAlive: 0.5, lostPAlive: 0.2, newCustomerDays: 60, oneTimeBuyerAtRiskDays: null, oneTimeBuyerLostDays: null };
const rules = new RfmRuleModel({ horizonMonths: 12, monthlyDiscountRate: 0, thresholds });
/** A customer buying every `gap` days, `x` repeats, silent for `silence` days; inputs in days. */
const customer = (x: number, gap: number, silence: number, spend = 50) => ({ asOfDay: 0, frequency: x, recency: x * gap, T: x * gap + silence, monetaryValue: spend });

test('alive while silent no longer than their own gap, then decaying as exp(-(s - g) / g)', () => {
  assert.equal(rules.predict(customer(4, 10, 10)).pAlive, 1);
  assert.equal(rules.predict(customer(4, 10, 20)).pAlive, Math.exp(-1));
  assert.ok(Math.abs(rules.predict(customer(4, 30, 60)).pAlive - Math.exp(-1)) < 1e-12, 'relative to each customer\'s rhythm');
});

test('CLV is the historical repeat rate over the horizon times mean spend, scaled by p_alive', () => {
  const p = rules.predict(customer(4, 10, 0));
  // 4 repeats in 40 days over a 365-day horizon, $50 each, undiscounted.
  assert.equal(rules.horizonDays, 365);
  assert.ok(Math.abs(p.expectedPurchases - 36.5) < 1e-9);
  assert.ok(Math.abs(p.clv - 36.5 * 50) < 1e-9);
  const quiet = rules.predict(customer(4, 10, 30));
  assert.ok(Math.abs(quiet.clv - (4 / 70) * 365 * 50 * Math.exp(-2)) < 1e-9);
});

test('a one-time buyer has no value yet and decays against the default 90-day gap', () => {
  const p = rules.predict(customer(0, 0, 45));
  assert.deepEqual([p.pAlive, p.clv], [1, 0]);
  assert.ok(rules.predict(customer(0, 0, 200)).pAlive < 0.5);
});

test('segments: a regular buyer is high value, then at risk and lost as the silence grows', () => {
  const seg = (silence: number) => {
    const input = customer(6, 14, silence, 80);
    const p = rules.predict(input);
    return assignSegment({ clvMinor: Math.round(p.clv * 100), pAlive: p.pAlive, purchaseDays: 7, ageDays: input.T }, thresholds);
  };
  assert.deepEqual([seg(7), seg(30), seg(45)], ['high_value', 'at_risk', 'lost']);
});

test('from the config: version rfm-rules, thresholds from CLV_RULES_* in minor units', () => {
  const m = rfmRuleModelFrom(loadConfig({ CLV_RULES_MEDIUM_CLV: '40', CLV_RULES_HIGH_CLV: '150' }));
  assert.equal(m.version, 'rfm-rules');
  assert.equal(m.periodDays, 1);
  assert.deepEqual([m.thresholds.mediumClvMinor, m.thresholds.highClvMinor], [4000, 15000]);
});
