import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBlend, fitBlendWeights } from '../models/ensemble/blend-weights.js';

test('recovers the weights of a planted convex blend of three models and applies them', () => {
  // Customer values drawn from a heavy-tailed spread, like spend; the truth is 0.6·a + 0.3·b + 0.1·c.
  const a = Float64Array.from({ length: 400 }, (_, i) => Math.exp(((i * 37) % 101) / 25));
  const b = Float64Array.from({ length: 400 }, (_, i) => Math.exp(((i * 53) % 97) / 25));
  const c = Float64Array.from({ length: 400 }, (_, i) => ((i * 7) % 13) + 1);
  const actual = Float64Array.from(a, (v, i) => 0.6 * v + 0.3 * b[i] + 0.1 * c[i]);
  const predictions = new Map([['bgnbd', a], ['lstm', b], ['seasonal', c]]);
  const blend = fitBlendWeights(predictions, actual);
  assert.deepEqual(blend.models, ['bgnbd', 'lstm', 'seasonal']);
  [0.6, 0.3, 0.1].forEach((w, j) => assert.ok(Math.abs(blend.weights[j] - w) < 1e-9, String(blend.weights)));
  assert.equal(blend.customers, 400);
  assert.ok(blend.rootMeanSquaredError < 1e-6);
  const blended = applyBlend(blend, predictions);
  for (let i = 0; i < 400; i += 50) assert.ok(Math.abs(blended[i] - actual[i]) < 1e-6);
});

test('weights are convex: no level correction even when every model is 30% low', () => {
  const a = Float64Array.from({ length: 300 }, (_, i) => 1 + (i % 17));
  const b = Float64Array.from({ length: 300 }, (_, i) => 1 + ((i * 5) % 17));
  const actual = Float64Array.from(a, (v, i) => (0.5 * v + 0.5 * b[i]) / 0.7);
  const blend = fitBlendWeights(new Map([['a', a], ['b', b]]), actual);
  assert.ok(Math.abs(blend.weights[0] + blend.weights[1] - 1) < 1e-12, String(blend.weights));
  assert.ok(blend.weights.every((w) => w >= 0));
});

test('a model that only adds noise gets weight 0; matches a brute-force search of the simplex', () => {
  const signal = Float64Array.from({ length: 200 }, (_, i) => (i % 10) + 1);
  const noise = Float64Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 5 : 0));
  const actual = Float64Array.from(signal, (v, i) => v - 0.5 * noise[i]);
  const blend = fitBlendWeights(new Map([['good', signal], ['bad', noise]]), actual);
  assert.equal(blend.weights[1], 0);
  assert.equal(blend.weights[0], 1);
  const sse = (w: number) => actual.reduce((s, y, i) => s + (w * signal[i] + (1 - w) * noise[i] - y) ** 2, 0);
  for (let w = 0; w <= 1; w += 0.01) assert.ok(sse(w) >= sse(1) - 1e-9);
});

test('applyBlend names a missing model; fitting refuses unequal lengths', () => {
  assert.throws(() => applyBlend({ models: ['bgnbd', 'lstm'], weights: [0.5, 0.5] }, new Map([['bgnbd', [1]]])), /lstm/);
  assert.throws(() => fitBlendWeights(new Map([['a', [1, 2]], ['b', [1]]]), [1, 2]), /model b has 1 values/);
});
