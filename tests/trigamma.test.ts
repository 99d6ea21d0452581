import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trigamma } from '../models/special-functions/trigamma.js';
import { relativeError } from './support/fixtures.js';

test('matches the closed forms ψ′(1) = π²/6, ψ′(½) = π²/2, ψ′(2) = π²/6 − 1 (A&S 6.4.2, 6.4.4)', () => {
  assert.ok(relativeError(trigamma(1), Math.PI ** 2 / 6) < 1e-14);
  assert.ok(relativeError(trigamma(0.5), Math.PI ** 2 / 2) < 1e-14);
  assert.ok(relativeError(trigamma(2), Math.PI ** 2 / 6 - 1) < 1e-14);
});

test('satisfies the recurrence ψ′(x) − ψ′(x+1) = 1/x² across the switch to the asymptotic series', () => {
  for (const x of [0.01, 3.74, 9.5, 10, 31.25, 1e4]) assert.ok(relativeError(trigamma(x) - trigamma(x + 1), 1 / (x * x)) < 1e-10, `x = ${x}`);
  assert.ok(Number.isNaN(trigamma(0)));
  assert.ok(Number.isNaN(trigamma(-1)));
});
