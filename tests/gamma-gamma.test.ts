import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClvError } from '../core/errors.js';
import { fitGammaGamma, FittedGammaGamma } from '../models/gamma-gamma/gamma-gamma.js';
import { spendColumns, totalWeight } from '../models/rfm-columns.js';
import { cdnowSampleCalibration, CDNOW_SAMPLE } from './support/cdnow-fits.js';
import { cdnowSkipMessage } from './support/cdnow.js';
import { readFixture, relativeError } from './support/fixtures.js';
import { simulateCustomers } from './support/simulate.js';

const diagnostics = { converged: true, iterations: 0, evaluations: 0, customers: 0 };

test('matches Fader-Hardie 2013 CDNOW parameters p=6.25, q=3.74, γ=15.44 on 946 repeat customers', (t) => {
  const cdnow = cdnowSampleCalibration();
  if (cdnow === null) return t.skip(cdnowSkipMessage(CDNOW_SAMPLE));
  // Convention: mean of the repeat purchase days' totals (first day excluded), x > 0 only.
  assert.equal(totalWeight(cdnow.spend), 946);
  const model = fitGammaGamma(cdnow.spend);
  assert.equal(model.params.p.toFixed(2), '6.25');
  assert.equal(model.params.q.toFixed(2), '3.74');
  assert.equal(model.params.gamma.toFixed(2), '15.44');
  assert.equal(model.diagnostics.customers, 946);
  assert.equal(model.diagnostics.converged, true);
});

test('recovers the parameters of simulated spend (10,000 customers, seeded)', () => {
  const truth = { p: 4, q: 5, gamma: 20 };
  const inputs = simulateCustomers(10_000, 3, { r: 2, alpha: 4, a: 0.5, b: 5 }, [30, 40], truth);
  const model = fitGammaGamma(spendColumns(inputs));
  for (const key of ['p', 'q', 'gamma'] as const) {
    assert.ok(Math.abs(model.params[key] / truth[key] - 1) < 0.2, `${key}: ${model.params[key]} vs ${truth[key]}`);
  }
});

test('conditional expected value matches lifetimes conditional_expected_average_profit (eq. 5)', () => {
  const ref = readFixture<{ gammaGamma: { p: number; q: number; gamma: number }; customers: { x: number; m: number; expectedAverageValue: number | null }[] }>('lifetimes-reference.json');
  const model = new FittedGammaGamma(ref.gammaGamma, 0, diagnostics);
  for (const c of ref.customers) {
    if (c.expectedAverageValue === null) continue;
    assert.ok(relativeError(model.conditionalExpectedAverageValue(c.x, c.m), c.expectedAverageValue) < 1e-12, `x = ${c.x}`);
  }
});

test('is the population mean pγ/(q−1) for x = 0 and moves toward the customer mean as x grows', () => {
  const model = new FittedGammaGamma({ p: 6.25, q: 3.74, gamma: 15.44 }, 0, diagnostics);
  const population = (6.25 * 15.44) / 2.74;
  assert.ok(Math.abs(model.populationMeanValue - population) < 1e-12);
  assert.equal(model.conditionalExpectedAverageValue(0, 999), population);
  const few = model.conditionalExpectedAverageValue(1, 100);
  const many = model.conditionalExpectedAverageValue(200, 100);
  assert.ok(few > population && few < many && many < 100);
  const huge = model.conditionalExpectedAverageValue(500, 1e12);
  assert.ok(Number.isFinite(huge) && huge > 0);
});

test('refuses to fit without repeat customers, and when q ≤ 1 (infinite mean spend)', () => {
  const isInsufficient = (e: unknown) => e instanceof ClvError && e.code === 'CLV_INSUFFICIENT_DATA';
  assert.throws(() => fitGammaGamma(spendColumns([{ frequency: 0, monetaryValue: 0 }, { frequency: 3, monetaryValue: 0 }])), isInsufficient);
  // Mean values spread over ten orders of magnitude: only q < 1 fits.
  const heavy = Array.from({ length: 400 }, (_, i) => ({ frequency: 1 + (i % 3), monetaryValue: 10 ** ((i % 40) / 4) }));
  assert.throws(() => fitGammaGamma(spendColumns(heavy)), isInsufficient);
});

test('round-trips through JSON and rejects malformed models', () => {
  const model = new FittedGammaGamma({ p: 6.25, q: 3.74, gamma: 15.44 }, -4055.9, diagnostics);
  const copy = FittedGammaGamma.fromJSON(JSON.parse(JSON.stringify(model)));
  assert.deepEqual(copy.toJSON(), model.toJSON());
  assert.throws(() => FittedGammaGamma.fromJSON({ model: 'bg-nbd', version: 1, params: {} }), TypeError);
  assert.throws(() => FittedGammaGamma.fromJSON({ model: 'gamma-gamma', version: 1, params: { p: 1, q: 0.5, gamma: 1 } }), RangeError);
});

test('rejects impossible inputs instead of returning NaN', () => {
  const model = new FittedGammaGamma({ p: 6.25, q: 3.74, gamma: 15.44 }, 0, diagnostics);
  assert.throws(() => model.conditionalExpectedAverageValue(-1, 3), RangeError);
  assert.throws(() => model.conditionalExpectedAverageValue(2, NaN), RangeError);
});
