import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consumerLag } from '../adapters/kafka/consumer-lag.js';

const ends = [{ partition: 0, low: '0', high: '10' }, { partition: 1, low: '5', high: '7' }];

test('lag is the sum over partitions of high watermark minus committed offset', () => {
  assert.equal(consumerLag([{ partition: 0, offset: '4' }, { partition: 1, offset: '7' }], ends), 6n);
});

test('a partition with no commit ("-1" or absent) counts from the log start offset', () => {
  assert.equal(consumerLag([{ partition: 0, offset: '-1' }], ends), 12n);
  assert.equal(consumerLag([], ends), 12n);
});

test('a commit below the log start (deleted by retention) counts from the log start', () => {
  assert.equal(consumerLag([{ partition: 1, offset: '2' }], [ends[1]]), 2n);
});

test('never negative, and exact beyond 2^53', () => {
  assert.equal(consumerLag([{ partition: 0, offset: '12' }], [ends[0]]), 0n);
  assert.equal(consumerLag([{ partition: 0, offset: '9007199254740993' }], [{ partition: 0, low: '0', high: '9007199254740995' }]), 2n);
});
