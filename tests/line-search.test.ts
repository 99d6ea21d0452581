import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strongWolfeLineSearch } from '../models/optimize/line-search.js';
import { logBarrier, rosenbrock } from './support/test-functions.js';

function searchFrom(f: typeof rosenbrock, x0: number[], d0: number[], step = 1) {
  const x = Float64Array.from(x0);
  const g = new Float64Array(x.length);
  const fx = f(x, g);
  const d = Float64Array.from(d0);
  const xOut = new Float64Array(x.length);
  const gOut = new Float64Array(x.length);
  const result = strongWolfeLineSearch(f, x, fx, g, d, step, xOut, gOut);
  return { x, g, fx, d, xOut, gOut, result };
}

test('the accepted step satisfies the strong Wolfe conditions (N&W eq. 3.7)', () => {
  const x0 = [-1.2, 1];
  const g0 = new Float64Array(2);
  rosenbrock(Float64Array.from(x0), g0);
  const { fx, g, d, gOut, result } = searchFrom(rosenbrock, x0, [-g0[0], -g0[1]], 1e-3);
  assert.equal(result.ok, true);
  const slope0 = g[0] * d[0] + g[1] * d[1];
  const slope = gOut[0] * d[0] + gOut[1] * d[1];
  assert.ok(result.fx <= fx + 1e-4 * result.step * slope0, 'sufficient decrease');
  assert.ok(Math.abs(slope) <= -0.9 * slope0, 'curvature');
});

test('leaves the accepted point and its gradient in the output buffers', () => {
  const { x, d, xOut, gOut, result } = searchFrom(rosenbrock, [0, 0], [1, 0]);
  assert.equal(result.ok, true);
  for (let i = 0; i < 2; i++) assert.equal(xOut[i], x[i] + result.step * d[i]);
  const g = new Float64Array(2);
  assert.equal(rosenbrock(xOut, g), result.fx);
  assert.deepEqual(Array.from(gOut), Array.from(g));
});

test('backs off from a step that leaves the domain (NaN counts as +∞)', () => {
  const { result, xOut } = searchFrom(logBarrier, [0.5], [-10]);
  // Any step ≥ 0.05 gives x ≤ 0; the search must settle inside.
  assert.equal(result.ok, false); // −10 is not a descent direction at x = 0.5 (f' = −1)
  const ascent = searchFrom(logBarrier, [3], [-10]);
  assert.equal(ascent.result.ok, true);
  assert.ok(ascent.xOut[0] > 0 && Number.isFinite(ascent.result.fx));
  void xOut;
});

test('refuses a direction that is not a descent direction', () => {
  const { result } = searchFrom(rosenbrock, [0, 0], [-1, 0]);
  assert.equal(result.ok, false);
  assert.equal(result.step, 0);
});
