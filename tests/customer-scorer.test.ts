import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dayIndexer } from '../core/calendar.js';
import type { CustomerFeaturesEvent } from '../core/events.js';
import { categoryStatisticsOf, type Basket } from '../core/recommendations/category-statistics.js';
import { scoreCustomer, type ScoringSettings } from '../processors/scoring/customer-scorer.js';
import type { CustomerValueModel } from '../core/customer-value-model.js';
import { defaultPolicy, linearModel } from './support/embedded-pipeline.js';

const { baskets } = JSON.parse(readFileSync(new URL('./fixtures/recommendation-baskets.json', import.meta.url), 'utf8')) as { baskets: Basket[] };
const settings: ScoringSettings = { dayOf: dayIndexer('UTC'), policy: defaultPolicy, hysteresis: 0.1, minorPerUnit: 100 };
const day = (n: number) => Date.UTC(2024, 0, 1) + n * 86_400_000;

function features(repeatDays: number, patch: Partial<CustomerFeaturesEvent> = {}): CustomerFeaturesEvent {
  return {
    event_id: 'f', event_time: day(100), customer_id: 'C1', first_purchase_time: day(0), last_purchase_time: day(90),
    purchase_days: repeatDays + 1, repeat_purchase_days: repeatDays, repeat_value_minor: 1000 * repeatDays, total_value_minor: 1000 * (repeatDays + 1),
    currency: 'USD', category_summary: [{ category: 'books', orders: 2, quantity: 2, spend_minor: 2000 }], ...patch,
  };
}

// The shipped policy's cross-sell floors (20 pair orders) are for real shops; the fixture has six orders.
const model: CustomerValueModel = { ...linearModel, categoryStatistics: categoryStatisticsOf(Array.from({ length: 20 }, () => baskets).flat()) };

test('the score event carries the recommendation: upsell of the favourite category at its next price tier', () => {
  const { score, state } = scoreCustomer(undefined, features(5), day(100), model, settings); // CLV 50.00 ≥ high 30.00
  assert.equal(score.segment, 'high_value');
  assert.equal(score.action, 'upsell');
  assert.deepEqual(score.recommended_categories, ['books']);
  assert.equal(score.recommended_min_unit_price_minor, 2000); // books typically at 10.00: tier 2 starts at 20.00
  assert.match(score.recommendation_reason, /Favourite category books/);
  assert.deepEqual(state.recommendation, { action: 'upsell', reason: score.recommendation_reason, categories: ['books'], minUnitPriceMinor: 2000 });
});

test('the segment-change event carries the same recommendation, and the segment\'s own reason', () => {
  const music = [{ category: 'music', orders: 2, quantity: 2, spend_minor: 2000 }];
  const { score, change } = scoreCustomer(undefined, features(2, { category_summary: music }), day(100), model, settings); // CLV 20.00: medium
  assert.equal(change?.segment, 'medium_value');
  assert.equal(change?.action, 'cross_sell');
  assert.deepEqual(change?.recommended_categories, ['movies']); // lift 2 ≥ 1.5; books (lift 1.33) is below the shipped floor
  assert.equal(change?.recommendation_reason, score.recommendation_reason);
  assert.equal(change?.reason, defaultPolicy.segments.medium_value.reason);
});

test('a model without category statistics (trained before recommendations) still scores, naming no categories', () => {
  const { score } = scoreCustomer(undefined, features(2), day(100), linearModel, settings);
  assert.equal(score.action, 'cross_sell');
  assert.deepEqual(score.recommended_categories, []);
  assert.equal(score.recommended_min_unit_price_minor, 0);
});

test('features from an older producer (no category summary) score without suggestions', () => {
  const old = features(5) as Partial<CustomerFeaturesEvent>;
  delete old.category_summary;
  const { score } = scoreCustomer(undefined, old as CustomerFeaturesEvent, day(100), model, settings);
  assert.equal(score.segment, 'high_value');
  assert.deepEqual(score.recommended_categories, []);
});

test('when the recommendation overrides the segment\'s action, the segment change gives the recommendation\'s reason', () => {
  // Top tier of books (30.00 a unit): the high-value upsell turns into a cross-sell.
  const top = [{ category: 'books', orders: 2, quantity: 2, spend_minor: 6000 }];
  const { change } = scoreCustomer(undefined, features(5, { category_summary: top }), day(100), model, settings);
  assert.equal(change?.segment, 'high_value');
  assert.equal(defaultPolicy.segments.high_value.action, 'upsell');
  assert.equal(change?.action, 'cross_sell');
  assert.equal(change?.reason, change?.recommendation_reason);
  assert.match(change!.reason, /^Already buys books in its top price tier/);
});
