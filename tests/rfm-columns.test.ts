import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compressRfmColumns, rfmColumns, spendColumns, totalWeight, weightsOf } from '../models/rfm-columns.js';

const customers = [
  { frequency: 0, recency: 0, T: 10, monetaryValue: 0 },
  { frequency: 2, recency: 5, T: 10, monetaryValue: 12.5 },
  { frequency: 0, recency: 0, T: 10, monetaryValue: 0 },
  { frequency: 2, recency: 5, T: 10, monetaryValue: 12.5 },
  { frequency: 1, recency: 3, T: 9, monetaryValue: 0 },
  { frequency: 2, recency: 5, T: 11, monetaryValue: 7 },
];

test('merges identical (x, t_x, T) with the count as weight, in order of first appearance', () => {
  const c = rfmColumns(customers);
  assert.deepEqual(Array.from(c.frequency), [0, 2, 1, 2]);
  assert.deepEqual(Array.from(c.recency), [0, 5, 3, 5]);
  assert.deepEqual(Array.from(c.T), [10, 10, 9, 11]);
  assert.deepEqual(Array.from(c.weight), [2, 2, 1, 1]);
  assert.equal(totalWeight(c), customers.length);
});

test('keeps one row per customer with compress: false, and compresses later with weights added', () => {
  const c = rfmColumns(customers, { compress: false });
  assert.equal(c.weight.length, 6);
  const again = compressRfmColumns(compressRfmColumns(c));
  assert.deepEqual(Array.from(again.weight), [2, 2, 1, 1]);
});

test('rejects impossible histories, naming the customer', () => {
  assert.throws(() => rfmColumns([{ frequency: 1, recency: 11, T: 10 }]), /customer 0/);
  assert.throws(() => rfmColumns([{ frequency: 0, recency: 0, T: 1 }, { frequency: -1, recency: 0, T: 1 }]), /customer 1/);
  assert.throws(() => rfmColumns([{ frequency: NaN, recency: 0, T: 1 }]), RangeError);
});

test('spend columns keep only x > 0 with a positive mean value (zero-value repeat purchases excluded)', () => {
  const s = spendColumns(customers);
  assert.deepEqual(Array.from(s.frequency), [2, 2]);
  assert.deepEqual(Array.from(s.monetaryValue), [7, 12.5]);
  assert.deepEqual(Array.from(s.weight), [1, 2]);
  assert.throws(() => spendColumns([{ frequency: 1, monetaryValue: -3 }]), /customer 0/);
});

test('weightsOf: ones when the weight column is absent; rejects ragged columns and bad weights', () => {
  const f = Float64Array.from([0, 1]);
  assert.deepEqual(Array.from(weightsOf({ frequency: f, recency: Float64Array.from([0, 1]), T: Float64Array.from([2, 2]) })), [1, 1]);
  assert.throws(() => weightsOf({ frequency: f, recency: Float64Array.from([0]), T: Float64Array.from([2, 2]) }), /recency/);
  assert.throws(() => weightsOf({ frequency: f, monetaryValue: Float64Array.from([1, 2]), weight: Float64Array.from([1, 0]) }), /row 1/);
});
