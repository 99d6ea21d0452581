import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { LstmClvForward } from '../models/sequence/lstm-clv-forward.js';
import { encodeLstmClvArtifact } from '../models/sequence/lstm-clv-artifact.js';
import { batchTensors, createWeights, initialWeights, lstmClvLogits, seededRandom, type LstmClvArchitecture } from '../models/sequence/lstm-clv-network.js';
import { ensureTfBackend } from '../models/sequence/tf-backend.js';
import type { SequenceRow } from '../models/sequence/sequence-features.js';

const arch: LstmClvArchitecture = { periods: 9, stepFeatures: 2, staticFeatures: 5, lstmUnits: 6, staticUnits: 4, hiddenUnits: 5 };
const values = initialWeights(arch, 5, [0.3, 2.5, 0.4]);
// Non-zero biases everywhere, so the all-zero history has a non-trivial trajectory.
const random = seededRandom(99);
for (const [name, v] of values) if (name.endsWith('bias')) for (let i = 0; i < v.length; i++) v[i] += random() - 0.5;

/** Rows with histories starting at every period, an all-zero one and a full one. */
function rows(): SequenceRow[] {
  const r = seededRandom(3);
  const out: SequenceRow[] = [];
  for (let first = 0; first <= arch.periods; first++) {
    const steps = new Float32Array(arch.periods * arch.stepFeatures);
    for (let t = first; t < arch.periods; t++) {
      // The first period of the history has a purchase; later ones sometimes.
      if (t === first || r() < 0.4) {
        steps[t * 2] = Math.fround(r() * 5);
        steps[t * 2 + 1] = 1 + Math.floor(r() * 3);
      }
    }
    out.push({ steps, statics: Float32Array.from({ length: arch.staticFeatures }, () => r() * 3) });
  }
  return out;
}

/** The network written out naively: every period from a zero state, gate by gate, in float64. */
function naiveLogits(row: SequenceRow): number[] {
  const U = arch.lstmUnits;
  const w = (name: string) => values.get(name)!;
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  let h = new Array<number>(U).fill(0);
  const c = new Array<number>(U).fill(0);
  for (let t = 0; t < arch.periods; t++) {
    const gate = (g: string) => Array.from({ length: U }, (_, u) => {
      let v = w(`lstm/${g}/bias`)[u];
      for (let f = 0; f < 2; f++) v += row.steps[t * 2 + f] * w(`lstm/${g}/kernel`)[f * U + u];
      if (t > 0) for (let j = 0; j < U; j++) v += h[j] * w(`lstm/${g}/recurrent`)[j * U + u];
      return v;
    });
    const [i, f, g, o] = [gate('input'), gate('forget'), gate('cell'), gate('output')];
    const next = new Array<number>(U);
    for (let u = 0; u < U; u++) {
      c[u] = sigmoid(f[u]) * c[u] + sigmoid(i[u]) * Math.tanh(g[u]);
      next[u] = sigmoid(o[u]) * Math.tanh(c[u]);
    }
    h = next;
  }
  const dense = (x: ArrayLike<number>, kernel: Float32Array, width: number, units: number, out: number[]) => {
    for (let j = 0; j < width; j++) for (let k = 0; k < units; k++) out[k] += x[j] * kernel[j * units + k];
    return out;
  };
  const s = dense(row.statics, w('static/kernel'), 5, 4, Array.from(w('static/bias'))).map((v) => Math.max(0, v));
  const m = dense(s, w('hidden/static_kernel'), 4, 5, dense(h, w('hidden/lstm_kernel'), U, 5, Array.from(w('hidden/bias')))).map((v) => Math.max(0, v));
  return dense(m, w('output/kernel'), 5, 3, Array.from(w('output/bias')));
}

test('the forward pass computes the network as written, starting each history at its first purchase period', () => {
  const forward = new LstmClvForward(arch, values);
  const all = rows();
  const logits = forward.logits(all);
  all.forEach((row, i) => {
    const expected = naiveLogits(row);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(logits[3 * i + k] - expected[k]) <= 1e-6 * Math.max(1, Math.abs(expected[k])), `row ${i} logit ${k}: ${logits[3 * i + k]} vs ${expected[k]}`);
  });
});

test('the forward pass agrees with the tfjs graph the network is trained with', async () => {
  await ensureTfBackend({ info() {} });
  const all = rows();
  const weights = createWeights(arch, values, false);
  const trained = tf.tidy(() => {
    const x = batchTensors(arch, all, Int32Array.from(all, (_, i) => i), 0, all.length);
    return lstmClvLogits(weights, x.steps, x.statics).dataSync();
  });
  for (const v of weights.values()) v.dispose();
  const logits = new LstmClvForward(arch, values).logits(all);
  for (let i = 0; i < logits.length; i++) assert.ok(Math.abs(logits[i] - trained[i]) <= 1e-5 * Math.max(1, Math.abs(trained[i])), `value ${i}: ${logits[i]} vs tfjs ${trained[i]}`);
});

test("a row's logits do not depend on the other rows of the call", () => {
  const forward = new LstmClvForward(arch, values);
  const all = rows();
  const together = forward.logits(all);
  all.forEach((row, i) => assert.deepEqual([...forward.logits([row])], [...together.subarray(3 * i, 3 * i + 3)], `row ${i}`));
});

test('a saved network runs from its artifact; a mis-sized row is refused', () => {
  const report = { backend: 'cpu' as const, wasmBinary: null, trainingMs: 1, epochs: 1, bestEpoch: 1, trainLoss: 1, validationLoss: 1, stoppedBy: 'max-epochs' as const, trainExamples: 9, validationExamples: 1, history: [] };
  const artifact = encodeLstmClvArtifact({ periodDays: 7, periods: arch.periods, horizonPeriods: 4, minorPerUnit: 100 }, arch, values, report);
  const all = rows();
  assert.deepEqual(LstmClvForward.fromArtifact(artifact).logits(all), new LstmClvForward(arch, values).logits(all));
  assert.throws(() => new LstmClvForward(arch, values).logits([{ steps: new Float32Array(4), statics: new Float32Array(5) }]), /row 0 has 4 step and 5 static values; the model expects 18 and 5/);
  assert.throws(() => LstmClvForward.fromArtifact({ ...artifact, weights: artifact.weights.slice(1) }), TypeError);
});
