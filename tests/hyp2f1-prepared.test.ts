import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hyp2f1 } from '../models/special-functions/hyp2f1.js';
import { prepareHyp2f1 } from '../models/special-functions/hyp2f1-prepared.js';
import { readFixture, relativeError } from './support/fixtures.js';

const zs = [0, 1e-9, 0.05, 0.2, 0.45, 0.5, 0.55, 0.62, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.999999];

test('agrees with hyp2f1 to 1e-12 on BG/NBD Euler-form parameters for x = 0…1000', () => {
  const [r, a, b] = [0.242594, 0.792922, 2.425906];
  for (const x of [0, 1, 2, 3, 5, 10, 30, 100, 1000]) {
    const f = prepareHyp2f1(a + b - 1 - r, a - 1, a + b + x - 1);
    for (const z of zs) {
      const expected = hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
      assert.ok(relativeError(f(z), expected) < 1e-12, `x = ${x}, z = ${z}: ${f(z)} vs ${expected}`);
    }
  }
});

test('matches the mpmath values of the BG/NBD fixture to 1e-10', () => {
  const { cases } = readFixture<{ cases: { a: number; b: number; c: number; z: number; value: number; case: string }[] }>('hyp2f1.json');
  for (const c of cases.filter((k) => k.case === 'bgnbd-euler')) {
    assert.ok(relativeError(prepareHyp2f1(c.a, c.b, c.c)(c.z), c.value) < 1e-10, `${c.c}, ${c.z}`);
  }
});

test('agrees with the closed form 2F1(1,1;2;z) = −ln(1−z)/z, where c − a − b is an integer', () => {
  const f = prepareHyp2f1(1, 1, 2);
  for (const z of zs.slice(1)) assert.ok(relativeError(f(z), -Math.log1p(-z) / z) < 1e-11, `z = ${z}`);
});

test('agrees with hyp2f1 when c − a − b is nearly an integer (falls back to it)', () => {
  for (const [a, b, c] of [[0.5, 0.5, 1 + 1e-7], [0.3, -0.2, 3.1 + 2e-4]]) {
    const f = prepareHyp2f1(a, b, c);
    for (const z of zs) assert.ok(relativeError(f(z), hyp2f1(a, b, c, z)) < 1e-11, `${a}, ${b}, ${c}, ${z}`);
  }
});

test('agrees with hyp2f1 on other small parameters, including terminating series', () => {
  for (const [a, b, c] of [[2.3, 0.4, 1.1], [-0.6, 1.7, 0.35], [-3, 2, 1.5], [1.2, -0.4, 7.9]]) {
    const f = prepareHyp2f1(a, b, c);
    for (const z of zs) assert.ok(relativeError(f(z), hyp2f1(a, b, c, z)) < 1e-12, `${a}, ${b}, ${c}, ${z}`);
  }
});

test('minusOne is 2F1 − 1 to relative accuracy, also where 2F1 is within 1e-9 of 1', () => {
  // 2F1(1, 1; 2; z) − 1 = Σ_{k≥1} z^k/(k+1).
  const f = prepareHyp2f1(1, 1, 2);
  for (const z of [1e-12, 1e-9, 1e-5, 0.01, 0.3, 0.62, 0.9, 0.999]) {
    let exact = 0;
    let power = 1;
    for (let k = 1; k < 100_000; k++) {
      power *= z;
      exact += power / (k + 1);
      if (power < 1e-18 * exact) break;
    }
    assert.ok(relativeError(f.minusOne(z), exact) < 1e-12, `z = ${z}: ${f.minusOne(z)} vs ${exact}`);
  }
  const g = prepareHyp2f1(1.976234, -0.207078, 2.218828);
  for (const z of [1e-10, 0.05, 0.7, 0.95]) assert.ok(Math.abs(g.minusOne(z) - (hyp2f1(1.976234, -0.207078, 2.218828, z) - 1)) < 1e-13, `z = ${z}`);
});

test('stays on the series where the 1−z transformation would cancel (a, b, c ≈ 14, 3, 19: terms 1e8 × the sum)', () => {
  // All terms of this series are positive, so its plain sum is accurate to ~1e-15.
  const [a, b, c] = [13.78, 2.99, 19.09];
  const f = prepareHyp2f1(a, b, c);
  for (const z of [0.55, 0.712, 0.8, 0.9, 0.95]) {
    let term = 1;
    let sum = 1;
    for (let n = 0; n < 20_000 && term > 1e-18 * sum; n++) {
      term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
      sum += term;
    }
    assert.ok(relativeError(f(z), sum) < 1e-12, `z = ${z}: ${f(z)} vs ${sum}`);
  }
});
