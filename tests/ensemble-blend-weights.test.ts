import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBlend, fitBlendWeights } from '../models/ensemble/blend-weights.js';

test('recovers the weights of a planted blend of two models and applies them', () => {
  // Customer values drawn from a heavy-tailed spread, like spend; the truth is 0.8·a + 0.3·b.
  const a = Float64Array.from({ length: 400 }, (_, i) => Math.exp(((i * 37) % 101) / 25));
  const b = Float64Array.from({ length: 400 }, (_, i) => Math.exp(((i * 53) % 97) / 25));
  const actual = Float64Array.from(a, (v, i) => 0.8 * v + 0.3 * b[i]);
  const predictions = new Map([['bgnbd', a], ['lstm', b]]);
  const blend = fitBlendWeights(predictions, actual);
  assert.deepEqual(blend.models, ['bgnbd', 'lstm']);
  assert.ok(Math.abs(blend.weights[0] - 0.8) < 1e-9 && Math.abs(blend.weights[1] - 0.3) < 1e-9, String(blend.weights));
  assert.equal(blend.customers, 400);
  assert.ok(blend.rootMeanSquaredError < 1e-6);
  const blended = applyBlend(blend, predictions);
  for (let i = 0; i < 400; i += 50) assert.ok(Math.abs(blended[i] - actual[i]) < 1e-6);
});

test('a model that only adds noise gets weight 0', () => {
  const signal = Float64Array.from({ length: 200 }, (_, i) => (i % 10) + 1);
  const noise = Float64Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 5 : 0));
  const actual = Float64Array.from(signal, (v, i) => v - 0.5 * noise[i]);
  const blend = fitBlendWeights(new Map([['good', signal], ['bad', noise]]), actual);
  assert.equal(blend.weights[1], 0);
  assert.ok(blend.weights[0] > 0);
});

test('applyBlend names a missing model', () => {
  assert.throws(() => applyBlend({ models: ['bgnbd', 'lstm'], weights: [1, 1] }, new Map([['bgnbd', [1]]])), /lstm/);
});
