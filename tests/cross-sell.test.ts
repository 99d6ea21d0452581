import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { indexCategoryStatistics } from '../core/recommendations/category-index.js';
import { categoryStatisticsOf, type Basket } from '../core/recommendations/category-statistics.js';
import { crossSellCandidates, lift } from '../core/recommendations/cross-sell.js';

const { baskets } = JSON.parse(readFileSync(new URL('./fixtures/recommendation-baskets.json', import.meta.url), 'utf8')) as { baskets: Basket[] };
const index = indexCategoryStatistics(categoryStatisticsOf(baskets));
const loose = { minSupport: 0, minLift: 1, minPairOrders: 1 };

test('lift is P(A and B) / (P(A) P(B)): books & music 2 of 6 orders, each in 3 → 4/3', () => {
  assert.equal(lift(2, 3, 3, 6), 4 / 3);
  assert.equal(lift(1, 2, 1, 6), 3);
});

test('suggests categories not bought, best lift first, with the rule behind each', () => {
  const got = crossSellCandidates(['music'], index, loose, 5);
  assert.deepEqual(got.map((c) => [c.category, c.because, c.pairOrders]), [['movies', 'music', 1], ['books', 'music', 2]]);
  assert.equal(got[0].lift, 2); // 1 · 6 / (3 · 1)
  assert.equal(got[1].confidence, 2 / 3); // 2 of music's 3 orders have books
});

test('never suggests a category the customer has, and takes the best rule over their categories', () => {
  const got = crossSellCandidates(['books', 'music'], index, loose, 5);
  assert.deepEqual(got.map((c) => c.category), ['movies']);
  assert.deepEqual(crossSellCandidates(['electronics'], index, loose, 5).map((c) => c.category), ['accessories']);
  assert.deepEqual(crossSellCandidates(['garden'], index, loose, 5), []);
});

test('the policy floors on lift, support and pair orders each remove candidates', () => {
  assert.deepEqual(crossSellCandidates(['music'], index, { ...loose, minLift: 1.5 }, 5).map((c) => c.category), ['movies']);
  assert.deepEqual(crossSellCandidates(['music'], index, { ...loose, minPairOrders: 2 }, 5).map((c) => c.category), ['books']);
  assert.deepEqual(crossSellCandidates(['music'], index, { ...loose, minSupport: 0.3 }, 5).map((c) => c.category), ['books']); // 2/6 ≥ 0.3 > 1/6
  assert.deepEqual(crossSellCandidates(['music'], index, loose, 1).map((c) => c.category), ['movies']);
});

test('the result does not depend on the order of the customer\'s categories', () => {
  assert.deepEqual(crossSellCandidates(['music', 'electronics'], index, loose, 5), crossSellCandidates(['electronics', 'music'], index, loose, 5));
});
