import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beta, cumulative, exponential, gamma, logNormal, pickCumulative, poisson, standardNormal } from '../producers/synthetic/distributions.js';
import { createRng } from '../producers/synthetic/prng.js';

function moments(sample: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = sample();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

const close = (actual: number, expected: number, relTol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= relTol * Math.abs(expected), `${what}: ${actual} vs ${expected}`);

describe('synthetic distributions', () => {
  it('gamma(shape, rate) has mean shape/rate and variance shape/rate² — BG/NBD r, α (shape < 1) and Gamma-Gamma p', () => {
    const rng = createRng(3);
    for (const [shape, rate] of [[0.243, 4.414], [6.25, 2], [3.74, 15.44], [1, 1]]) {
      const m = moments(() => gamma(rng, shape, rate), 300_000);
      close(m.mean, shape / rate, 0.02, `gamma(${shape}, ${rate}) mean`);
      close(m.variance, shape / rate ** 2, 0.06, `gamma(${shape}, ${rate}) variance`);
    }
  });

  it('gamma rejects non-positive parameters', () => {
    assert.throws(() => gamma(createRng(1), 0, 1), RangeError);
    assert.throws(() => gamma(createRng(1), 1, -1), RangeError);
  });

  it('beta(a, b) has mean a/(a+b) and variance ab/((a+b)²(a+b+1)) — BG/NBD a, b', () => {
    const rng = createRng(4);
    const a = 0.793;
    const b = 2.426;
    const m = moments(() => beta(rng, a, b), 300_000);
    close(m.mean, a / (a + b), 0.01, 'beta mean');
    close(m.variance, (a * b) / ((a + b) ** 2 * (a + b + 1)), 0.03, 'beta variance');
  });

  it('poisson has mean = variance = λ on both the small-mean and the PTRS branch', () => {
    const rng = createRng(5);
    for (const mean of [0.6, 3, 29.5, 30, 250]) {
      const m = moments(() => poisson(rng, mean), 200_000);
      close(m.mean, mean, 0.01, `poisson(${mean}) mean`);
      close(m.variance, mean, 0.03, `poisson(${mean}) variance`);
    }
    assert.equal(poisson(rng, 0), 0);
  });

  it('poisson(250) matches the exact probability of its mode', () => {
    const rng = createRng(6);
    const n = 400_000;
    let hits = 0;
    for (let i = 0; i < n; i++) if (poisson(rng, 250) === 250) hits++;
    // P(K = 250) for λ = 250 is 0.025227 (e^-λ λ^k / k!).
    close(hits / n, 0.025227, 0.04, 'P(K = mode)');
  });

  it('standard normal has mean 0 and variance 1; exponential has mean 1/rate; log-normal has mean e^(μ+σ²/2)', () => {
    const rng = createRng(7);
    const z = moments(() => standardNormal(rng), 300_000);
    assert.ok(Math.abs(z.mean) < 0.01);
    close(z.variance, 1, 0.01, 'normal variance');
    close(moments(() => exponential(rng, 0.25), 300_000).mean, 4, 0.01, 'exponential mean');
    close(moments(() => logNormal(rng, 0.5, 0.4), 300_000).mean, Math.exp(0.5 + 0.08), 0.01, 'log-normal mean');
  });

  it('pickCumulative picks each index in proportion to its weight and never a zero weight', () => {
    const rng = createRng(8);
    const weights = [0, 1, 3, 0, 6];
    const cum = cumulative(weights);
    const counts = new Array<number>(weights.length).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[pickCumulative(rng, cum)]++;
    assert.equal(counts[0], 0);
    assert.equal(counts[3], 0);
    close(counts[1] / n, 0.1, 0.05, 'weight 1');
    close(counts[2] / n, 0.3, 0.03, 'weight 3');
    close(counts[4] / n, 0.6, 0.02, 'weight 6');
  });

  it('cumulative rejects weights that sum to zero or are negative', () => {
    assert.throws(() => cumulative([0, 0]), RangeError);
    assert.throws(() => cumulative([1, -1]), RangeError);
  });
});
