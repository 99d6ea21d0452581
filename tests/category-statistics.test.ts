import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { categoryStatisticsFromJSON, categoryStatisticsOf, type Basket } from '../core/recommendations/category-statistics.js';

const { baskets } = JSON.parse(readFileSync(new URL('./fixtures/recommendation-baskets.json', import.meta.url), 'utf8')) as { baskets: Basket[] };

test('counts orders per category and per pair, as counted by hand from the fixture', () => {
  const s = categoryStatisticsOf(baskets);
  assert.equal(s.orders, 6);
  assert.deepEqual(s.categories.map((c) => [c.name, c.orders]), [['accessories', 1], ['books', 3], ['electronics', 2], ['movies', 1], ['music', 3]]);
  const named = s.pairs.map(([i, j, n]) => [s.categories[i].name, s.categories[j].name, n]);
  assert.deepEqual(named, [['accessories', 'electronics', 1], ['books', 'music', 2], ['movies', 'music', 1]]);
});

test('price percentiles are quantity-weighted lower bounds: books at 10, 20, 30, 30 → 25th is 20.00, 50th is 30.00', () => {
  const books = categoryStatisticsOf(baskets).categories.find((c) => c.name === 'books')!;
  assert.equal(books.pricePercentilesMinor.length, 101);
  assert.equal(books.pricePercentilesMinor[0], 1000);
  assert.equal(books.pricePercentilesMinor[24], 1000);
  assert.equal(books.pricePercentilesMinor[25], 2000);
  assert.equal(books.pricePercentilesMinor[49], 2000);
  assert.equal(books.pricePercentilesMinor[50], 3000);
  assert.equal(books.pricePercentilesMinor[100], 3000);
  // An order listing a category without lines counts for co-occurrence, not prices.
  const electronics = categoryStatisticsOf(baskets).categories.find((c) => c.name === 'electronics')!;
  assert.ok(electronics.pricePercentilesMinor.every((p) => p === 12000));
});

test('the statistics do not depend on the order of the baskets, and empty baskets count nothing', () => {
  const forward = categoryStatisticsOf(baskets);
  const backward = categoryStatisticsOf([...baskets].reverse().concat([{ categories: [], lines: [] }]));
  assert.deepEqual(backward, forward);
});

test('fromJSON accepts a round trip and null (a model trained without categories), and rejects a missing document or a broken pair', () => {
  const s = categoryStatisticsOf(baskets);
  assert.deepEqual(categoryStatisticsFromJSON(JSON.parse(JSON.stringify(s))), s);
  assert.equal(categoryStatisticsFromJSON(null), null);
  assert.throws(() => categoryStatisticsFromJSON(undefined), TypeError);
  assert.throws(() => categoryStatisticsFromJSON({ ...s, pairs: [[1, 0, 2]] }), /bad pair/);
  assert.throws(() => categoryStatisticsFromJSON({ ...s, pairs: [[0, 9, 2]] }), /bad pair/);
  assert.throws(() => categoryStatisticsFromJSON({ orders: -1, categories: [], pairs: [] }), TypeError);
});
