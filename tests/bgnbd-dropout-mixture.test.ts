import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DropoutMixture } from '../models/bgnbd/bgnbd-dropout-mixture.js';
import { digammaDifference, logGammaRatio } from '../models/special-functions/gamma-function.js';
import { prepareHyp2f1 } from '../models/special-functions/hyp2f1-prepared.js';
import { readFixture, relativeError } from './support/fixtures.js';

interface Extreme {
  expectation: { label: string; r: number; alpha: number; a: number; b: number; x: number; tx: number; T: number; t: number; pAlive: number; conditional: number }[];
  unconditional: { r: number; alpha: number; a: number; b: number; t: number; value: number }[];
  logGammaRatio: { x: number; d: number; value: number }[];
  digammaDifference: { y: number; d: number; value: number }[];
}
const ref = readFixture<Extreme>('bgnbd-extreme.json');

test('Q(s, u) matches mpmath to 1e-12 over the parameter box (a, b up to 1e9, u up to 1e7)', () => {
  for (const c of ref.expectation) {
    const q = new DropoutMixture(c.a, c.b + c.x).expected(c.r + c.x, c.t / (c.alpha + c.T));
    // conditional = P(alive) · Q; P(alive) may underflow to 0 (then there is nothing to compare).
    if (c.pAlive === 0) continue;
    const expected = c.conditional / c.pAlive;
    assert.ok(relativeError(q, expected) < 1e-12, `${c.label} ${JSON.stringify(c)}: ${q} vs ${expected}`);
  }
  for (const c of ref.unconditional) {
    const q = new DropoutMixture(c.a, c.b).expected(c.r, c.t / c.alpha);
    assert.ok(relativeError(q, c.value) < 1e-12, `${JSON.stringify(c)}: ${q}`);
  }
});

test('agrees with the closed form (a+b+x−1)/(a−1) · (1 − G) on CDNOW parameters', () => {
  const [r, alpha, a, b] = [0.242594, 4.413603, 0.792922, 2.425906];
  for (const x of [0, 1, 2, 7, 30]) {
    const f = prepareHyp2f1(a + b - 1 - r, a - 1, a + b + x - 1);
    const mixture = new DropoutMixture(a, b + x);
    for (const [T, t] of [[38, 39], [10, 1], [78, 52], [0.5, 200]]) {
      const z = t / (alpha + T + t);
      const closed = ((a + b + x - 1) / (a - 1)) * (1 - Math.pow(1 - z, a - 1) * f(z));
      assert.ok(relativeError(mixture.expected(r + x, t / (alpha + T)), closed) < 1e-12, `x = ${x}, T = ${T}, t = ${t}`);
    }
  }
});

test('limits: Q → su as a/(a+b) → 0 (NBD), Q → (1 − (1+μu)^−s)/μ as a, b → ∞ at a/(a+b) = μ', () => {
  const [s, u] = [2.5, 0.8];
  let previous = Infinity;
  for (const k of [2, 4, 6, 8]) {
    const gap = 1 - new DropoutMixture(Math.pow(10, k / 2), Math.pow(10, k)).expected(s, u) / (s * u);
    assert.ok(gap > 0 && gap < previous, `k = ${k}: ${gap}`);
    previous = gap;
  }
  assert.ok(previous < 1e-3);
  const mu = 0.3;
  const limit = -Math.expm1(-s * Math.log1p(mu * u)) / mu;
  for (const [n, tolerance] of [[1e6, 1e-5], [1e9, 1e-8]]) {
    const q = new DropoutMixture(mu * n, (1 - mu) * n).expected(s, u);
    assert.ok(relativeError(q, limit) < tolerance, `n = ${n}: ${q} vs ${limit}`);
  }
});

test('is 0 at u = 0, increasing in u (up to its limit E[1/p]), below su, and the same from a fresh or a reused (cached) grid', () => {
  for (const [a, b] of [[1e-4, 1e9], [5153, 3698000], [0.8, 2.4], [1e9, 1e-4], [1e-4, 1e-4], [1e9, 1e9], [1, 1]]) {
    const reused = new DropoutMixture(a, b);
    for (const s of [1e-4, 0.5, 30, 1e4]) {
      assert.equal(reused.expected(s, 0), 0);
      let previous = 0;
      for (const u of [1e-9, 1e-4, 0.01, 0.3, 1, 10, 1e3, 1e7]) {
        const q = reused.expected(s, u);
        // Strictly increasing mathematically; equal in floating point once saturated (su ≫ 1/p).
        assert.ok(Number.isFinite(q) && q >= previous && q > 0 && q <= s * u * (1 + 1e-15), `(${a}, ${b}) s = ${s}, u = ${u}: ${q} after ${previous}`);
        assert.equal(q, new DropoutMixture(a, b).expected(s, u));
        previous = q;
      }
    }
  }
});

test('is smooth in a through 1 (where the closed form is 0/0)', () => {
  const at = (a: number) => new DropoutMixture(a, 5.4).expected(3.24, 0.9);
  assert.ok(relativeError(at(1), 0.5 * (at(1 + 1e-4) + at(1 - 1e-4))) < 1e-8);
  assert.ok(relativeError(at(1 + 1e-12), at(1)) < 1e-11);
});

test('rejects a Beta without finite positive shapes', () => {
  for (const [a, b] of [[0, 1], [1, -1], [NaN, 1], [1, Infinity]]) assert.throws(() => new DropoutMixture(a, b), RangeError);
});

test('ln Γ(x+d) − ln Γ(x) and ψ(y+d) − ψ(y) match mpmath where plain differences lose digits', () => {
  for (const c of ref.logGammaRatio) {
    assert.ok(Math.abs(logGammaRatio(c.x, c.d) - c.value) <= 2e-15 * Math.max(1, Math.abs(c.value)), `(${c.x}, ${c.d}): ${logGammaRatio(c.x, c.d)} vs ${c.value}`);
  }
  for (const c of ref.digammaDifference) {
    assert.ok(relativeError(digammaDifference(c.y, c.d), c.value) < 1e-13, `(${c.y}, ${c.d}): ${digammaDifference(c.y, c.d)} vs ${c.value}`);
  }
});
