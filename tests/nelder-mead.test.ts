import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nelderMead } from '../models/optimize/nelder-mead.js';
import { beale, logBarrier, rosenbrock } from './support/test-functions.js';

test('finds the Rosenbrock minimum (1, 1) from (−1.2, 1) without derivatives', () => {
  const r = nelderMead((x) => rosenbrock(x, null), [-1.2, 1]);
  assert.equal(r.converged, true);
  assert.equal(r.method, 'nelder-mead');
  assert.ok(Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] - 1) < 1e-6, `x = ${r.x}`);
});

test('finds the 4-dimensional Rosenbrock minimum (adaptive coefficients)', () => {
  const r = nelderMead((x) => rosenbrock(x, null), [-1.2, 1, -1.2, 1], { maxIterations: 20_000 });
  assert.equal(r.converged, true);
  for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-5, `x = ${r.x}`);
});

test('finds the Beale minimum (3, 0.5)', () => {
  const r = nelderMead((x) => beale(x, null), [1, 1]);
  assert.ok(Math.abs(r.x[0] - 3) < 1e-6 && Math.abs(r.x[1] - 0.5) < 1e-6, `x = ${r.x}`);
});

test('treats NaN as +∞', () => {
  const r = nelderMead((x) => logBarrier(x, null), [0.05, 4]);
  assert.ok(Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] - 1) < 1e-6, `x = ${r.x}`);
});

test('stops at the iteration cap with converged = false', () => {
  const r = nelderMead((x) => rosenbrock(x, null), [-1.2, 1], { maxIterations: 5 });
  assert.equal(r.converged, false);
  assert.equal(r.iterations, 5);
});
