/** The stack bench's sample of the pipeline's output values: uniform, bounded, reproducible. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueSample } from '../bench/value-sample.js';

const value = (n: number) => Buffer.alloc(1 + (n % 400), n % 251);

test('value sample: keeps every value while under capacity, then exactly capacity', () => {
  const sample = new ValueSample(100);
  for (let i = 0; i < 60; i++) sample.offer(value(i));
  assert.equal(sample.values.length, 60);
  for (let i = 60; i < 10_000; i++) sample.offer(value(i));
  assert.equal(sample.values.length, 100);
  assert.equal(sample.figures.offered, 10_000);
});

test('value sample: uniform over the stream — late values are kept as often as early ones, sizes match the stream', () => {
  // A stream whose values grow over time (like features as histories grow): a sample of its
  // start would be biased small.
  const sample = new ValueSample(2_000, 7);
  const n = 200_000;
  for (let i = 0; i < n; i++) sample.offer(Buffer.alloc(1 + Math.floor((i / n) * 1000)));
  const late = sample.values.filter((v) => v.length > 500).length;
  assert.ok(late > 900 && late < 1100, `${late} of 2,000 kept from the later half`);
  const { meanBytesOffered, meanBytesKept } = sample.figures;
  assert.ok(Math.abs(meanBytesKept! - meanBytesOffered!) / meanBytesOffered! < 0.05, `kept ${meanBytesKept} against offered ${meanBytesOffered}`);
});

test('value sample: the same seed keeps the same values', () => {
  const a = new ValueSample(50, 3);
  const b = new ValueSample(50, 3);
  for (let i = 0; i < 5_000; i++) {
    const v = value(i);
    a.offer(v);
    b.offer(v);
  }
  assert.deepEqual(a.values, b.values);
});
