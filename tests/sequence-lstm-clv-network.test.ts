import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureTfBackend } from '../models/sequence/tf-backend.js';
import { batchTensors, createWeights, initialWeights, lstmClvLogits, seededRandom, weightShapes, type LstmClvArchitecture } from '../models/sequence/lstm-clv-network.js';

const arch: LstmClvArchitecture = { periods: 3, stepFeatures: 2, staticFeatures: 5, lstmUnits: 4, staticUnits: 3, hiddenUnits: 2 };
const rows = [0, 1, 2].map((r) => ({
  steps: Float32Array.from({ length: 6 }, (_, i) => 10 * r + i),
  statics: Float32Array.from({ length: 5 }, (_, i) => 0.1 * (r + i)),
}));

before(async () => {
  await ensureTfBackend({ info() {} });
});

test('topology: four gates of kernel, recurrent and bias, then static, hidden and 3 outputs', () => {
  const shapes = new Map(weightShapes(arch));
  assert.equal(shapes.size, 12 + 7);
  assert.deepEqual(shapes.get('lstm/forget/kernel'), [2, 4]);
  assert.deepEqual(shapes.get('lstm/cell/recurrent'), [4, 4]);
  assert.deepEqual(shapes.get('hidden/static_kernel'), [3, 2]);
  assert.deepEqual(shapes.get('output/kernel'), [2, 3]);
});

test('seeded initialisation: reproducible, Glorot-bounded, forget bias 1, output bias as given', () => {
  const a = initialWeights(arch, 5, [-1, 3, 0.5]);
  assert.deepEqual(initialWeights(arch, 5, [-1, 3, 0.5]), a);
  assert.notDeepEqual(initialWeights(arch, 6, [-1, 3, 0.5]).get('lstm/input/kernel'), a.get('lstm/input/kernel'));
  assert.deepEqual([...a.get('lstm/forget/bias')!], [1, 1, 1, 1]);
  assert.deepEqual([...a.get('lstm/input/bias')!], [0, 0, 0, 0]);
  assert.deepEqual([...a.get('output/bias')!], [-1, 3, 0.5]);
  const limit = Math.sqrt(6 / (4 + 16)); // recurrent [U, U], fan-out over the four gates
  assert.ok(a.get('lstm/output/recurrent')!.every((v) => Math.abs(v) <= limit && v !== 0));
});

test('batches are time-major: period t of every selected row in one [B, F] tensor', () => {
  tf.tidy(() => {
    const { steps, statics } = batchTensors(arch, rows, [2, 0], 0, 2);
    assert.equal(steps.length, 3);
    assert.deepEqual(steps[1].arraySync(), [[22, 23], [2, 3]]);
    assert.deepEqual(statics.shape, [2, 5]);
  });
  assert.throws(() => batchTensors({ ...arch, periods: 4 }, rows, [0], 0, 1), RangeError);
});

test('the forward pass matches a float64 textbook LSTM (true tanh) on the same weights', () => {
  const values = initialWeights(arch, 9, [0.2, 1, -0.3]);
  const w = createWeights(arch, values, false);
  const logits = tf.tidy(() => {
    const { steps, statics } = batchTensors(arch, rows, [1], 0, 1);
    return [...lstmClvLogits(w, steps, statics).dataSync()];
  });
  const ref = referenceLogits(values, rows[1]);
  logits.forEach((v, k) => assert.ok(Math.abs(v - ref[k]) < 1e-4, `${k}: ${v} vs ${ref[k]}`));
  for (const v of w.values()) v.dispose();
});

test('mulberry32 is reproducible and uniform-looking', () => {
  const r = seededRandom(42);
  const xs = Array.from({ length: 10_000 }, r);
  assert.deepEqual(Array.from({ length: 10_000 }, seededRandom(42)), xs);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5) < 0.01);
});

/** Float64 LSTM with the textbook tanh, to check the fast-tanh identity and the wiring. */
function referenceLogits(v: Map<string, Float32Array>, row: { steps: Float32Array; statics: Float32Array }): number[] {
  const { lstmUnits: U, stepFeatures: F } = arch;
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const dense = (x: ArrayLike<number>, k: Float32Array, b: Float32Array, out: number) =>
    Array.from({ length: out }, (_, j) => Array.from(x).reduce((s, xi, i) => s + xi * k[i * out + j], b[j]));
  let h = new Array<number>(U).fill(0);
  let c = new Array<number>(U).fill(0);
  for (let t = 0; t < arch.periods; t++) {
    const x = row.steps.subarray(t * F, t * F + F);
    const gate = (g: string) => {
      const a = dense(x, v.get(`lstm/${g}/kernel`)!, v.get(`lstm/${g}/bias`)!, U);
      const r = dense(h, v.get(`lstm/${g}/recurrent`)!, new Float32Array(U), U);
      return a.map((ai, j) => ai + r[j]);
    };
    const [i, f, g, o] = [gate('input').map(sig), gate('forget').map(sig), gate('cell').map(Math.tanh), gate('output').map(sig)];
    c = c.map((cj, j) => f[j] * cj + i[j] * g[j]);
    h = c.map((cj, j) => o[j] * Math.tanh(cj));
  }
  const s = dense(row.statics, v.get('static/kernel')!, v.get('static/bias')!, arch.staticUnits).map((z) => Math.max(0, z));
  const fromH = dense(h, v.get('hidden/lstm_kernel')!, new Float32Array(arch.hiddenUnits), arch.hiddenUnits);
  const fromS = dense(s, v.get('hidden/static_kernel')!, v.get('hidden/bias')!, arch.hiddenUnits);
  const merged = fromH.map((z, j) => Math.max(0, z + fromS[j]));
  return dense(merged, v.get('output/kernel')!, v.get('output/bias')!, 3);
}
