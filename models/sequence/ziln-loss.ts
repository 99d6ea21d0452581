/**
 * Zero-inflated lognormal (ZILN) loss and predicted mean, from Wang, Liu & Miao (2019),
 * "A Deep Probabilistic Model for Customer Lifetime Value Prediction" (arXiv:1912.07753).
 *
 * The future spend y of a customer is 0 with probability 1 − p (most customers do not come
 * back in the horizon) and lognormal(μ, σ) otherwise. A network emits three logits per
 * customer, [ℓ, μ, s], with p = sigmoid(ℓ) and σ = softplus(s). The paper's loss is the
 * negative log-likelihood of that mixture:
 *
 *   L_ZILN(y; p, μ, σ) = L_CrossEntropy(1{y>0}; p) + 1{y>0} · L_Lognormal(y; μ, σ),
 *   L_Lognormal(y; μ, σ) = log(y σ √(2π)) + (log y − μ)² / (2σ²),
 *
 * and the point prediction is the mixture mean E[y] = p · exp(μ + σ²/2). σ is floored at
 * √1e-7, as in the authors' Keras implementation (google/lifetime_value), so a collapsing
 * scale cannot make the loss infinite. The cross-entropy is computed from the logit
 * (softplus(ℓ) − 1{y>0}·ℓ), never from p, which would lose precision when p → 0 or 1.
 */
import * as tf from '@tensorflow/tfjs';
import { normalQuantile } from '../special-functions/normal-quantile.js';

/** Floor on σ: √(Keras epsilon = 1e-7), as in google/lifetime_value. */
export const ZILN_SIGMA_FLOOR = Math.sqrt(1e-7);

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** The three ZILN logits of one customer: [ℓ (p = sigmoid ℓ), μ, s (σ = softplus s)]. */
export type ZilnLogits = readonly [positiveLogit: number, mu: number, scaleLogit: number];

/**
 * Mean ZILN negative log-likelihood over a batch (a scalar tensor, differentiable in
 * `logits`). `labels`: spend ≥ 0, shape [B] or [B, 1]; `logits`: [B, 3].
 */
export function zilnLoss(labels: tf.Tensor, logits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.reshape(labels, [-1, 1]);
    const positive = tf.cast(tf.greater(y, 0), 'float32');
    const [l, mu, s] = tf.split(logits, 3, 1);
    const crossEntropy = tf.sub(tf.softplus(l), tf.mul(positive, l));
    const sigma = tf.maximum(tf.softplus(s), ZILN_SIGMA_FLOOR);
    // log of a placeholder 1 where y = 0 keeps the masked-out term finite (its gradient
    // is multiplied by 0 rather than being NaN).
    const logY = tf.log(tf.where(tf.greater(y, 0), y, tf.onesLike(y)));
    const z = tf.div(tf.sub(logY, mu), sigma);
    const lognormal = tf.add(tf.add(logY, tf.log(sigma)), tf.add(tf.mul(tf.square(z), 0.5), HALF_LOG_TWO_PI));
    return tf.mean(tf.add(crossEntropy, tf.mul(positive, lognormal)));
  });
}

/** E[y] = sigmoid(ℓ) · exp(μ + σ²/2) per row of `logits` [B, 3]; shape [B]. */
export function zilnMean(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [l, mu, s] = tf.split(logits, 3, 1);
    const sigma = tf.maximum(tf.softplus(s), ZILN_SIGMA_FLOOR);
    return tf.reshape(tf.mul(tf.sigmoid(l), tf.exp(tf.add(mu, tf.mul(tf.square(sigma), 0.5)))), [-1]) as tf.Tensor1D;
  });
}

/** The ZILN negative log-likelihood of one customer, in plain float64 arithmetic. */
export function zilnNegLogLikelihood(label: number, logits: ZilnLogits): number {
  const [l, mu, s] = logits;
  if (!(label > 0)) return softplus(l);
  const sigma = Math.max(softplus(s), ZILN_SIGMA_FLOOR);
  const logY = Math.log(label);
  const z = (logY - mu) / sigma;
  return softplus(-l) + logY + Math.log(sigma) + HALF_LOG_TWO_PI + 0.5 * z * z;
}

/** E[y] = p · exp(μ + σ²/2) of one customer, in plain float64 arithmetic. */
export function zilnExpectedValue(logits: ZilnLogits): number {
  const [l, mu, s] = logits;
  const sigma = Math.max(softplus(s), ZILN_SIGMA_FLOOR);
  return sigmoid(l) * Math.exp(mu + 0.5 * sigma * sigma);
}

/** log(1 + eˣ) without overflow for large x or loss of precision for very negative x. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Inverse of softplus for y > 0: log(eʸ − 1). */
export function inverseSoftplus(y: number): number {
  return y > 30 ? y : Math.log(Math.expm1(y));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * The τ-quantile of the ZILN distribution of one customer (Wang, Liu & Miao 2019: the
 * network's output is a whole distribution, not only its mean): y is 0 with probability
 * 1 − p, so every quantile at or below 1 − p is 0; above it, y is lognormal(μ, σ) and the
 * τ-quantile of the mixture is the lognormal's quantile at (τ − (1 − p)) / p, that is
 * exp(μ + σ Φ⁻¹((τ − 1 + p) / p)). τ ∈ (0, 1).
 */
export function zilnQuantile(logits: ZilnLogits, tau: number): number {
  if (!(tau > 0 && tau < 1)) throw new RangeError(`tau must be in (0, 1), got ${tau}`);
  const [l, mu, s] = logits;
  const p = sigmoid(l);
  const zero = 1 - p;
  if (tau <= zero) return 0;
  const sigma = Math.max(softplus(s), ZILN_SIGMA_FLOOR);
  return Math.exp(mu + sigma * normalQuantile((tau - zero) / p));
}
