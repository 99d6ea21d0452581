import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { generateSyntheticHistory } from '../producers/synthetic/synthetic-history.js';
import { sequenceExample, type SequenceExample, type SequenceFeatureOptions } from '../models/sequence/sequence-features.js';
import { fitLstmClv, loadLstmClv, type FittedLstmClv, type LstmClvOptions } from '../models/sequence/lstm-clv-model.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

// A small CDNOW-like base from the project's generator: 13 weekly periods of history as of
// 13 weeks before the end, and the spend of those last 13 weeks as target.
const features: SequenceFeatureOptions = { periodDays: 7, periods: 13, horizonPeriods: 13, minorPerUnit: 100 };
const quiet = { info() {} };
const small: Partial<LstmClvOptions> = { features, seed: 7, lstmUnits: 8, staticUnits: 8, hiddenUnits: 8, batchSize: 64, maxEpochs: 6, patience: 6, learningRate: 0.01, logger: quiet };

let examples: SequenceExample[];
let model: FittedLstmClv;

before(async () => {
  const { truth } = generateSyntheticHistory({ customers: 500, start: '2023-01-01', end: '2024-06-30', seed: 11 });
  const asOf = truth.endDay - features.horizonPeriods * features.periodDays;
  examples = truth.customers
    .map((c) => sequenceExample(c.purchases.map((p) => [p.day, p.valueMinor] as const), asOf, features))
    .filter((e): e is SequenceExample => e !== null);
  model = await fitLstmClv(examples, small);
});

test('ZILN training loss decreases on a synthetic history', () => {
  const report = model.report;
  const history = report.history;
  assert.ok(examples.length > 300 && examples.some((e) => e.target === 0) && examples.some((e) => e.target > 0));
  assert.equal(report.epochs, 6);
  assert.ok(history.every((h) => Number.isFinite(h.trainLoss) && Number.isFinite(h.validationLoss)));
  assert.ok(history[history.length - 1].trainLoss < history[0].trainLoss, JSON.stringify(history));
  assert.equal(report.trainExamples + report.validationExamples, examples.length);
  assert.equal(report.validationExamples, Math.round(examples.length * 0.1));
  assert.ok(report.backend === 'tensorflow' || report.backend === 'wasm', report.backend); // cpu only if both are missing
  assert.equal(model.backend, report.backend);
  assert.equal(report.validationLoss, history[report.bestEpoch - 1].validationLoss);
  assert.ok(report.trainingMs > 0);
});

test('predictions are finite and non-negative, one per row, and leak no tensors', async () => {
  const tensors = tf.memory().numTensors;
  const p = await model.predict(examples);
  assert.equal(p.length, examples.length);
  assert.ok(p.every((v) => Number.isFinite(v) && v >= 0));
  assert.ok(new Set(p).size > examples.length / 2, 'predictions vary by customer');
  assert.equal(tf.memory().numTensors, tensors);
  assert.deepEqual(await model.predict([]), new Float64Array(0));
});

test('save → JSON → load reproduces the predictions exactly', async () => {
  const artifact = JSON.parse(JSON.stringify(await model.save()));
  const loaded = await loadLstmClv(artifact);
  assert.deepEqual(await loaded.predict(examples), await model.predict(examples));
  assert.deepEqual(loaded.report, model.report);
  assert.deepEqual(loaded.architecture, model.architecture);
  assert.deepEqual(await loaded.save(), artifact);
  loaded.dispose();
});

test('chunked inference gives the same predictions as one pass', async () => {
  const chunked = await loadLstmClv(await model.save(), { predictChunkSize: 37 });
  const a = await chunked.predict(examples);
  const b = await model.predict(examples);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * Math.max(1, b[i]), `row ${i}: ${a[i]} vs ${b[i]}`);
  chunked.dispose();
});

test('the same seed gives the same model; another seed another one', async () => {
  const again = await fitLstmClv(examples, small);
  assert.deepEqual(await again.predict(examples), await model.predict(examples));
  assert.deepEqual(again.report.history.map((h) => h.trainLoss), model.report.history.map((h) => h.trainLoss));
  again.dispose();
  const other = await fitLstmClv(examples, { ...small, seed: 8, maxEpochs: 1 });
  assert.notDeepEqual(await other.predict(examples.slice(0, 20)), await model.predict(examples.slice(0, 20)));
  other.dispose();
});

test('early stopping keeps the best epoch and stops after `patience` epochs without progress', async () => {
  const m = await fitLstmClv(examples, { ...small, maxEpochs: 40, patience: 1, learningRate: 0.05 });
  const { history, bestEpoch, epochs, stoppedBy } = m.report;
  const best = Math.min(...history.map((h) => h.validationLoss));
  assert.equal(history[bestEpoch - 1].validationLoss, best);
  assert.equal(stoppedBy, 'patience');
  assert.equal(epochs - bestEpoch, 1);
  assert.ok(epochs < 40);
  m.dispose();
});

test('refuses too little data, bad options and malformed artifacts', async () => {
  await assert.rejects(fitLstmClv(examples.slice(0, 5), small), (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INSUFFICIENT_DATA);
  const zeros = examples.slice(0, 50).map((e) => ({ ...e, target: 0 }));
  await assert.rejects(fitLstmClv(zeros, small), (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INSUFFICIENT_DATA);
  await assert.rejects(fitLstmClv(examples, { ...small, validationFraction: 1 }), RangeError);
  await assert.rejects(fitLstmClv([...examples.slice(0, 20), { ...examples[0], target: Number.NaN }], small), RangeError);
  await assert.rejects(loadLstmClv({ format: 'something-else' }), TypeError);
  const artifact = await model.save();
  artifact.weights[0] = { ...artifact.weights[0], shape: [1, 1] };
  await assert.rejects(loadLstmClv(artifact), /lstm\/input\/kernel/);
  const wrongWidth = { ...examples[0], steps: new Float32Array(3) };
  await assert.rejects(model.predict([wrongWidth]), RangeError);
  const tensors = tf.memory().numTensors;
  await assert.rejects(fitLstmClv([...examples.slice(0, 30), wrongWidth], small), /expects 26/);
  assert.equal(tf.memory().numTensors, tensors, 'a failed fit frees its weights');
});
