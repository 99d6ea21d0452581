import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseActionPolicy } from '../core/action-policy.js';
import type { CategorySpend } from '../core/events.js';
import { categoryStatisticsOf, type Basket } from '../core/recommendations/category-statistics.js';
import { recommendAction, sameRecommendation, type RecommendationInput } from '../core/recommendations/recommend-action.js';

const { baskets } = JSON.parse(readFileSync(new URL('./fixtures/recommendation-baskets.json', import.meta.url), 'utf8')) as { baskets: Basket[] };
const shipped = JSON.parse(readFileSync(new URL('../config/action-policy.json', import.meta.url), 'utf8'));
const stats = categoryStatisticsOf(baskets);
const policy = parseActionPolicy({
  segments: shipped.segments,
  recommendations: {
    maxSuggestions: 2,
    crossSell: { minSupport: 0, minLift: 1, minPairOrders: 1 },
    upsell: { priceTiers: 4, fallbackToCrossSell: true },
    winBack: { minHistoricValueMinor: 50_000, segments: ['at_risk', 'lost'], otherwise: { action: 'none', reason: 'Not worth a paid contact.' } },
  },
}, 'test');

const spend = (category: string, orders: number, quantity: number, spendMinor: number): CategorySpend => ({ category, orders, quantity, spend_minor: spendMinor });

function customer(patch: Partial<RecommendationInput>): RecommendationInput {
  return {
    segment: 'medium_value', pAlive: 0.8, atRiskPAlive: 0.5, totalValueMinor: 10_000, purchaseDays: 3,
    categorySummary: [spend('music', 3, 4, 4000)], currency: 'USD', minorPerUnit: 100, ...patch,
  };
}

test('cross-sell names the categories not bought, best lift first, and says which rule', () => {
  const r = recommendAction(policy, customer({}), stats);
  assert.equal(r.action, 'cross_sell');
  assert.deepEqual(r.categories, ['movies', 'books']);
  assert.equal(r.minUnitPriceMinor, 0);
  assert.match(r.reason, /^Active with room to grow: suggest complementary categories\. Suggest movies \(in 33% of orders with music, lift 2\.0\), books \(in 67% of orders with music, lift 1\.3\)\.$/);
});

test('upsell names the favourite category and the floor of its next price tier', () => {
  // Books typically at 10.00 a unit: tier 1 of 4; tier 2 starts at 20.00 (see the fixture).
  const r = recommendAction(policy, customer({ segment: 'high_value', categorySummary: [spend('music', 1, 1, 1000), spend('books', 2, 2, 2000)] }), stats);
  assert.equal(r.action, 'upsell');
  assert.deepEqual(r.categories, ['books']);
  assert.equal(r.minUnitPriceMinor, 2000);
  assert.match(r.reason, /Favourite category books \(2 orders\), typically 10\.00 USD a unit \(price tier 1 of 4\): tier 2 starts at 20\.00 USD\./);
});

test('upsell from the top price tier falls back to cross-sell, saying why', () => {
  const r = recommendAction(policy, customer({ segment: 'high_value', categorySummary: [spend('books', 2, 2, 6000)] }), stats);
  assert.equal(r.action, 'cross_sell');
  assert.deepEqual(r.categories, ['music']);
  assert.match(r.reason, /^Already buys books in its top price tier \(typically 30\.00 USD a unit\)\./);
  const noFallback = parseActionPolicy({ segments: shipped.segments, recommendations: { upsell: { fallbackToCrossSell: false } } }, 'p');
  const kept = recommendAction(noFallback, customer({ segment: 'high_value', categorySummary: [spend('books', 2, 2, 6000)] }), stats);
  assert.equal(kept.action, 'upsell');
  assert.deepEqual(kept.categories, []);
});

test('win-back goes to valuable at-risk customers, with value, threshold and probability alive in the reason', () => {
  const r = recommendAction(policy, customer({ segment: 'at_risk', pAlive: 0.31, totalValueMinor: 75_000, purchaseDays: 6, categorySummary: [spend('books', 1, 1, 500), spend('music', 4, 4, 4000)] }), stats);
  assert.equal(r.action, 'win_back');
  assert.deepEqual(r.categories, ['music', 'books']); // favourites, most ordered first
  assert.match(r.reason, /Spent 750\.00 USD over 6 purchase days \(win-back threshold 500\.00 USD\); probability alive is 0\.31 \(at-risk below 0\.5\)\./);
});

test('an at-risk customer below the value threshold gets the "otherwise" rule', () => {
  const r = recommendAction(policy, customer({ segment: 'at_risk', pAlive: 0.31, totalValueMinor: 49_999 }), stats);
  assert.equal(r.action, 'none');
  assert.deepEqual(r.categories, []);
  assert.match(r.reason, /^Not worth a paid contact\. Spent 499\.99 USD, below the win-back threshold of 500\.00 USD\.$/);
});

test('a valuable lost customer is won back (lost is a win-back segment), though the segment maps to none', () => {
  assert.equal(policy.segments.lost.action, 'none');
  assert.equal(recommendAction(policy, customer({ segment: 'lost', pAlive: 0.05, totalValueMinor: 90_000 }), stats).action, 'win_back');
  const onlyAtRisk = parseActionPolicy({ segments: shipped.segments, recommendations: { winBack: { minHistoricValueMinor: 1, segments: ['at_risk'] } } }, 'p');
  assert.equal(recommendAction(onlyAtRisk, customer({ segment: 'lost', pAlive: 0.05, totalValueMinor: 90_000 }), stats).action, 'none');
});

test('the first policy format keeps the old behaviour: every at-risk customer is won back', () => {
  const old = parseActionPolicy({ segments: shipped.segments }, 'old');
  assert.equal(recommendAction(old, customer({ segment: 'at_risk', pAlive: 0.3, totalValueMinor: 0 }), stats).action, 'win_back');
  assert.equal(recommendAction(old, customer({ segment: 'lost', pAlive: 0.01, totalValueMinor: 1e6 }), stats).action, 'none');
});

test('other actions carry the policy reason and no categories', () => {
  const r = recommendAction(policy, customer({ segment: 'new' }), stats);
  assert.deepEqual(r, { action: 'nurture', reason: shipped.segments.new.reason, categories: [], minUnitPriceMinor: 0 });
});

test('without category statistics (a model from before recommendations) cross-sell says so and names nothing', () => {
  const r = recommendAction(policy, customer({}), null);
  assert.equal(r.action, 'cross_sell');
  assert.deepEqual(r.categories, []);
  assert.match(r.reason, /no category statistics/);
});

test('the recommendation does not depend on the order of the category summary', () => {
  const summary = [spend('books', 2, 2, 2000), spend('music', 2, 2, 2000), spend('electronics', 1, 1, 12000)];
  for (const segment of ['high_value', 'medium_value', 'at_risk'] as const) {
    const a = recommendAction(policy, customer({ segment, pAlive: 0.3, totalValueMinor: 80_000, categorySummary: summary }), stats);
    const b = recommendAction(policy, customer({ segment, pAlive: 0.3, totalValueMinor: 80_000, categorySummary: [...summary].reverse() }), stats);
    assert.deepEqual(a, b, segment);
  }
});

test('two recommendations are the same when action, categories and price floor are, whatever the reason says', () => {
  const a = { action: 'upsell' as const, reason: 'p_alive 0.81', categories: ['books'], minUnitPriceMinor: 2000 };
  assert.equal(sameRecommendation(a, { ...a, reason: 'p_alive 0.79' }), true);
  assert.equal(sameRecommendation(a, { ...a, categories: ['music'] }), false);
  assert.equal(sameRecommendation(a, { ...a, minUnitPriceMinor: 2500 }), false);
  assert.equal(sameRecommendation(a, { ...a, action: 'cross_sell' }), false);
  assert.equal(sameRecommendation(a, undefined), false);
  assert.equal(sameRecommendation(null, undefined), true);
});

test('a lapsed one-time buyer is won back with the silence, not the probability alive, as the reason', () => {
  const lapse = { segment: 'at_risk' as const, silentDays: 130.4, afterDays: 120 };
  const valuable = recommendAction(policy, customer({ segment: 'at_risk', pAlive: 1, purchaseDays: 1, totalValueMinor: 80_000, lapse }), stats);
  assert.equal(valuable.action, 'win_back');
  assert.match(valuable.reason, /One purchase day, 130 days ago: a one-time buyer silent 120 days or more counts as at risk\.$/);
  assert.doesNotMatch(valuable.reason, /probability alive is/);
  const small = recommendAction(policy, customer({ segment: 'at_risk', pAlive: 1, purchaseDays: 1, totalValueMinor: 8_000, lapse }), stats);
  assert.equal(small.action, 'none');
  assert.match(small.reason, /^Not worth a paid contact\. .* One purchase day, 130 days ago/);
});
