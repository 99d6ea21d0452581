import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CategoryStat } from '../core/recommendations/category-statistics.js';
import { nextPriceTier, tierFloors, tierOf } from '../core/recommendations/price-tiers.js';

// Unit prices 1..100 (in minor units), one unit each: percentile p is p + 1.
const uniform: CategoryStat = { name: 'home', orders: 100, pricePercentilesMinor: Array.from({ length: 101 }, (_, p) => Math.min(100, p + 1)) };

test('quartile tiers start at the 25th, 50th and 75th percentiles', () => {
  assert.deepEqual(tierFloors(uniform, 4), [26, 51, 76]);
  assert.deepEqual(tierFloors(uniform, 2), [51]);
  assert.deepEqual(tierFloors({ ...uniform, pricePercentilesMinor: [] }, 4), []);
});

test('a price is in the tier whose floor it reaches', () => {
  const floors = [26, 51, 76];
  assert.equal(tierOf(1, floors), 1);
  assert.equal(tierOf(25, floors), 1);
  assert.equal(tierOf(26, floors), 2);
  assert.equal(tierOf(100, floors), 4);
});

test('the next tier is the first floor above the price; none from the top tier', () => {
  assert.deepEqual(nextPriceTier(uniform, 30, 4), { currentTier: 2, nextTier: 3, floorMinor: 51 });
  assert.deepEqual(nextPriceTier(uniform, 10, 4), { currentTier: 1, nextTier: 2, floorMinor: 26 });
  assert.equal(nextPriceTier(uniform, 80, 4), null);
  assert.equal(nextPriceTier({ ...uniform, pricePercentilesMinor: [] }, 10, 4), null);
});

test('empty tiers (many equal prices) are skipped over', () => {
  // Half the units at 10, half at 50: quartile floors 10, 50, 50.
  const lumpy: CategoryStat = { name: 'x', orders: 2, pricePercentilesMinor: Array.from({ length: 101 }, (_, p) => (p < 50 ? 10 : 50)) };
  assert.deepEqual(tierFloors(lumpy, 4), [10, 50, 50]);
  assert.deepEqual(nextPriceTier(lumpy, 10, 4), { currentTier: 2, nextTier: 4, floorMinor: 50 });
});
