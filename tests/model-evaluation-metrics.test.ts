import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { windowMetricsJson } from '../evaluation/model-evaluation-metrics.js';
import { evaluationWindow } from '../evaluation/model-evaluation-window.js';

// Two customers known at 1997-10-31; November: a spends 30.00, December: b spends 90.00.
const d = dayIndexOfDate;
const byCustomer = new Map([
  ['a', new Map([[d('1997-10-01'), 100], [d('1997-11-10'), 3000]])],
  ['b', new Map([[d('1997-10-02'), 100], [d('1997-12-10'), 9000]])],
]);
const window = evaluationWindow(byCustomer, d('1997-10-31'), d('1997-12-31'), 7, 100);

test('holdout keys of today plus the monthly MAPE of the total spread by the shape', () => {
  // Predicts the right total (120) split evenly per day: November gets 30/61 of it.
  const m = windowMetricsJson({ values: Float64Array.from([40, 80]), dailyShape: new Float64Array(61).fill(1) }, window, 7);
  assert.equal(m.predicted_value_total, 120);
  assert.equal(m.actual_value_total, 120);
  assert.equal(m.value_error, 0);
  assert.equal(m.spearman_value, 1);
  assert.equal(m.predicted_purchases_total, null);
  assert.equal(m.actual_purchases_total, 2);
  assert.deepEqual(m.months.map((x) => x.month), ['1997-11', '1997-12']);
  const nov = (120 * 30) / 61;
  assert.ok(Math.abs(m.months[0].predicted_value - nov) < 1e-9);
  const expected = (Math.abs(nov - 30) / 30 + Math.abs(120 - nov - 90) / 90) / 2;
  assert.ok(Math.abs(m.period_mape! - expected) < 1e-12, `${m.period_mape} vs ${expected}`);
  assert.equal(m.periods, 61 / 7);
});

test('purchase keys are filled when the model predicts purchases', () => {
  const m = windowMetricsJson({ values: Float64Array.from([40, 80]), dailyShape: new Float64Array(61).fill(1) }, window, 7, [1, 2]);
  assert.equal(m.predicted_purchases_total, 3);
  assert.equal(m.purchases_error, 0.5);
});
