import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closedFormApplies, conditionalExpectedPurchases, dropoutMixture, probabilityAlive, type BgNbdParams } from '../models/bgnbd/bgnbd-expectation.js';
import { ClvScorer, customerLifetimeValue, emptyClvScore } from '../models/clv/customer-lifetime-value.js';
import type { GammaGammaParams } from '../models/gamma-gamma/gamma-gamma.js';
import { readFixture, relativeError } from './support/fixtures.js';
import { seededRandom, simulateCustomers } from './support/simulate.js';

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
    const s = scorer.score({ asOfDay: 0, frequency: c.x, recency: c.tx, T: c.T, monetaryValue: c.m });
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

interface ExtremeClv {
  clv: {
    bgnbd: BgNbdParams;
    gammaGamma: GammaGammaParams;
    options: { horizonMonths: number; monthlyDiscountRate: number; periodDays: number };
    customers: { x: number; tx: number; T: number; m: number; clv: number; expectedPurchases: number; probabilityAlive: number }[];
  };
}

test('scores the reported runaway fit (a = 5153, b = 3.7e6, where eq. 10 is 0 · ∞) as mpmath does', () => {
  const { clv } = readFixture<ExtremeClv>('bgnbd-extreme.json');
  const scorer = new ClvScorer(clv.bgnbd, clv.gammaGamma, clv.options);
  for (const c of clv.customers) {
    const s = scorer.score({ asOfDay: 0, frequency: c.x, recency: c.tx, T: c.T, monetaryValue: c.m });
    assert.ok(relativeError(s.clv, c.clv) < 1e-11, `x = ${c.x}: clv ${s.clv} vs ${c.clv}`);
    assert.ok(relativeError(s.expectedPurchases, c.expectedPurchases) < 1e-11, `x = ${c.x}: ${s.expectedPurchases} vs ${c.expectedPurchases}`);
    assert.ok(relativeError(s.probabilityAlive, c.probabilityAlive) < 1e-13, `x = ${c.x}`);
  }
});

test('uses the closed form for CDNOW-like fits and the Beta average for runaway, a ≈ 1 or large-r ones', () => {
  for (const x of [0, 1, 2, 10, 100, 1000]) assert.equal(closedFormApplies(bg, x), true, `x = ${x}`);
  // (r + x + 1 − a near an integer: the 2F1's 1−z transformation has a removable pole.)
  for (const q of [{ ...bg, a: 5153, b: 3698000 }, { ...bg, a: 1 }, { ...bg, a: 1 + 1e-6 }, { ...bg, r: 50 }, { ...bg, b: 150 }, { ...bg, r: 1e-4 }, { ...bg, r: bg.a + 2e-4 }]) {
    assert.equal(closedFormApplies(q, 0), false, JSON.stringify(q));
  }
});

test('the closed form agrees with the Beta average wherever it is used (random fits and customers, horizons up to 10 years)', () => {
  const u = seededRandom(20240611);
  const logUniform = (lo: number, hi: number) => lo * Math.pow(hi / lo, u());
  let closed = 0;
  for (let i = 0; i < 400; i++) {
    const q = { r: logUniform(1e-3, 5), alpha: logUniform(1e-3, 1e3), a: logUniform(1e-3, 5), b: logUniform(1e-3, 100) };
    const x = [0, 1, 2, 5, 30, 300][Math.floor(u() * 6)];
    const T = u() < 0.2 ? 0 : logUniform(0.01, 1e4);
    const tx = x === 0 ? 0 : T * u();
    const periodDays = [1, 7, 30][Math.floor(u() * 3)];
    const horizon = [1, 12, 120][Math.floor(u() * 3)];
    if (closedFormApplies(q, x)) closed++;
    const s = new ClvScorer(q, gg, { horizonMonths: horizon, monthlyDiscountRate: 0, periodDays }).scoreInto(emptyClvScore(), x, tx, T, 10);
    const t = (horizon * DAYS_PER_MONTH) / periodDays;
    const expected = dropoutMixture(q.a, q.b + x).expected(q.r + x, t / (q.alpha + T)) * probabilityAlive(q, x, tx, T);
    assert.ok(relativeError(s.expectedPurchases, expected) < 1e-9, `${JSON.stringify(q)} x = ${x}, t_x = ${tx}, T = ${T}, ${horizon} months of ${periodDays} days: ${s.expectedPurchases} vs ${expected}`);
  }
  assert.ok(closed > 200, `only ${closed} of 400 on the closed form`);
});

test('is finite, non-negative and consistent over a grid of extreme fits (a, b up to 1e9, r and α from 1e-4 to 1e4)', () => {
  const monthPeriods = DAYS_PER_MONTH / 7;
  for (const r of [1e-4, 0.5, 1e4]) {
    for (const alpha of [1e-4, 10, 1e4]) {
      for (const [a, b] of [[1e-4, 1e9], [5153, 3698000], [1e9, 1e9], [1e9, 1e-4], [1e-4, 1e-4], [1, 1e6], [0.8, 2.4]]) {
        const q = { r, alpha, a, b };
        const year = new ClvScorer(q, gg, { monthlyDiscountRate: 0 });
        const twoYears = new ClvScorer(q, gg, { horizonMonths: 24 });
        for (const [x, tx, T, m] of [[0, 0, 0, 0], [0, 0, 1e4, 0], [3, 10, 40, 25], [1000, 1e4, 1e4, 40], [1, 0, 1e4, 3], [50, 1e-3, 1e-3, 8]]) {
          const s = year.scoreInto(emptyClvScore(), x, tx, T, m);
          for (const [k, v] of Object.entries(s)) assert.ok(Number.isFinite(v) && v >= 0, `${k} = ${v} for ${JSON.stringify(q)}, ${[x, tx, T, m]}`);
          assert.ok(s.probabilityAlive <= 1);
          const expected = conditionalExpectedPurchases(q, 12 * monthPeriods, x, tx, T);
          assert.ok(relativeError(s.expectedPurchases, expected) < 1e-11, `${JSON.stringify(q)}, ${[x, tx, T]}: ${s.expectedPurchases} vs ${expected}`);
          assert.ok(relativeError(s.clv, s.expectedPurchases * s.expectedAverageValue) < 1e-11);
          const longer = twoYears.scoreInto(emptyClvScore(), x, tx, T, m);
          assert.ok(longer.expectedPurchases >= s.expectedPurchases, `24 months below 12 for ${JSON.stringify(q)}, ${[x, tx, T]}`);
        }
      }
    }
  }
});

test('a scorer over other month ends (withMonthEnds) shares caches yet scores as a scorer of its own', () => {
  const root = new ClvScorer(bg, gg, { horizonMonths: 12, periodDays: 7 });
  const monthly = (scale: number) => Array.from({ length: 12 }, (_, i) => ((i + 1) * DAYS_PER_MONTH * scale) / 7);
  const ends = [monthly(1), monthly(1.3), monthly(0.8)];
  const views = ends.map((e) => root.withMonthEnds(e));
  const own = ends.map((e) => new ClvScorer(bg, gg, { horizonMonths: 12, periodDays: 7, monthEnds: e }));
  for (let pass = 0; pass < 2; pass++) {
    for (const c of ref.customers.slice(0, 20)) {
      for (let j = 0; j < ends.length; j++) {
        const input = { asOfDay: 0, frequency: c.x, recency: c.tx, T: c.T, monetaryValue: c.m };
        assert.deepEqual(views[j].score(input), own[j].score(input), `months ×${j}, x = ${c.x}`);
      }
    }
  }
  const c = ref.customers.find((x) => x.x > 2)!;
  const clv = (s: ClvScorer) => s.score({ asOfDay: 0, frequency: c.x, recency: c.tx, T: c.T, monetaryValue: c.m }).clv;
  assert.ok(clv(views[1]) > clv(views[0]) && clv(views[0]) > clv(views[2]));
});
