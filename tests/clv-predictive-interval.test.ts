import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probabilityAlive, type BgNbdParams } from '../models/bgnbd/bgnbd-expectation.js';
import { fitBgNbd } from '../models/bgnbd/bgnbd.js';
import { ClvIntervalScorer, type SpendQuantiles } from '../models/clv/clv-predictive-interval.js';
import { fitGammaGamma, type GammaGammaParams } from '../models/gamma-gamma/gamma-gamma.js';
import { rfmColumns, spendColumns } from '../models/rfm-columns.js';
import { beta as betaVariate } from '../producers/synthetic/distributions.js';
import { CALIBRATION_END, CDNOW_SAMPLE } from './support/cdnow-fits.js';
import { cdnowAvailable, cdnowCustomers, cdnowSkipMessage, type CdnowCustomer } from './support/cdnow.js';
import { gammaVariate, seededRandom } from './support/simulate.js';

// Fader, Hardie & Lee (2005) and Fader & Hardie (2013) on CDNOW_sample, weeks.
const bg: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const gg: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };
const HOLDOUT_WEEKS = 39; // 1997-10-01 .. 1998-06-30

/** Draws of the spend over t by the generative story itself (FHL 2005 §3, Fader & Hardie 2013). */
function simulateSpend(x: number, tx: number, T: number, m: number, t: number, draws: number, seed: number): Float64Array {
  const u = seededRandom(seed);
  const pAlive = probabilityAlive(bg, x, tx, T);
  const out = new Float64Array(draws);
  for (let i = 0; i < draws; i++) {
    if (u() >= pAlive) continue;
    const lambda = gammaVariate(u, bg.r + x, bg.alpha + T);
    const dropout = betaVariate(u, bg.a, bg.b + x);
    let n = 0;
    for (let clock = -Math.log(1 - u()) / lambda; clock <= t; clock += -Math.log(1 - u()) / lambda) {
      n++;
      if (u() < dropout) break;
    }
    if (n === 0) continue;
    const nu = gammaVariate(u, gg.q + gg.p * x, gg.gamma + x * m);
    out[i] = gammaVariate(u, n * gg.p, nu);
  }
  return out;
}

const share = (values: Float64Array, atMost: number) => values.reduce((k, v) => k + (v <= atMost ? 1 : 0), 0) / values.length;

test('CDF and quantiles match a simulation of the BG/NBD + Gamma-Gamma story (50,000 draws, within 4.5σ)', () => {
  const scorer = new ClvIntervalScorer(bg, gg, { horizonPeriods: 52 });
  const draws = 50_000;
  const customers: [number, number, number, number][] = [[0, 0, 30, 0], [2, 20, 35, 40], [5, 30, 32, 25], [15, 37, 38, 60]];
  customers.forEach(([x, tx, T, m], k) => {
    const sim = simulateSpend(x, tx, T, m, 52, draws, 1000 + k);
    for (const level of [0.1, 0.5, 0.9, 0.97]) {
      const q = scorer.quantile(level, x, tx, T, m);
      const empirical = share(sim, q);
      // At an atom (q = 0) the empirical share may exceed the level; elsewhere it must match it.
      const sigma = Math.sqrt((level * (1 - level)) / draws);
      if (q === 0) assert.ok(empirical >= level - 4.5 * sigma, `(${x}, ${tx}, ${T}, ${m}) u = ${level}: atom ${empirical}`);
      else assert.ok(Math.abs(empirical - level) < 4.5 * sigma, `(${x}, ${tx}, ${T}, ${m}) u = ${level}: q = ${q}, simulated share ${empirical}`);
    }
    for (const v of [10, 100, 500]) {
      const sigma = Math.sqrt(0.25 / draws);
      assert.ok(Math.abs(scorer.cdf(v, x, tx, T, m) - share(sim, v)) < 4.5 * sigma, `F(${v}) of (${x}, ${tx}, ${T}, ${m})`);
    }
  });
});

test('the quantiles solve F(v) = u; below the atom at 0, 1 − P(alive) + P(alive)((α+T)/(α+T+t))^(r+x), they are 0', () => {
  const scorer = new ClvIntervalScorer(bg, gg, { horizonPeriods: 52 });
  const out: SpendQuantiles = { lower: NaN, upper: NaN };
  for (const [x, tx, T, m] of [[0, 0, 30, 0], [1, 2, 38, 100], [4, 30, 38, 12.5], [30, 38, 38, 45], [120, 37.5, 38, 20]]) {
    scorer.quantilesInto(out, x, tx, T, m);
    const pAlive = probabilityAlive(bg, x, tx, T);
    const atom = 1 - pAlive + pAlive * ((bg.alpha + T) / (bg.alpha + T + 52)) ** (bg.r + x);
    assert.ok(Math.abs(scorer.cdf(0, x, tx, T, m) - atom) < 1e-12, `atom of x = ${x}`);
    for (const [level, q] of [[0.1, out.lower], [0.9, out.upper]]) {
      if (atom >= level) assert.equal(q, 0, `x = ${x}, u = ${level}`);
      else {
        assert.ok(q > 0);
        assert.ok(Math.abs(scorer.cdf(q, x, tx, T, m) - level) < 1e-9, `F(Q(${level})) of x = ${x}: ${scorer.cdf(q, x, tx, T, m)}`);
      }
    }
    assert.ok(out.lower <= out.upper);
  }
});

test('deterministic: the same customer gives the same bits from a fresh scorer, a cached one, and after others', () => {
  const a = new ClvIntervalScorer(bg, gg, { horizonPeriods: 52.18 });
  const b = new ClvIntervalScorer(bg, gg, { horizonPeriods: 52.18 });
  const first = a.quantilesInto({ lower: 0, upper: 0 }, 7, 33, 38, 41.3);
  for (let x = 0; x < 40; x++) b.quantilesInto({ lower: 0, upper: 0 }, x, Math.min(x, 38), 38, 10 + x);
  const again = b.quantilesInto({ lower: 0, upper: 0 }, 7, 33, 38, 41.3);
  const cached = a.quantilesInto({ lower: 0, upper: 0 }, 7, 33, 38, 41.3);
  assert.deepEqual(again, first);
  assert.deepEqual(cached, first);
  // A different m̄ with the same (x, t_x, T) scales by γ' = γ + x m̄ (the cache's premise).
  const other = a.quantilesInto({ lower: 0, upper: 0 }, 7, 33, 38, 20);
  const ratio = (gg.gamma + 7 * 20) / (gg.gamma + 7 * 41.3);
  assert.ok(Math.abs(other.upper / first.upper - ratio) < 1e-12);
});

test('finite for runaway dropout fits (a, b → ∞), zero for a customer who is surely gone; rejects impossible input', () => {
  const runaway = new ClvIntervalScorer({ r: 0.5, alpha: 5, a: 1e8, b: 1e9 }, gg, { horizonPeriods: 52 });
  const q = runaway.quantilesInto({ lower: 0, upper: 0 }, 3, 20, 38, 30);
  assert.ok(Number.isFinite(q.upper) && q.upper > 0);
  const gone = new ClvIntervalScorer(bg, gg, { horizonPeriods: 52 }).quantilesInto({ lower: 1, upper: 1 }, 400, 1, 1000, 30);
  assert.deepEqual(gone, { lower: 0, upper: 0 });
  const scorer = new ClvIntervalScorer(bg, gg, { horizonPeriods: 52 });
  assert.throws(() => scorer.quantilesInto({ lower: 0, upper: 0 }, 2, 40, 30, 10), RangeError);
  assert.throws(() => new ClvIntervalScorer(bg, gg, { horizonPeriods: 0 }), RangeError);
  assert.throws(() => new ClvIntervalScorer(bg, gg, { horizonPeriods: 52, lowerProbability: 0.9, upperProbability: 0.1 }), RangeError);
});

/** Shares of customers whose holdout value is below, inside and above their 10–90% interval. */
function holdoutCoverage(customers: CdnowCustomer[], scorer: ClvIntervalScorer) {
  const q: SpendQuantiles = { lower: 0, upper: 0 };
  let below = 0;
  let above = 0;
  for (const c of customers) {
    const { frequency, recency, T, monetaryValue } = c.input;
    scorer.quantilesInto(q, frequency, recency, T, monetaryValue);
    if (c.holdoutValue < q.lower) below++;
    else if (c.holdoutValue > q.upper) above++;
  }
  const n = customers.length;
  return { below: below / n, inside: 1 - (below + above) / n, above: above / n };
}

test('calibrated on CDNOW_sample holdout (39 weeks, undiscounted): ~89% inside the 10–90% interval, ~11% above', (t) => {
  if (!cdnowAvailable(CDNOW_SAMPLE)) return t.skip(cdnowSkipMessage(CDNOW_SAMPLE));
  const coverage = holdoutCoverage(cdnowCustomers(CDNOW_SAMPLE, CALIBRATION_END, 7), new ClvIntervalScorer(bg, gg, { horizonPeriods: HOLDOUT_WEEKS }));
  // Measured: 0.890 inside, 0.110 above, 0.0004 below. The atom at 0 puts more than 80%
  // inside; the upper tail should be missed about 10% of the time.
  assert.ok(coverage.inside > 0.86 && coverage.inside < 0.93, JSON.stringify(coverage));
  assert.ok(coverage.above > 0.07 && coverage.above < 0.13, JSON.stringify(coverage));
  assert.ok(coverage.below < 0.02, JSON.stringify(coverage));
});

test('calibrated on CDNOW_master holdout with its own fit: ~88% inside, ~12% above', (t) => {
  const master = 'CDNOW_master.txt';
  if (!cdnowAvailable(master)) return t.skip(cdnowSkipMessage(master));
  const customers = cdnowCustomers(master, CALIBRATION_END, 7);
  const inputs = customers.map((c) => c.input);
  const scorer = new ClvIntervalScorer(fitBgNbd(rfmColumns(inputs)), fitGammaGamma(spendColumns(inputs)), { horizonPeriods: HOLDOUT_WEEKS });
  const coverage = holdoutCoverage(customers, scorer);
  // Measured: 0.880 inside, 0.119 above, 0.0004 below (23,570 customers).
  assert.ok(coverage.inside > 0.86 && coverage.inside < 0.92, JSON.stringify(coverage));
  assert.ok(coverage.above > 0.08 && coverage.above < 0.14, JSON.stringify(coverage));
  assert.ok(coverage.below < 0.02, JSON.stringify(coverage));
});

test('a scorer at another horizon (atHorizon) shares caches yet answers as a scorer of its own, in any order of calls', () => {
  const root = new ClvIntervalScorer(bg, gg, { horizonPeriods: 52 });
  const horizons = [52, 39.5, 61.25, 52.000001];
  const views = horizons.map((h) => root.atHorizon(h));
  const own = horizons.map((h) => new ClvIntervalScorer(bg, gg, { horizonPeriods: h }));
  const customers = [[0, 0, 30, 0], [2, 20.5, 38, 35], [7, 30, 39, 18.2], [2, 20.5, 38, 90], [1, 3, 3.5, 12]];
  // Interleaved twice: the second pass reads the shared cache, whose slots every horizon competes for.
  for (let pass = 0; pass < 2; pass++) {
    for (const [x, tx, T, m] of customers) {
      for (let j = 0; j < horizons.length; j++) {
        const a = views[j].quantilesInto({ lower: 0, upper: 0 }, x, tx, T, m);
        const b = own[j].quantilesInto({ lower: 0, upper: 0 }, x, tx, T, m);
        assert.deepEqual(a, b, `horizon ${horizons[j]}, customer ${[x, tx, T, m]}`);
      }
    }
  }
  // Different horizons do give different intervals (the cache is keyed by horizon).
  const q = (h: number) => root.atHorizon(h).quantilesInto({ lower: 0, upper: 0 }, 7, 30, 39, 18.2).upper;
  assert.ok(q(61.25) > q(39.5));
});
