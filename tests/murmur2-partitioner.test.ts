import { test } from 'node:test';
import assert from 'node:assert/strict';
import { murmur2, partitionFor } from '../adapters/kafka/murmur2-partitioner.js';

test("murmur2 matches Kafka's Utils.murmur2 test vectors", () => {
  // From org.apache.kafka.common.utils.UtilsTest#testMurmur2.
  const cases: Array<[string, number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  for (const [key, expected] of cases) assert.equal(murmur2(Buffer.from(key)), expected, key);
});

test('partitionFor is stable and within range', () => {
  for (let i = 0; i < 1000; i++) {
    const p = partitionFor(`C${i}`, 12);
    assert.ok(p >= 0 && p < 12);
    assert.equal(partitionFor(`C${i}`, 12), p);
  }
  assert.equal(partitionFor(null, 5), 0);
});
