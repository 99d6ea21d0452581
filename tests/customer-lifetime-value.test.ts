import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionalExpectedPurchases, probabilityAlive, type BgNbdParams } from '../models/bgnbd-expectation.js';
import { ClvScorer, customerLifetimeValue, emptyClvScore } from '../models/customer-lifetime-value.js';
import type { GammaGammaParams } from '../models/gamma-gamma.js';
import { readFixture, relativeError } from './support/fixtures.js';
import { simulateCustomers } from './support/simulate.js';

interface Reference {
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  customers: { x: number; tx: number; T: number; m: number; clvLifetimesW12: number }[];
}
const ref = readFixture<Reference>('lifetimes-reference.json');
const bg = ref.bgnbd;
const gg = ref.gammaGamma;
const DAYS_PER_MONTH = 365.25 / 12;

test('matches lifetimes customer_lifetime_value (freq="W": 4.345 weeks a month, 12 months, 1%/month)', () => {
  // lifetimes counts 4.345 weeks in a month; the same month length in our terms:
  const scorer = new ClvScorer(bg, gg, { horizonMonths: 12, monthlyDiscountRate: 0.01, periodDays: DAYS_PER_MONTH / 4.345 });
  for (const c of ref.customers) {
    const s = scorer.score({ frequency: c.x, recency: c.tx, T: c.T, monetaryValue: c.m });
    assert.ok(relativeError(s.clv, c.clvLifetimesW12) < 1e-9, `x = ${c.x}: ${s.clv} vs ${c.clvLifetimesW12}`);
  }
});

test('without discounting, CLV = E[Y(H months)] (FHL eq. 10) × expected value, and P(alive) is the BG/NBD one', () => {
  const scorer = new ClvScorer(bg, gg, { horizonMonths: 6, monthlyDiscountRate: 0 });
  for (const [x, tx, T, m] of [[0, 0, 30, 0], [2, 30.43, 38.86, 22.345], [9, 12, 40, 80], [300, 38, 38, 25]]) {
    const s = scorer.scoreInto(emptyClvScore(), x, tx, T, m);
    const expected = conditionalExpectedPurchases(bg, (6 * DAYS_PER_MONTH) / 7, x, tx, T);
    assert.ok(relativeError(s.expectedPurchases, expected) < 1e-11, `x = ${x}`);
    assert.ok(relativeError(s.clv, expected * s.expectedAverageValue) < 1e-11, `x = ${x}`);
    assert.ok(relativeError(s.probabilityAlive, probabilityAlive(bg, x, tx, T)) < 1e-15);
  }
});

test('the (x, T) cache changes nothing: a reused scorer equals a fresh scorer per customer', () => {
  const customers = simulateCustomers(500, 11, { r: 0.5, alpha: 5, a: 0.8, b: 2.5 }, [1, 60], { p: 6, q: 4, gamma: 15 });
  // Repeat T values so that the cache is hit, and many x so that slots collide.
  for (let i = 0; i < customers.length; i++) customers[i].T = Math.max(customers[i].recency, Math.round(customers[i].T));
  const reused = new ClvScorer(bg, gg);
  for (const round of [0, 1]) {
    for (const c of customers) {
      const a = reused.score(c);
      const b = customerLifetimeValue(bg, gg, c);
      assert.deepEqual(a, b, `round ${round}, ${JSON.stringify(c)}`);
    }
  }
});

test('is the same whether the models are in weeks or in days (α and times scale by 7)', () => {
  const weekly = new ClvScorer(bg, gg, { periodDays: 7 });
  const daily = new ClvScorer({ ...bg, alpha: bg.alpha * 7 }, gg, { periodDays: 1 });
  for (const [x, tx, T, m] of [[0, 0, 30, 0], [2, 30.43, 38.86, 22.345], [12, 20, 21, 50]]) {
    const w = weekly.scoreInto(emptyClvScore(), x, tx, T, m);
    const d = daily.scoreInto(emptyClvScore(), x, tx * 7, T * 7, m);
    assert.ok(relativeError(d.clv, w.clv) < 1e-12 && relativeError(d.probabilityAlive, w.probabilityAlive) < 1e-12);
  }
});

test('is never NaN or ∞ for extreme customers (x in the hundreds, t_x = T, T tiny, x = 0, huge spend)', () => {
  const scorers = [new ClvScorer(bg, gg), new ClvScorer(bg, gg, { horizonMonths: 120, monthlyDiscountRate: 0 }), new ClvScorer({ ...bg, alpha: 1e-3 }, gg)];
  for (const scorer of scorers) {
    for (const [x, tx, T, m] of [
      [0, 0, 0, 0], [0, 0, 1e-9, 0], [1, 1e-9, 1e-9, 5], [500, 80, 80, 40], [500, 1, 80, 40],
      [2000, 1000, 1000, 1e9], [3, 0, 500, 1e12], [150, 0.5, 0.5, 10], [1, 0, 1e6, 3],
    ]) {
      const s = scorer.scoreInto(emptyClvScore(), x, tx, T, m);
      for (const [k, v] of Object.entries(s)) assert.ok(Number.isFinite(v) && v >= 0, `${k} = ${v} for ${[x, tx, T, m]}`);
      assert.ok(s.probabilityAlive <= 1);
    }
  }
});

test('is finite and continuous when a = 1 (0/0 in eq. 10)', () => {
  const at = (a: number) => new ClvScorer({ ...bg, a }, gg).scoreInto(emptyClvScore(), 3, 20, 30, 40).clv;
  const exact = at(1);
  assert.ok(Number.isFinite(exact));
  assert.ok(relativeError(exact, 0.5 * (at(1.001) + at(0.999))) < 1e-6);
});

test('a higher discount rate or a shorter horizon lowers CLV', () => {
  const score = (o: object) => new ClvScorer(bg, gg, o).scoreInto(emptyClvScore(), 4, 30, 38, 30).clv;
  assert.ok(score({ monthlyDiscountRate: 0.05 }) < score({ monthlyDiscountRate: 0.01 }));
  assert.ok(score({ horizonMonths: 6 }) < score({ horizonMonths: 12 }));
});

test('rejects impossible customers, options and spend models', () => {
  const scorer = new ClvScorer(bg, gg);
  assert.throws(() => scorer.scoreInto(emptyClvScore(), 1, 5, 4, 10), RangeError);
  assert.throws(() => scorer.scoreInto(emptyClvScore(), NaN, 0, 4, 10), RangeError);
  assert.throws(() => scorer.scoreInto(emptyClvScore(), 1, 0, 4, Infinity), RangeError);
  assert.throws(() => new ClvScorer(bg, gg, { horizonMonths: 0 }), RangeError);
  assert.throws(() => new ClvScorer(bg, gg, { monthlyDiscountRate: -0.1 }), RangeError);
  assert.throws(() => new ClvScorer(bg, gg, { periodDays: 0 }), RangeError);
  assert.throws(() => new ClvScorer(bg, { ...gg, q: 0.9 }), RangeError);
  assert.throws(() => new ClvScorer({ ...bg, r: NaN }, gg), RangeError);
});
