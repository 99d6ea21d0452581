import { test } from 'node:test';
import assert from 'node:assert/strict';
import { betaDensityFront, incompleteBetaFromFront, logBeta, regularizedIncompleteBeta } from '../models/special-functions/incomplete-beta.js';
import { logAbsGamma } from '../models/special-functions/gamma-function.js';

/** P(Binomial(a+b−1, z) ≥ a): I_z(a, b) for integer a, b (A&S 26.5.24). */
function binomialTail(a: number, b: number, z: number): number {
  const n = a + b - 1;
  let sum = 0;
  for (let k = a; k <= n; k++) sum += Math.exp(logAbsGamma(n + 1) - logAbsGamma(k + 1) - logAbsGamma(n - k + 1) + k * Math.log(z) + (n - k) * Math.log1p(-z));
  return sum;
}

test('matches the binomial tail A&S 26.5.24 for integer a, b, on both sides of the switch point (small values relatively)', () => {
  for (const [a, b] of [[1, 1], [2, 5], [7, 3], [20, 40], [150, 90]]) {
    for (const z of [0.01, 0.2, 0.5, 0.63, 0.9, 0.999]) {
      const expected = binomialTail(a, b, z);
      const got = regularizedIncompleteBeta(a, b, z);
      // The binomial sum itself carries ~1e-13 of ln Γ rounding; small values are checked relatively.
      const ok = expected < 1e-3 ? Math.abs(got - expected) <= 1e-10 * expected : Math.abs(got - expected) < 1e-12;
      assert.ok(ok, `I_${z}(${a}, ${b}) = ${got}, expected ${expected}`);
    }
  }
});

test('closed forms I_z(a, 1) = z^a and I_z(1, b) = 1 − (1−z)^b for non-integer a, b', () => {
  for (const s of [0.3, 6.25, 41.7]) {
    for (const z of [0.05, 0.5, 0.95]) {
      assert.ok(Math.abs(regularizedIncompleteBeta(s, 1, z) - z ** s) < 1e-14, `I_${z}(${s}, 1)`);
      assert.ok(Math.abs(regularizedIncompleteBeta(1, s, z) - (1 - (1 - z) ** s)) < 1e-14, `I_${z}(1, ${s})`);
    }
  }
});

test('symmetry I_z(a, b) = 1 − I_(1−z)(b, a) and agreement with Simpson integration of the Beta density', () => {
  const a = 12.5;
  const b = 3.74;
  const lnB = logBeta(a, b);
  const density = (u: number) => Math.exp((a - 1) * Math.log(u) + (b - 1) * Math.log1p(-u) - lnB);
  for (const z of [0.3, 0.7, 0.8, 0.95]) {
    const steps = 20_000;
    const h = z / steps;
    let simpson = density(z);
    for (let i = 1; i < steps; i++) simpson += (i % 2 === 1 ? 4 : 2) * density(i * h);
    simpson *= h / 3;
    const got = regularizedIncompleteBeta(a, b, z);
    assert.ok(Math.abs(got - simpson) < 1e-10, `I_${z}: ${got} vs Simpson ${simpson}`);
    assert.ok(Math.abs(got - (1 - regularizedIncompleteBeta(b, a, 1 - z))) < 1e-14);
  }
});

test('front factor form equals the direct form; limits and domain', () => {
  const lnB = logBeta(31.25, 128.7);
  const z = 0.2;
  assert.equal(incompleteBetaFromFront(31.25, 128.7, z, betaDensityFront(31.25, 128.7, z, lnB)), regularizedIncompleteBeta(31.25, 128.7, z, lnB));
  assert.equal(regularizedIncompleteBeta(2, 3, 0), 0);
  assert.equal(regularizedIncompleteBeta(2, 3, 1), 1);
  assert.equal(regularizedIncompleteBeta(2, 3, -1), 0);
  // Far tails underflow to exactly 0 and 1, never NaN.
  assert.equal(regularizedIncompleteBeta(5000, 5000, 0.1), 0);
  assert.equal(regularizedIncompleteBeta(5000, 5000, 0.9), 1);
  assert.throws(() => regularizedIncompleteBeta(0, 1, 0.5), RangeError);
  assert.throws(() => regularizedIncompleteBeta(1, Infinity, 0.5), RangeError);
});
