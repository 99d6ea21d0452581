import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClvError } from '../core/errors.js';
import { BGNBD_PARAM_BOUNDS, fitBgNbd, FittedBgNbd } from '../models/bgnbd/bgnbd.js';
import { ClvScorer } from '../models/clv/customer-lifetime-value.js';
import { rfmColumns } from '../models/rfm-columns.js';
import { cdnowSampleCalibration, CDNOW_SAMPLE } from './support/cdnow-fits.js';
import { cdnowSkipMessage } from './support/cdnow.js';
import { simulateCustomers } from './support/simulate.js';

test('matches Fader-Hardie-Lee 2005 CDNOW parameters r=0.243, α=4.414, a=0.793, b=2.426', (t) => {
  const cdnow = cdnowSampleCalibration();
  if (cdnow === null) return t.skip(cdnowSkipMessage(CDNOW_SAMPLE));
  assert.equal(cdnow.customers.length, 2357);
  const model = fitBgNbd(cdnow.rfm);
  const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  for (const [key, value] of Object.entries(published)) {
    const fitted = model.params[key as keyof typeof published];
    // Published to 3 decimals: equal after rounding, i.e. within half a unit of the last digit.
    assert.equal(fitted.toFixed(3), value.toFixed(3), `${key} = ${fitted}`);
    assert.ok(Math.abs(fitted - value) <= 0.0005, `${key} = ${fitted}`);
  }
  assert.equal(model.diagnostics.converged, true);
  assert.equal(model.diagnostics.customers, 2357);
});

test('matches Fader-Hardie-Lee 2005 CDNOW log-likelihood −9582.4', (t) => {
  const cdnow = cdnowSampleCalibration();
  if (cdnow === null) return t.skip(cdnowSkipMessage(CDNOW_SAMPLE));
  assert.equal(fitBgNbd(cdnow.rfm).logLikelihood.toFixed(1), '-9582.4');
});

test('matches the paper\'s conditional expectation 1.226 for x=2, t_x=30.43, T=38.86 over 39 weeks', (t) => {
  const cdnow = cdnowSampleCalibration();
  if (cdnow === null) return t.skip(cdnowSkipMessage(CDNOW_SAMPLE));
  const model = fitBgNbd(cdnow.rfm);
  assert.equal(model.conditionalExpectedPurchases(39, 2, 30.43, 38.86).toFixed(3), '1.226');
});

test('recovers the parameters of simulated BG/NBD customers (20,000, seeded)', () => {
  const truth = { r: 0.5, alpha: 6, a: 0.8, b: 3 };
  const model = fitBgNbd(rfmColumns(simulateCustomers(20_000, 42, truth, [20, 52])));
  assert.equal(model.diagnostics.converged, true);
  for (const key of ['r', 'alpha', 'a', 'b'] as const) {
    assert.ok(Math.abs(model.params[key] / truth[key] - 1) < 0.25, `${key}: ${model.params[key]} vs ${truth[key]}`);
  }
});

test('the penalty shrinks the parameters (lifetimes penalizer_coef)', () => {
  const data = rfmColumns(simulateCustomers(3000, 7, { r: 0.5, alpha: 6, a: 0.8, b: 3 }, [20, 52]));
  const plain = fitBgNbd(data);
  const penalised = fitBgNbd(data, { penalizerCoef: 0.1 });
  const size = (m: FittedBgNbd) => Object.values(m.params).reduce((s, v) => s + v * v, 0);
  assert.ok(size(penalised) < size(plain));
  assert.ok(penalised.logLikelihood < plain.logLikelihood);
});

test('round-trips through JSON', () => {
  const model = new FittedBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, -9582.4, { converged: true, iterations: 3, evaluations: 9, customers: 2357 });
  const copy = FittedBgNbd.fromJSON(JSON.parse(JSON.stringify(model)));
  assert.deepEqual(copy.toJSON(), model.toJSON());
  assert.equal(copy.conditionalExpectedPurchases(39, 2, 30.43, 38.86), model.conditionalExpectedPurchases(39, 2, 30.43, 38.86));
});

test('fromJSON rejects other models and impossible parameters', () => {
  assert.throws(() => FittedBgNbd.fromJSON({ model: 'gamma-gamma', version: 1, params: {} }), TypeError);
  assert.throws(() => FittedBgNbd.fromJSON(null), TypeError);
  assert.throws(() => FittedBgNbd.fromJSON({ model: 'bg-nbd', version: 1, params: { r: 1, alpha: -1, a: 1, b: 1 } }), RangeError);
});

test('refuses to fit without customers or without any repeat purchase', () => {
  assert.throws(() => fitBgNbd(rfmColumns([])), (e: unknown) => e instanceof ClvError && e.code === 'CLV_INSUFFICIENT_DATA');
  assert.throws(() => fitBgNbd(rfmColumns([{ frequency: 0, recency: 0, T: 5 }])), (e: unknown) => e instanceof ClvError && e.code === 'CLV_INSUFFICIENT_DATA');
});

test('rejects impossible histories and horizons instead of returning NaN', () => {
  const model = new FittedBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 0, { converged: true, iterations: 0, evaluations: 0, customers: 0 });
  assert.throws(() => model.probabilityAlive(1, 5, 4), RangeError);
  assert.throws(() => model.conditionalExpectedPurchases(-1, 1, 2, 4), RangeError);
  assert.throws(() => model.expectedPurchases(NaN), RangeError);
});

test('columns without a weight column fit exactly like unit weights', () => {
  const data = rfmColumns(simulateCustomers(2000, 5, { r: 0.5, alpha: 6, a: 0.8, b: 3 }, [20, 52]), { compress: false });
  const unweighted = fitBgNbd({ frequency: data.frequency, recency: data.recency, T: data.T });
  assert.deepEqual(unweighted.params, fitBgNbd(data).params);
});

test('fits customers who never drop out (NBD): the optimum runs off along the no-dropout ridge, stays within the bounds, and every derived value is finite', () => {
  // p ~ Beta(1e-3, 1e12): dropout practically never happens, so a → 0 or a, b → ∞ fit best.
  for (const seed of [1, 3]) {
    const customers = simulateCustomers(5000, seed, { r: 0.5, alpha: 10, a: 1e-3, b: 1e12 }, [20, 60], { p: 6, q: 4, gamma: 15 });
    const model = fitBgNbd(rfmColumns(customers));
    const { r, alpha, a, b } = model.params;
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      const [lo, hi] = BGNBD_PARAM_BOUNDS[key];
      assert.ok(model.params[key] >= lo && model.params[key] <= hi, `${key} = ${model.params[key]}`);
    }
    assert.ok(a / (a + b) < 1e-4, `seed ${seed}: a = ${a}, b = ${b} is not the no-dropout limit`);
    assert.ok(Math.abs(r / 0.5 - 1) < 0.15 && Math.abs(alpha / 10 - 1) < 0.15, `seed ${seed}: r = ${r}, α = ${alpha}`);
    assert.ok(Number.isFinite(model.logLikelihood));
    const scorer = new ClvScorer(model, { p: 6, q: 4, gamma: 15 });
    for (const c of customers.slice(0, 500)) {
      const s = scorer.score(c);
      for (const [k, v] of Object.entries(s)) assert.ok(Number.isFinite(v) && v >= 0, `seed ${seed}: ${k} = ${v} for ${JSON.stringify(c)}`);
      const e = model.conditionalExpectedPurchases(52, c.frequency, c.recency, c.T);
      // Without dropout a customer buys (r+x)/(α+T) a period on average.
      const nbd = ((r + c.frequency) * 52) / (alpha + c.T);
      assert.ok(Number.isFinite(e) && e <= nbd * (1 + 1e-12) && e > 0.999 * nbd, `seed ${seed}: ${e} vs NBD ${nbd}`);
    }
    assert.ok(Number.isFinite(model.expectedPurchases(52)));
  }
});

test('a fit with an interior optimum stays clear of the bounds (the wall is zero inside them)', () => {
  const model = fitBgNbd(rfmColumns(simulateCustomers(3000, 7, { r: 0.5, alpha: 6, a: 0.8, b: 3 }, [20, 52])));
  for (const key of ['r', 'alpha', 'a', 'b'] as const) {
    const [lo, hi] = BGNBD_PARAM_BOUNDS[key];
    assert.ok(model.params[key] > 10 * lo && model.params[key] < hi / 10, `${key} = ${model.params[key]}`);
  }
});
