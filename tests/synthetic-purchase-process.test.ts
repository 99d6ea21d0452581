import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beta, gamma } from '../producers/synthetic/distributions.js';
import { historyCalendar } from '../producers/synthetic/history-calendar.js';
import { DEFAULT_SEASONALITY } from '../producers/synthetic/options.js';
import { createRng } from '../producers/synthetic/prng.js';
import { simulatePurchases } from '../producers/synthetic/purchase-process.js';
import { dailySeasonality } from '../producers/synthetic/seasonality.js';

// Fader, Hardie & Lee (2005) CDNOW estimates, weeks.
const r = 0.243;
const alpha = 4.414;
const a = 0.793;
const b = 2.426;

/**
 * P(X(T) = 0) and P(X(T) = 1) under BG/NBD for exposure T weeks (of seasonally weighted time).
 * Given λ, p: P0 = e^(−λT) (no dropout before the first repeat), P1 = p(1 − e^(−λT)) +
 * (1 − p)λT e^(−λT); integrating λ ~ Gamma(r, α) and p ~ Beta(a, b) gives the closed forms.
 */
function bgnbdZeroOne(T: number): { p0: number; p1: number } {
  const p0 = (alpha / (alpha + T)) ** r;
  const meanP = a / (a + b);
  const p1 = meanP * (1 - p0) + (1 - meanP) * ((T * r * alpha ** r) / (alpha + T) ** (r + 1));
  return { p0, p1 };
}

function shares(seasonal: Float64Array, n: number, seed: number): { zero: number; one: number } {
  const max = Math.max(...seasonal);
  let zero = 0;
  let one = 0;
  for (let i = 0; i < n; i++) {
    const rng = createRng(seed, 0, i);
    const lambda = gamma(rng, r, alpha);
    const p = beta(rng, a, b);
    const x = simulatePurchases(rng, 0, lambda, p, seasonal, max, seasonal.length).positions.length - 1;
    if (x === 0) zero++;
    else if (x === 1) one++;
  }
  return { zero: zero / n, one: one / n };
}

describe('synthetic purchase process (BG/NBD with seasonal thinning)', () => {
  const n = 100_000;
  // Binomial standard error at n = 100k is ≤ 0.0016; 0.006 is ~4 σ.
  const tol = 0.006;

  it('shares of customers with 0 and 1 repeat purchases in 52 weeks match the BG/NBD closed forms for the CDNOW parameters', () => {
    const { zero, one } = shares(new Float64Array(364).fill(1), n, 11);
    const { p0, p1 } = bgnbdZeroOne(52);
    assert.ok(Math.abs(zero - p0) < tol, `P(X=0) ${zero} vs ${p0}`);
    assert.ok(Math.abs(one - p1) < tol, `P(X=1) ${one} vs ${p1}`);
  });

  it('keeps the BG/NBD shares over a whole seasonal year: thinning preserves the mean rate λ', () => {
    const seasonal = dailySeasonality(historyCalendar('2024-01-01', '2024-12-31', 'UTC'), DEFAULT_SEASONALITY);
    const { zero, one } = shares(seasonal, n, 12);
    const { p0, p1 } = bgnbdZeroOne(366 / 7);
    assert.ok(Math.abs(zero - p0) < tol, `P(X=0) ${zero} vs ${p0}`);
    assert.ok(Math.abs(one - p1) < tol, `P(X=1) ${one} vs ${p1}`);
  });

  it('over Nov–Dec alone behaves like BG/NBD on the seasonally weighted exposure, not on the calendar time', () => {
    const seasonal = dailySeasonality(historyCalendar('2024-11-01', '2024-12-31', 'UTC'), DEFAULT_SEASONALITY);
    const weighted = seasonal.reduce((s, x) => s + x, 0) / 7;
    assert.ok(weighted > 1.3 * (61 / 7));
    const { zero } = shares(seasonal, n, 13);
    assert.ok(Math.abs(zero - bgnbdZeroOne(weighted).p0) < tol, `P(X=0) ${zero} vs ${bgnbdZeroOne(weighted).p0}`);
  });

  it('a customer who never drops out buys λ per week on average over a seasonal year', () => {
    const seasonal = dailySeasonality(historyCalendar('2024-01-01', '2024-12-31', 'UTC'), DEFAULT_SEASONALITY);
    const max = Math.max(...seasonal);
    let total = 0;
    const customers = 4000;
    for (let i = 0; i < customers; i++) total += simulatePurchases(createRng(14, 0, i), 0, 1, 0, seasonal, max, 366).positions.length - 1;
    const perWeek = total / customers / (366 / 7);
    assert.ok(Math.abs(perWeek - 1) < 0.01, `purchases per week ${perWeek}`);
  });

  it('returns ascending positions inside [birth, horizon) and marks a dropped-out customer not alive', () => {
    const flat = new Float64Array(700).fill(1);
    let dead = 0;
    for (let i = 0; i < 2000; i++) {
      const t = simulatePurchases(createRng(15, 0, i), 3.5, 2, 0.3, flat, 1, 700);
      assert.equal(t.positions[0], 3.5);
      for (let j = 1; j < t.positions.length; j++) assert.ok(t.positions[j] > t.positions[j - 1] && t.positions[j] < 700);
      if (!t.aliveAtEnd) dead++;
    }
    // With 2 purchases a week for ~100 weeks, almost everyone meets the 30% coin eventually.
    assert.ok(dead > 1990);
  });

  it('a customer with λ = 0 makes only the first purchase and stays alive', () => {
    assert.deepEqual(simulatePurchases(createRng(1), 2, 0, 0.5, new Float64Array(10).fill(1), 1, 10), { positions: [2], aliveAtEnd: true });
  });
});
