import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOGUE, CATEGORY_POPULARITY } from '../producers/synthetic/catalogue.js';
import { cumulative } from '../producers/synthetic/distributions.js';
import { historyCalendar } from '../producers/synthetic/history-calendar.js';
import { DEFAULT_SYNTHETIC_HISTORY_OPTIONS as D, FLAT_SEASONALITY } from '../producers/synthetic/options.js';
import { acquisitionWeights, customerIdOf, drawCustomer, type PopulationModel } from '../producers/synthetic/population.js';
import { createRng } from '../producers/synthetic/prng.js';
import { dailySeasonality } from '../producers/synthetic/seasonality.js';

const cal = historyCalendar('2023-01-01', '2025-06-30', 'UTC');

function model(growth = 2, cohortVariation = 0.35, seasonality = D.seasonality): PopulationModel {
  const seasonal = dailySeasonality(cal, seasonality);
  return { bgnbd: D.bgnbd, gammaGamma: D.gammaGamma, acquisitionCum: cumulative(acquisitionWeights(cal, seasonal, { growth, cohortVariation }, createRng(1, 1))) };
}

describe('synthetic population', () => {
  it('names customers C000001… with at least six digits', () => {
    assert.equal(customerIdOf(0), 'C000001');
    assert.equal(customerIdOf(122), 'C000123');
    assert.equal(customerIdOf(1_234_566), 'C1234567');
  });

  it('draws λ, p and ν with the means of Gamma(r, α), Beta(a, b) and Gamma(q, γ)', () => {
    const m = model();
    const n = 100_000;
    let lambda = 0;
    let p = 0;
    let nu = 0;
    const favourites = new Array<number>(CATALOGUE.length).fill(0);
    for (let i = 0; i < n; i++) {
      const c = drawCustomer(createRng(5, 2, i), i, m);
      lambda += c.lambdaPerWeek;
      p += c.dropoutProbability;
      nu += c.spendNu;
      favourites[c.favouriteCategory]++;
    }
    const { r, alpha, a, b } = D.bgnbd;
    const { q, gamma } = D.gammaGamma;
    assert.ok(Math.abs(lambda / n / (r / alpha) - 1) < 0.03, `mean λ ${lambda / n} vs ${r / alpha}`);
    assert.ok(Math.abs(p / n - a / (a + b)) < 0.003, `mean p ${p / n} vs ${a / (a + b)}`);
    assert.ok(Math.abs(nu / n / (q / gamma) - 1) < 0.01, `mean ν ${nu / n} vs ${q / gamma}`);
    const total = CATEGORY_POPULARITY.reduce((s, x) => s + x, 0);
    favourites.forEach((f, i) => assert.ok(Math.abs(f / n - CATEGORY_POPULARITY[i] / total) < 0.005));
  });

  it('spreads first purchases over the whole history, growing over time, with uneven monthly cohorts', () => {
    const m = model(2, 0.35, FLAT_SEASONALITY);
    const perMonth = new Map<string, number>();
    let firstHalf = 0;
    const n = 60_000;
    for (let i = 0; i < n; i++) {
      const c = drawCustomer(createRng(6, 2, i), i, m);
      const month = new Date((cal.startDay + c.birthDayOffset) * 86_400_000).toISOString().slice(0, 7);
      perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
      if (c.birthDayOffset < cal.days / 2) firstHalf++;
      assert.ok(c.birthFraction >= 0 && c.birthFraction < 1);
    }
    assert.equal(perMonth.size, 30);
    // Linear ramp 1 → 2: the first half holds (1 + 1.5) / (2 · 1.5) ≈ 42% of the mass (cohort noise aside).
    assert.ok(firstHalf / n > 0.3 && firstHalf / n < 0.48, `first half ${firstHalf / n}`);
    // Monthly cohorts with σ = 0.35 differ by far more than sampling noise (~±1.5% at 2,000 a month).
    const counts = [...perMonth.values()];
    const mean = n / counts.length;
    const cv = Math.sqrt(counts.reduce((s, x) => s + (x - mean) ** 2, 0) / counts.length) / mean;
    assert.ok(cv > 0.15, `monthly cohort coefficient of variation ${cv}`);
  });

  it('draws the same customer from the same stream', () => {
    const m = model();
    assert.deepEqual(drawCustomer(createRng(7, 2, 3), 3, m), drawCustomer(createRng(7, 2, 3), 3, m));
  });
});
