import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionalExpectedPurchases, expectedPurchases, probabilityAlive, type BgNbdParams } from '../models/bgnbd/bgnbd-expectation.js';
import { readFixture, relativeError } from './support/fixtures.js';

interface Reference {
  bgnbd: BgNbdParams;
  customers: { x: number; tx: number; T: number; pAlive: number; conditional39: number; conditional52: number }[];
  unconditional: { t: number; value: number }[];
  extremes: { x: number; tx: number; T: number; t: number; conditional: number; pAlive: number }[];
}
const ref = readFixture<Reference>('lifetimes-reference.json');
const p = ref.bgnbd;

interface Extreme {
  expectation: { label: string; r: number; alpha: number; a: number; b: number; x: number; tx: number; T: number; t: number; pAlive: number; conditional: number }[];
  unconditional: { r: number; alpha: number; a: number; b: number; t: number; value: number }[];
}
const extreme = readFixture<Extreme>('bgnbd-extreme.json');
const params = (c: { r: number; alpha: number; a: number; b: number }): BgNbdParams => ({ r: c.r, alpha: c.alpha, a: c.a, b: c.b });

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

test('matches mpmath (90 digits) for extreme parameters: a, b up to 1e9, r and α from 1e-4 to 1e4, x up to 1000', () => {
  const labels = new Set<string>();
  for (const c of extreme.expectation) {
    labels.add(c.label);
    const pa = probabilityAlive(params(c), c.x, c.tx, c.T);
    const ce = conditionalExpectedPurchases(params(c), c.t, c.x, c.tx, c.T);
    // P(alive) = 1/(1 + e^L): its relative error is that of L, ~1e-16 |L| (|L| up to ~700).
    assert.ok(relativeError(pa, c.pAlive) < 1e-12, `P(alive) ${c.label} ${JSON.stringify(c)}: ${pa}`);
    assert.ok(relativeError(ce, c.conditional) < 1e-12, `E ${c.label} ${JSON.stringify(c)}: ${ce}`);
  }
  assert.deepEqual([...labels].sort(), ['a-near-1', 'concentrated', 'corner', 'nbd-limit', 'random', 'reported']);
  for (const c of extreme.unconditional) {
    assert.ok(relativeError(expectedPurchases(params(c), c.t), c.value) < 1e-12, `E[X(t)] ${JSON.stringify(c)}`);
  }
});

test('the reported runaway fit (a = 5153, b = 3.7e6) gives finite expectations close to the NBD ones', () => {
  const runaway = { r: 0.5147, alpha: 13.04, a: 5153, b: 3698000 };
  for (const [x, tx, T] of [[0, 0, 38], [2, 30, 38.8], [5, 60, 70]]) {
    const e = conditionalExpectedPurchases(runaway, 52, x, tx, T);
    const nbd = ((runaway.r + x) * 52) / (runaway.alpha + T);
    assert.ok(Number.isFinite(e) && e > 0.9 * nbd && e < nbd, `x = ${x}: ${e} vs NBD ${nbd}`);
  }
});

test('tends to the NBD, (r+x)/(α+T) · t, as a, b → ∞ with a/(a+b) → 0', () => {
  const [x, tx, T, t] = [4, 30, 40, 39];
  const nbd = ((0.5 + x) * t) / (10 + T);
  let previous = Infinity;
  for (const k of [2, 3, 5, 7, 9]) {
    const limit = { r: 0.5, alpha: 10, a: Math.pow(10, k / 2), b: Math.pow(10, k) };
    const gap = Math.abs(conditionalExpectedPurchases(limit, t, x, tx, T) / nbd - 1);
    assert.ok(gap < previous, `k = ${k}: ${gap}`);
    previous = gap;
  }
  assert.ok(previous < 1e-3);
  assert.ok(relativeError(conditionalExpectedPurchases({ r: 0.5, alpha: 10, a: 1e-4, b: 1e9 }, t, x, tx, T), nbd) < 1e-9);
});

test('properties over a grid of extreme parameters: finite, ≥ 0, non-decreasing in t, at most the no-dropout NBD value, P(alive) in [0, 1]', () => {
  let checked = 0;
  for (const r of [1e-4, 0.5, 1e4]) {
    for (const alpha of [1e-4, 10, 1e4]) {
      for (const a of [1e-4, 0.8, 1, 5153, 1e9]) {
        for (const b of [1e-4, 2.4, 3.7e6, 1e9]) {
          const q = { r, alpha, a, b };
          let previousX = 0;
          for (const t of [1e-3, 0.5, 52, 1000]) {
            const e = expectedPurchases(q, t);
            assert.ok(Number.isFinite(e) && e > 0 && e >= previousX && e <= ((r * t) / alpha) * (1 + 1e-12), `E[X(${t})] ${JSON.stringify(q)}: ${e}`);
            previousX = e;
          }
          for (const [x, tx, T] of [[0, 0, 0], [0, 0, 1e4], [3, 10, 40], [1000, 1e4, 1e4], [1, 0, 1e4], [50, 1e-3, 1e-3]]) {
            const pa = probabilityAlive(q, x, tx, T);
            assert.ok(pa >= 0 && pa <= 1, `P(alive) ${JSON.stringify(q)} ${[x, tx, T]}: ${pa}`);
            let previous = 0;
            for (const t of [1e-3, 0.5, 52, 1000]) {
              const e = conditionalExpectedPurchases(q, t, x, tx, T);
              const bound = (pa * (r + x) * t) / (alpha + T);
              assert.ok(Number.isFinite(e) && e >= 0 && e <= bound * (1 + 1e-12), `E ${JSON.stringify(q)} ${[x, tx, T, t]}: ${e} (bound ${bound})`);
              // Strictly increasing mathematically, but it saturates at P(alive)·E[1/p] in floating point.
              assert.ok(e >= previous && (pa === 0 || e > 0), `not increasing in t: ${JSON.stringify(q)} ${[x, tx, T, t]}: ${e} after ${previous}`);
              previous = e;
              checked++;
            }
          }
        }
      }
    }
  }
  assert.equal(checked, 3 * 3 * 5 * 4 * 6 * 4);
});
