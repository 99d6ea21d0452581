import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hyp2f1 } from '../models/hyp2f1.js';
import { prepareHyp2f1 } from '../models/hyp2f1-prepared.js';
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
