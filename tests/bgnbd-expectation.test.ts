import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionalExpectedPurchases, expectedPurchases, probabilityAlive, type BgNbdParams } from '../models/bgnbd-expectation.js';
import { readFixture, relativeError } from './support/fixtures.js';

interface Reference {
  bgnbd: BgNbdParams;
  customers: { x: number; tx: number; T: number; pAlive: number; conditional39: number; conditional52: number }[];
  unconditional: { t: number; value: number }[];
  extremes: { x: number; tx: number; T: number; t: number; conditional: number; pAlive: number }[];
}
const ref = readFixture<Reference>('lifetimes-reference.json');
const p = ref.bgnbd;

test('P(alive) matches lifetimes conditional_probability_alive', () => {
  for (const c of ref.customers) assert.ok(relativeError(probabilityAlive(p, c.x, c.tx, c.T), c.pAlive) < 1e-12, `x = ${c.x}`);
});

test('eq. 10 matches lifetimes conditional_expected_number_of_purchases_up_to_time', () => {
  for (const c of ref.customers) {
    assert.ok(relativeError(conditionalExpectedPurchases(p, 39, c.x, c.tx, c.T), c.conditional39) < 1e-10, `x = ${c.x}, t = 39`);
    assert.ok(relativeError(conditionalExpectedPurchases(p, 52, c.x, c.tx, c.T), c.conditional52) < 1e-10, `x = ${c.x}, t = 52`);
  }
});

test('eq. 9 matches lifetimes expected_number_of_purchases_up_to_time', () => {
  for (const u of ref.unconditional) assert.ok(relativeError(expectedPurchases(p, u.t), u.value) < 1e-10, `t = ${u.t}`);
});

test('matches eq. 10 at 50 digits (mpmath) for extreme customers: x in the hundreds, t_x = T, tiny T', () => {
  for (const e of ref.extremes) {
    const pa = probabilityAlive(p, e.x, e.tx, e.T);
    const ce = conditionalExpectedPurchases(p, e.t, e.x, e.tx, e.T);
    assert.ok(relativeError(pa, e.pAlive) < 1e-9, `P(alive) x = ${e.x}, t_x = ${e.tx}, T = ${e.T}: ${pa} vs ${e.pAlive}`);
    assert.ok(relativeError(ce, e.conditional) < 1e-9, `E x = ${e.x}, t_x = ${e.tx}, T = ${e.T}: ${ce} vs ${e.conditional}`);
  }
});

test('never NaN or ∞: P(alive) underflows to 0 and expectations stay finite', () => {
  for (const [x, tx, T, t] of [[5000, 0, 1000, 52], [5000, 1000, 1000, 1e6], [0, 0, 0, 1e9], [1, 0, 1e-12, 52], [200, 1e-9, 1e-6, 1]]) {
    const pa = probabilityAlive(p, x, tx, T);
    const ce = conditionalExpectedPurchases(p, t, x, tx, T);
    assert.ok(pa >= 0 && pa <= 1, `P(alive) = ${pa}`);
    assert.ok(Number.isFinite(ce) && ce >= 0, `E = ${ce} for ${[x, tx, T, t]}`);
  }
  assert.equal(probabilityAlive(p, 5000, 0, 1000), 0);
});

test('is continuous through a = 1, where (a+b+x−1)/(a−1) is 0/0', () => {
  const at = (a: number) => conditionalExpectedPurchases({ ...p, a }, 52, 3, 20, 30);
  const exact = at(1);
  assert.ok(Number.isFinite(exact));
  assert.ok(relativeError(exact, 0.5 * (at(1 + 1e-3) + at(1 - 1e-3))) < 1e-6);
  assert.ok(relativeError(at(1 + 5e-7), exact) < 1e-6);
  assert.ok(Number.isFinite(expectedPurchases({ ...p, a: 1 }, 10)));
});

test('is 0 over a zero horizon and grows with the horizon', () => {
  assert.equal(conditionalExpectedPurchases(p, 0, 2, 30, 38), 0);
  assert.equal(expectedPurchases(p, 0), 0);
  let previous = 0;
  for (const t of [1, 5, 20, 100, 1000]) {
    const v = conditionalExpectedPurchases(p, t, 2, 30, 38);
    assert.ok(v > previous);
    previous = v;
  }
});
