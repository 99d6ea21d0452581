import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureTfBackend } from '../models/sequence/tf-backend.js';
import {
  ZILN_SIGMA_FLOOR,
  inverseSoftplus,
  softplus,
  zilnExpectedValue,
  zilnLoss,
  zilnMean,
  zilnNegLogLikelihood,
  zilnQuantile,
  type ZilnLogits,
} from '../models/sequence/ziln-loss.js';

before(async () => {
  await ensureTfBackend({ info() {} });
});

// The case of google/lifetime_value's zero_inflated_lognormal_test.py, computed by hand
// (float64) from the paper's formula:
//   y = 0:   softplus(0.1)                                          = 0.744396660073571
//   y = 1.5: softplus(−0.4) + log 1.5 + log σ + ½ log 2π + (log 1.5 − 0.5)² / 2σ², σ = softplus(0.6)
//                                                                   = 1.8783725912594882
const LOGITS: [number, number, number][] = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]];
const LABELS = [0, 1.5];
const EXPECTED_NLL = [0.744396660073571, 1.8783725912594882];
// p · exp(μ + σ²/2) for the same logits.
const EXPECTED_MEAN = [0.9236378529549288, 1.6907553323445144];

test('ZILN negative log-likelihood matches the hand-computed google/lifetime_value case', () => {
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(zilnNegLogLikelihood(LABELS[i], LOGITS[i]) - EXPECTED_NLL[i]) < 1e-12);
  const loss = tf.tidy(() => zilnLoss(tf.tensor1d(LABELS), tf.tensor2d(LOGITS)).dataSync()[0]);
  assert.ok(Math.abs(loss - (EXPECTED_NLL[0] + EXPECTED_NLL[1]) / 2) < 1e-6, `tensor loss ${loss}`);
});

test('predicted mean p · exp(μ + σ²/2): scalar and tensor forms agree with hand values', () => {
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(zilnExpectedValue(LOGITS[i]) - EXPECTED_MEAN[i]) < 1e-12);
  const means = tf.tidy(() => [...zilnMean(tf.tensor2d(LOGITS)).dataSync()]);
  means.forEach((m, i) => assert.ok(Math.abs(m - EXPECTED_MEAN[i]) < 1e-6));
});

/** ∂loss/∂[ℓ, μ, s] of a single customer, from tf's autodiff. */
function gradient(label: number, logits: ZilnLogits): number[] {
  return tf.tidy(() => [...tf.grad((x: tf.Tensor) => zilnLoss(tf.tensor1d([label]), x as tf.Tensor2D))(tf.tensor2d([[...logits]])).dataSync()]);
}

test('gradient signs: p falls for a zero label and rises for a positive one; μ moves toward log y', () => {
  const [dl0, dmu0, ds0] = gradient(0, [0, 1, 0]);
  assert.ok(dl0 > 0, 'y = 0 pushes ℓ down');
  assert.equal(dmu0, 0, 'y = 0 says nothing about μ');
  assert.equal(ds0, 0, 'y = 0 says nothing about σ');
  const y = Math.E ** 2; // log y = 2
  assert.ok(gradient(y, [0, 1, 0])[0] < 0, 'y > 0 pushes ℓ up');
  assert.ok(gradient(y, [0, 1, 0])[1] < 0, 'μ below log y is pushed up');
  assert.ok(gradient(y, [0, 3, 0])[1] > 0, 'μ above log y is pushed down');
  assert.ok(gradient(y, [0, 2, 0])[2] > 0, 'a perfect μ shrinks σ');
  assert.ok(gradient(y, [0, -2, 0])[2] < 0, 'a far-off μ widens σ');
});

test('autodiff gradient matches central differences of the float64 likelihood', () => {
  const logits: ZilnLogits = [0.3, 1.2, -0.4];
  const y = 5;
  const g = gradient(y, logits);
  for (let k = 0; k < 3; k++) {
    const h = 1e-5;
    const up = [...logits] as [number, number, number];
    const down = [...logits] as [number, number, number];
    up[k] += h;
    down[k] -= h;
    const numeric = (zilnNegLogLikelihood(y, up) - zilnNegLogLikelihood(y, down)) / (2 * h);
    assert.ok(Math.abs(g[k] - numeric) < 1e-4, `component ${k}: ${g[k]} vs ${numeric}`);
  }
});

test('finite for extreme logits: no overflow in the cross-entropy, σ floored', () => {
  assert.ok(Math.abs(zilnNegLogLikelihood(0, [80, 0, 0]) - 80) < 1e-9);
  assert.ok(Number.isFinite(zilnNegLogLikelihood(3, [-80, 0, -200])));
  const loss = tf.tidy(() => zilnLoss(tf.tensor1d([0, 3]), tf.tensor2d([[80, 0, 0], [-80, 1, -200]])).dataSync()[0]);
  assert.ok(Number.isFinite(loss));
  assert.equal(zilnExpectedValue([0, 0, -200]), 0.5 * Math.exp(0.5 * ZILN_SIGMA_FLOOR ** 2));
});

test('softplus and its inverse round-trip', () => {
  for (const y of [1e-3, 0.5, 1, 7, 40]) assert.ok(Math.abs(softplus(inverseSoftplus(y)) - y) < 1e-9 * Math.max(1, y));
  assert.ok(Math.abs(softplus(-50) - Math.exp(-50)) < 1e-30);
});

test('ZILN quantiles: 0 within the zero mass 1 − p, the lognormal\'s quantile at (τ − 1 + p) / p above it', () => {
  // ℓ = 0: p = ½; s = inverseSoftplus(1): σ = 1; μ = 0.
  const l: ZilnLogits = [0, 0, inverseSoftplus(1)];
  assert.equal(zilnQuantile(l, 0.1), 0);
  assert.equal(zilnQuantile(l, 0.5), 0);
  // τ = 0.75 → u = ½: the lognormal's median e^μ = 1.
  assert.ok(Math.abs(zilnQuantile(l, 0.75) - 1) < 1e-9);
  // τ = 0.9 → u = 0.8: e^{Φ⁻¹(0.8)} = e^{0.8416212335729143}.
  assert.ok(Math.abs(zilnQuantile(l, 0.9) - Math.exp(0.8416212335729143)) < 1e-7);
  // Almost everyone buys (p → 1): the quantiles approach the plain lognormal's.
  assert.ok(Math.abs(zilnQuantile([30, 2, inverseSoftplus(0.5)], 0.5) - Math.exp(2)) < 1e-6);
  assert.throws(() => zilnQuantile(l, 1), RangeError);
});
