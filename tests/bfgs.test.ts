import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bfgs } from '../models/optimize/bfgs.js';
import { withNumericalGradient } from '../models/optimize/numerical-gradient.js';
import { beale, logBarrier, rosenbrock, scaledQuadratic } from './support/test-functions.js';

function assertNear(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `x[${i}] = ${actual[i]}, expected ${expected[i]} ± ${tolerance}`);
  }
}

test('finds the Rosenbrock minimum (1, 1) from the classic start (−1.2, 1) with analytic gradients', () => {
  const r = bfgs(rosenbrock, [-1.2, 1]);
  assert.equal(r.converged, true);
  assertNear(r.x, [1, 1], 1e-6);
  assert.ok(r.fx < 1e-12);
  assert.equal(r.method, 'bfgs');
});

test('finds the 6-dimensional Rosenbrock minimum', () => {
  const r = bfgs(rosenbrock, [-1.2, 1, -1.2, 1, -1.2, 1]);
  assert.equal(r.converged, true);
  assertNear(r.x, [1, 1, 1, 1, 1, 1], 1e-6);
});

test('finds the Rosenbrock minimum with central-difference gradients', () => {
  const r = bfgs(withNumericalGradient((x) => rosenbrock(x, null)), [-1.2, 1], { gradientTolerance: 1e-7 });
  assert.equal(r.converged, true);
  assertNear(r.x, [1, 1], 1e-5);
});

test('finds the Beale minimum (3, 0.5)', () => {
  const r = bfgs(beale, [1, 1]);
  assert.equal(r.converged, true);
  assertNear(r.x, [3, 0.5], 1e-6);
});

test('handles an ill-conditioned quadratic (condition number 1e4)', () => {
  const r = bfgs(scaledQuadratic, [5, 5, 5, 5, 5]);
  assert.equal(r.converged, true);
  assertNear(r.x, [0, 1, 2, 3, 4], 1e-7);
});

test('treats NaN outside the domain as +∞ and backs off', () => {
  const r = bfgs(logBarrier, [20, 0.01, 3]);
  assert.equal(r.converged, true);
  assertNear(r.x, [1, 1, 1], 1e-7);
});

test('reports non-convergence, not an exception, when the start is outside the domain', () => {
  const r = bfgs(logBarrier, [-1, 1]);
  assert.equal(r.converged, false);
  assert.equal(r.fx, Infinity);
});

test('stops at the iteration cap with converged = false', () => {
  const r = bfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
  assert.equal(r.converged, false);
  assert.equal(r.iterations, 3);
});
