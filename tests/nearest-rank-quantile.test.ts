import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearestRankQuantile } from '../core/nearest-rank-quantile.js';

test('nearest rank: an observed value at rank floor(q × n), 0 for no values', () => {
  const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  assert.equal(nearestRankQuantile(values, 0), 10);
  assert.equal(nearestRankQuantile(values, 0.5), 60);
  assert.equal(nearestRankQuantile(values, 0.8), 90);
  assert.equal(nearestRankQuantile(values, 0.95), 100);
  assert.equal(nearestRankQuantile(values, 1), 100);
  assert.equal(nearestRankQuantile([], 0.5), 0);
});
