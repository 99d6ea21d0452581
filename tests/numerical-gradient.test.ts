import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withNumericalGradient } from '../models/optimize/numerical-gradient.js';
import { beale, rosenbrock } from './support/test-functions.js';

test('central differences match the analytic gradients of Rosenbrock and Beale to 1e-7 relative', () => {
  for (const [f, x0] of [[rosenbrock, [-1.2, 1, 0.3]], [beale, [1.3, 0.4]], [rosenbrock, [2, -0.5, 1.5]]] as const) {
    const x = Float64Array.from(x0);
    const exact = new Float64Array(x.length);
    const approx = new Float64Array(x.length);
    const fx = f(x, exact);
    assert.equal(withNumericalGradient((v) => f(v, null))(x, approx), fx);
    for (let i = 0; i < x.length; i++) {
      assert.ok(Math.abs(approx[i] - exact[i]) <= 1e-7 * Math.max(1, Math.abs(exact[i])), `∂${i}: ${approx[i]} vs ${exact[i]}`);
    }
  }
});

test('restores x after differencing and skips the gradient when not asked', () => {
  let calls = 0;
  const f = withNumericalGradient((v) => {
    calls++;
    return v[0] * v[0];
  });
  const x = Float64Array.from([0.3]);
  f(x, null);
  assert.equal(calls, 1);
  f(x, new Float64Array(1));
  assert.equal(calls, 4);
  assert.equal(x[0], 0.3);
});
