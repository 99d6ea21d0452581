import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minimize } from '../models/optimize/minimize.js';
import type { DifferentiableObjective } from '../models/optimize/objective.js';
import { rosenbrock } from './support/test-functions.js';

/** Two wells: a shallow one at x = −1 (f = 1) and the global one at x = 2 (f = 0). */
const twoWells: DifferentiableObjective = (x, g) => {
  const u = x[0];
  const f = ((u + 1) ** 2) * ((u - 2) ** 2) + (u - 2) ** 2 / 9;
  if (g) g[0] = 2 * (u + 1) * (u - 2) ** 2 + 2 * (u + 1) ** 2 * (u - 2) + (2 * (u - 2)) / 9;
  return f;
};

test('keeps the best of several starts (global well of a double well)', () => {
  const r = minimize(twoWells, [[-1.5], [3]]);
  assert.equal(r.converged, true);
  assert.ok(Math.abs(r.x[0] - 2) < 1e-6, `x = ${r.x[0]}`);
});

test('falls back to Nelder-Mead when BFGS cannot converge (kinked objective)', () => {
  // |x| + |y − 1|: BFGS stalls at the kink, Nelder-Mead does not need a gradient.
  const kinked: DifferentiableObjective = (x, g) => {
    if (g) {
      g[0] = Math.sign(x[0]);
      g[1] = Math.sign(x[1] - 1);
    }
    return Math.abs(x[0]) + Math.abs(x[1] - 1);
  };
  const r = minimize(kinked, [[0.3, 0.2]], { bfgs: { maxIterations: 50 } });
  assert.ok(r.fx < 1e-8, `fx = ${r.fx}`);
});

test('sums iterations and evaluations over starts', () => {
  const one = minimize(rosenbrock, [[-1.2, 1]]);
  const two = minimize(rosenbrock, [[-1.2, 1], [-1.2, 1]]);
  assert.equal(two.evaluations, 2 * one.evaluations);
  assert.equal(two.iterations, 2 * one.iterations);
});

test('rejects an empty list of starts', () => {
  assert.throws(() => minimize(rosenbrock, []), RangeError);
});
