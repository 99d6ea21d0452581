import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliveFuturePurchaseSurvival } from '../models/bgnbd/bgnbd-purchase-count-distribution.js';
import { conditionalExpectedPurchases, probabilityAlive, type BgNbdParams } from '../models/bgnbd/bgnbd-expectation.js';
import { readFixture, relativeError } from './support/fixtures.js';

const { bgnbd: p } = readFixture<{ bgnbd: BgNbdParams }>('lifetimes-reference.json');

function survivalOf(params: BgNbdParams, x: number, T: number, t: number, size = 20_001): { survival: Float64Array; last: number } {
  const survival = new Float64Array(size);
  return { survival, last: aliveFuturePurchaseSurvival(params, x, T, t, survival, 1e-12) };
}

test('P(alive) × Σ P(N ≥ n | alive) equals FHL 2005 eq. 10, E[Y(t) | x, t_x, T]', () => {
  const customers: [number, number, number][] = [[0, 0, 30], [2, 30.43, 38.86], [9, 12, 40], [25, 37, 38], [300, 38, 38]];
  for (const [x, tx, T] of customers) {
    for (const t of [1, 39, 52.18]) {
      const { survival, last } = survivalOf(p, x, T, t);
      let mean = 0;
      for (let n = 1; n <= last; n++) mean += survival[n];
      const expected = conditionalExpectedPurchases(p, t, x, tx, T);
      assert.ok(relativeError(probabilityAlive(p, x, tx, T) * mean, expected) < 1e-8, `(${x}, ${tx}, ${T}), t = ${t}: ${mean} vs ${expected}`);
    }
  }
});

test('first terms match the closed forms: P(N ≥ 1) = 1 − (β/(β+t))^s, P(N ≥ 2) = P(K ≥ 2) (b+x)/(a+b+x)', () => {
  const [x, T, t] = [3, 35, 52];
  const s = p.r + x;
  const beta = p.alpha + T;
  const none = (beta / (beta + t)) ** s;
  const one = none * s * (t / (beta + t));
  const { survival } = survivalOf(p, x, T, t);
  assert.equal(survival[0], 1);
  assert.ok(Math.abs(survival[1] - (1 - none)) < 1e-15);
  assert.ok(Math.abs(survival[2] - (1 - none - one) * ((p.b + x) / (p.a + p.b + x))) < 1e-15);
  for (let n = 1; n < 50; n++) assert.ok(survival[n + 1] <= survival[n], `decreasing at n = ${n}`);
});

test('a customer with thousands of purchases (P(K = 0) underflows) still sums to eq. 10', () => {
  const [x, tx, T, t] = [3000, 200, 200, 52];
  const { survival, last } = survivalOf(p, x, T, t);
  let mean = 0;
  for (let n = 1; n <= last; n++) mean += survival[n];
  assert.ok(Number.isFinite(mean) && mean > 100);
  assert.ok(relativeError(probabilityAlive(p, x, tx, T) * mean, conditionalExpectedPurchases(p, t, x, tx, T)) < 1e-8);
});

test('stops at the tolerance, or at the array end when that comes first', () => {
  const small = new Float64Array(4);
  assert.equal(aliveFuturePurchaseSurvival(p, 20, 30, 52, small, 1e-9), 3);
  const survival = new Float64Array(1000);
  const last = aliveFuturePurchaseSurvival(p, 0, 30, 52, survival, 1e-6);
  assert.ok(survival[last] >= 1e-6 && last < 999);
  assert.equal(aliveFuturePurchaseSurvival(p, 0, 30, 52, new Float64Array(10), 1.1), 0);
});
