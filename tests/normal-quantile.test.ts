import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalQuantile } from '../models/special-functions/normal-quantile.js';
import { relativeError } from './support/fixtures.js';

test('matches tabulated Φ⁻¹ (A&S 26.2) to Acklam’s 1.15e-9 relative, in the centre and both tails', () => {
  const table: [number, number][] = [
    [0.5, 0], [0.9, 1.2815515655446004], [0.975, 1.959963984540054], [0.1, -1.2815515655446004],
    [0.01, -2.3263478740408408], [0.999, 3.090232306167813], [1e-10, -6.361340902404056], [0.02, -2.053748910631823],
  ];
  for (const [u, z] of table) {
    const got = normalQuantile(u);
    assert.ok(z === 0 ? Math.abs(got) < 1e-12 : relativeError(got, z) < 1.2e-9, `Φ⁻¹(${u}) = ${got}, expected ${z}`);
  }
});

test('is odd about ½, infinite at 0 and 1, NaN outside [0, 1]', () => {
  for (const u of [0.001, 0.03, 0.3]) assert.ok(Math.abs(normalQuantile(u) + normalQuantile(1 - u)) < 1e-9);
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(1.5)));
  assert.ok(Number.isNaN(normalQuantile(-0.1)));
});
