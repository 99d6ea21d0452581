import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nonnegativeLeastSquares } from '../models/ensemble/nonnegative-least-squares.js';

// A deterministic pseudo-random sequence, so the planted data are the same on every run.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('recovers planted non-negative weights exactly from noise-free data', () => {
  const r = lcg(1);
  const a = Array.from({ length: 3 }, () => Float64Array.from({ length: 200 }, () => r() * 10));
  const y = Float64Array.from({ length: 200 }, (_, i) => 0.7 * a[0][i] + 0.2 * a[1][i] + 1.5 * a[2][i]);
  const fit = nonnegativeLeastSquares(a, y);
  [0.7, 0.2, 1.5].forEach((w, j) => assert.ok(Math.abs(fit.weights[j] - w) < 1e-9, `w${j} = ${fit.weights[j]}`));
  assert.ok(fit.residualSumOfSquares < 1e-12);
});

test('recovers planted weights to within 0.01 under uniform noise', () => {
  const r = lcg(2);
  const a = Array.from({ length: 2 }, () => Float64Array.from({ length: 5000 }, () => r() * 10));
  const y = Float64Array.from({ length: 5000 }, (_, i) => 0.6 * a[0][i] + 0.4 * a[1][i] + (r() - 0.5));
  const fit = nonnegativeLeastSquares(a, y);
  assert.ok(Math.abs(fit.weights[0] - 0.6) < 0.01 && Math.abs(fit.weights[1] - 0.4) < 0.01, String(fit.weights));
});

test('a column that would take a negative weight gets 0 and the others are refitted without it', () => {
  const r = lcg(3);
  const a = Array.from({ length: 2 }, () => Float64Array.from({ length: 300 }, () => r() * 10));
  const y = Float64Array.from({ length: 300 }, (_, i) => 2 * a[0][i] - 1 * a[1][i]);
  const fit = nonnegativeLeastSquares(a, y);
  assert.equal(fit.weights[1], 0);
  // The one-column least-squares weight: Σ a0·y / Σ a0².
  let ay = 0;
  let aa = 0;
  for (let i = 0; i < 300; i++) {
    ay += a[0][i] * y[i];
    aa += a[0][i] ** 2;
  }
  assert.ok(Math.abs(fit.weights[0] - ay / aa) < 1e-9);
});

test('collinear columns still give a feasible optimum', () => {
  const x = Float64Array.from({ length: 50 }, (_, i) => i + 1);
  const fit = nonnegativeLeastSquares([x, Float64Array.from(x, (v) => 2 * v)], Float64Array.from(x, (v) => 3 * v));
  assert.ok(fit.weights.every((w) => w >= 0));
  assert.ok(Math.abs(fit.weights[0] + 2 * fit.weights[1] - 3) < 1e-9, String(fit.weights));
});

test('an all-negative relation gives zero weights and the residual of predicting 0', () => {
  const x = Float64Array.from([1, 2, 3]);
  const fit = nonnegativeLeastSquares([x], Float64Array.from([-1, -2, -3]));
  assert.deepEqual(fit.weights, [0]);
  assert.equal(fit.residualSumOfSquares, 14);
});

test('rejects no column, unequal lengths and non-finite values', () => {
  assert.throws(() => nonnegativeLeastSquares([], [1]), RangeError);
  assert.throws(() => nonnegativeLeastSquares([[1, 2]], [1]), RangeError);
  assert.throws(() => nonnegativeLeastSquares([[1, NaN]], [1, 2]), RangeError);
  assert.throws(() => nonnegativeLeastSquares([[1, 2]], [1, Infinity]), RangeError);
});
