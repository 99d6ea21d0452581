import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng, RngStream } from '../producers/synthetic/prng.js';

const draws = (rng: () => number, n: number): number[] => Array.from({ length: n }, () => rng());

describe('synthetic prng (sfc32)', () => {
  it('replays the same sequence for the same (seed, stream, index)', () => {
    assert.deepEqual(draws(createRng(42, RngStream.customer, 7), 1000), draws(createRng(42, RngStream.customer, 7), 1000));
  });

  it('gives different sequences for different seeds, streams and indexes', () => {
    const base = draws(createRng(42, 1, 0), 8);
    assert.notDeepEqual(draws(createRng(43, 1, 0), 8), base);
    assert.notDeepEqual(draws(createRng(42, 2, 0), 8), base);
    assert.notDeepEqual(draws(createRng(42, 1, 1), 8), base);
    // The high 32 bits of the seed matter too.
    assert.notDeepEqual(draws(createRng(2 ** 32 + 42, 1, 0), 8), base);
  });

  it('is uniform on [0, 1): range, mean 1/2, variance 1/12 and flat deciles', () => {
    const rng = createRng(1);
    const n = 200_000;
    const deciles = new Array<number>(10).fill(0);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const u = rng();
      assert.ok(u >= 0 && u < 1);
      sum += u;
      sumSq += u * u;
      deciles[Math.floor(u * 10)]++;
    }
    const mean = sum / n;
    assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
    assert.ok(Math.abs(sumSq / n - mean * mean - 1 / 12) < 0.002);
    for (const d of deciles) assert.ok(Math.abs(d / n - 0.1) < 0.004, `decile share ${d / n}`);
  });

  it('has no obvious lag-1 correlation between successive draws', () => {
    const rng = createRng(9);
    const xs = draws(rng, 100_000);
    let c = 0;
    for (let i = 1; i < xs.length; i++) c += (xs[i] - 0.5) * (xs[i - 1] - 0.5);
    const corr = c / (xs.length - 1) / (1 / 12);
    assert.ok(Math.abs(corr) < 0.02, `lag-1 correlation ${corr}`);
  });

  it('rejects a seed that is not a safe integer', () => {
    assert.throws(() => createRng(1.5), RangeError);
    assert.throws(() => createRng(Number.NaN), RangeError);
  });
});
