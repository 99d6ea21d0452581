import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decileMape,
  holdoutMetrics,
  meanAbsoluteError,
  normalizedGini,
  rootMeanSquaredError,
  spearmanCorrelation,
  topDecileCapture,
} from '../models/metrics/holdout-metrics.js';
import { readFixture, relativeError } from './support/fixtures.js';

interface Case {
  predicted: number[];
  actual: number[];
  predictedTotal: number;
  actualTotal: number;
  meanAbsoluteError: number;
  rootMeanSquaredError: number;
  spearman: number;
  normalizedGini: number;
  topDecileCapture: number;
  decileMape: number;
}
const { cases } = readFixture<{ cases: Case[] }>('holdout-metrics.json');

test('matches numpy/scipy (spearmanr, Kaggle normalized Gini, top decile, decile MAPE) on generated data', () => {
  for (const c of cases) {
    const m = holdoutMetrics(Float64Array.from(c.predicted), c.actual);
    assert.equal(m.customers, c.actual.length);
    for (const key of ['predictedTotal', 'actualTotal', 'meanAbsoluteError', 'rootMeanSquaredError', 'spearman', 'normalizedGini', 'topDecileCapture', 'decileMape'] as const) {
      assert.ok(relativeError(m[key] as number, c[key]) < 1e-12, `${key}: ${m[key]} vs ${c[key]}`);
    }
    assert.ok(relativeError(m.aggregateRelativeError as number, (c.predictedTotal - c.actualTotal) / c.actualTotal) < 1e-12);
  }
});

test('hand-computed values on a small example', () => {
  const predicted = [3, 1, 2, 0];
  const actual = [2, 2, 4, 0];
  assert.equal(meanAbsoluteError(predicted, actual), 1); // (1 + 1 + 2 + 0) / 4
  assert.equal(rootMeanSquaredError(predicted, actual), Math.sqrt(1.5));
  // Ranks: predicted 4,2,3,1; actual (ties averaged) 2.5,2.5,4,1; ρ = Pearson of the ranks.
  const rp = [4, 2, 3, 1];
  const ra = [2.5, 2.5, 4, 1];
  const mean = 2.5;
  const cov = rp.reduce((s, r, i) => s + (r - mean) * (ra[i] - mean), 0);
  const vp = rp.reduce((s, r) => s + (r - mean) ** 2, 0);
  const va = ra.reduce((s, r) => s + (r - mean) ** 2, 0);
  assert.ok(Math.abs((spearmanCorrelation(predicted, actual) as number) - cov / Math.sqrt(vp * va)) < 1e-15);
});

test('a perfect ordering has normalized Gini 1, the reversed one a negative Gini', () => {
  const actual = [5, 0, 3, 9, 1, 0, 2];
  assert.ok(Math.abs((normalizedGini(actual, actual) as number) - 1) < 1e-15);
  assert.ok((normalizedGini(actual.map((v) => -v), actual) as number) < 0);
});

test('a constant prediction scores like random order (ties are averaged, not taken in input order)', () => {
  const actual = Array.from({ length: 100 }, (_, i) => (i < 10 ? 50 : 1));
  const flat = new Array(100).fill(7);
  assert.ok(Math.abs(normalizedGini(flat, actual) as number) < 1e-12);
  assert.ok(Math.abs((topDecileCapture(flat, actual) as number) - 0.1) < 1e-12);
  assert.equal(spearmanCorrelation(flat, actual), null);
});

test('top-decile capture counts the top n/10 customers by prediction', () => {
  const predicted = Array.from({ length: 20 }, (_, i) => 20 - i);
  const actual = Array.from({ length: 20 }, (_, i) => (i < 2 ? 10 : 1));
  assert.equal(topDecileCapture(predicted, actual), 20 / 38);
});

test('decile MAPE skips groups with no actual value', () => {
  const predicted = Array.from({ length: 10 }, (_, i) => 10 - i);
  const actual = [10, 0, 8, 0, 0, 0, 0, 0, 0, 0];
  // Groups of one: |10−10|/10 and |8−8|/8, the others are left out.
  assert.equal(decileMape(predicted, actual), 0);
});

test('undefined metrics are null, never NaN', () => {
  const m = holdoutMetrics([], []);
  assert.equal(m.meanAbsoluteError, null);
  assert.equal(m.spearman, null);
  assert.equal(m.aggregateRelativeError, null);
  const zero = holdoutMetrics([1, 2], [0, 0]);
  assert.equal(zero.normalizedGini, null);
  assert.equal(zero.topDecileCapture, null);
  assert.equal(zero.decileMape, null);
  for (const v of Object.values(zero)) assert.ok(v === null || Number.isFinite(v));
});

test('rejects unequal lengths and non-finite values', () => {
  assert.throws(() => holdoutMetrics([1], [1, 2]), RangeError);
  assert.throws(() => meanAbsoluteError([NaN], [1]), RangeError);
});

test('holdoutMetrics, sorting twice, equals each metric computed on its own, ties included', () => {
  // Many ties on both sides (rounded values), so the ranks derived from the descending orders are exercised.
  let seed = 5;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const predicted = Array.from({ length: 3000 }, () => Math.round(random() * 40) / 4);
  const actual = Array.from({ length: 3000 }, (_, i) => (random() < 0.6 ? 0 : Math.round(predicted[i] * random() * 3)));
  const all = holdoutMetrics(predicted, actual);
  assert.equal(all.spearman, spearmanCorrelation(predicted, actual));
  assert.equal(all.normalizedGini, normalizedGini(predicted, actual));
  assert.equal(all.topDecileCapture, topDecileCapture(predicted, actual));
  assert.equal(all.decileMape, decileMape(predicted, actual));
  assert.ok(all.spearman !== null && all.spearman > 0.05, String(all.spearman));
});
