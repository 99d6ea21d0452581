import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { perCustomerWindowForecast, horizonStretch } from '../evaluation/model-evaluation-per-customer.js';
import { evaluationWindow } from '../evaluation/model-evaluation-window.js';
import { trainCustomerValueModel } from '../models/kinds/train-customer-value-model.js';
import { cdnowAvailable, cdnowSkipMessage, readCdnowDays } from './support/cdnow.js';

const FILE = 'CDNOW_sample.txt';
const skip = cdnowAvailable(FILE) ? false : cdnowSkipMessage(FILE);
const settings = { version: 't', periodDays: 7, horizonMonths: 12, monthlyDiscountRate: 0.01, atRiskPAlive: 0.3, lostPAlive: 0.1, newCustomerDays: 30, oneTimeBuyerAtRiskDays: 0, oneTimeBuyerLostDays: 0, minorPerUnit: 100 };

function fit() {
  const window = evaluationWindow(readCdnowDays(FILE), dayIndexOfDate('1997-09-30'), dayIndexOfDate('1998-06-30'), 7, 100);
  return { window, model: trainCustomerValueModel(window.inputs, settings) };
}

test('CDNOW_sample holdout: each value is BG/NBD expected purchases × Gamma-Gamma spend (fit at the r of FHL 2005)', { skip }, () => {
  const { window, model } = fit();
  assert.ok(Math.abs(model.bgnbd.params.r - 0.243) < 0.001, 'FHL 2005 r');
  const f = perCustomerWindowForecast(model, window);
  assert.equal(f.values.length, 2357);
  for (const i of [0, 100, 2000]) {
    const e = model.expectedOver(window.inputs[i], 39);
    assert.equal(f.values[i], e.purchases * e.avgValue);
  }
});

test('the monthly shape is the aggregate expectation per month: it falls as the cohort dies out', { skip }, () => {
  const { window, model } = fit();
  const f = perCustomerWindowForecast(model, window);
  assert.equal(f.dailyShape.length, window.endDay - window.cutDay);
  const total = f.values.reduce((a, b) => a + b, 0);
  const shapeTotal = f.dailyShape.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(shapeTotal - total) < 1e-6 * total, `${shapeTotal} vs ${total}`); // cumulative at the last month end = the window
  const oct = f.dailyShape[0]; // per-day value in October
  const jun = f.dailyShape[f.dailyShape.length - 1]; // in June
  assert.ok(jun < oct && jun > 0, `${oct} → ${jun}`);
});

test('horizon stretch from 13 to 39 weeks lies between 1 and 3, and is 1 for the same horizon', { skip }, () => {
  const { window, model } = fit();
  const s = horizonStretch(model, window, 13);
  assert.ok(s.every((v) => v >= 1 - 1e-12 && v <= 3 + 1e-12));
  assert.ok(s.some((v) => v < 2.5) && s.some((v) => v > 2.5), 'customers decay at different rates');
  assert.ok(horizonStretch(model, window, 39).every((v) => v === 1));
});
