import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLstmClvArtifact, encodeLstmClvArtifact, LSTM_CLV_ARTIFACT_FORMAT } from '../models/sequence/lstm-clv-artifact.js';
import { initialWeights, type LstmClvArchitecture } from '../models/sequence/lstm-clv-network.js';
import type { LstmClvTrainingReport } from '../models/sequence/lstm-clv-options.js';

const features = { periodDays: 7, periods: 3, horizonPeriods: 4, minorPerUnit: 100 };
const arch: LstmClvArchitecture = { periods: 3, stepFeatures: 2, staticFeatures: 5, lstmUnits: 4, staticUnits: 3, hiddenUnits: 2 };
const report: LstmClvTrainingReport = {
  backend: 'wasm', wasmBinary: 'simd', trainingMs: 12.5, epochs: 2, bestEpoch: 1, trainLoss: 2, validationLoss: 2.1,
  stoppedBy: 'max-epochs', trainExamples: 90, validationExamples: 10,
  history: [{ epoch: 1, trainLoss: 2, validationLoss: 2.1, ms: 6 }, { epoch: 2, trainLoss: 1.9, validationLoss: 2.2, ms: 6 }],
};
const values = initialWeights(arch, 3, [-0.5, 2, 0.1]);

test('JSON round trip restores every weight bit for bit', () => {
  const json = JSON.parse(JSON.stringify(encodeLstmClvArtifact(features, arch, values, report)));
  const { artifact, values: back } = decodeLstmClvArtifact(json);
  assert.equal(artifact.format, LSTM_CLV_ARTIFACT_FORMAT);
  assert.deepEqual(artifact.report, report);
  assert.deepEqual(back, values);
});

test('weights are little-endian float32 in base64', () => {
  const one = new Map([...values].map(([k, v]) => [k, v.map(() => 1)]));
  const artifact = encodeLstmClvArtifact(features, arch, one, report);
  assert.deepEqual([...Buffer.from(artifact.weights[0].base64, 'base64').subarray(0, 4)], [0x00, 0x00, 0x80, 0x3f]);
});

test('rejects other formats, shape mismatches, truncated and non-finite weights', () => {
  const good = () => JSON.parse(JSON.stringify(encodeLstmClvArtifact(features, arch, values, report)));
  assert.throws(() => decodeLstmClvArtifact(null), TypeError);
  assert.throws(() => decodeLstmClvArtifact({ ...good(), version: 2 }), TypeError);
  assert.throws(() => decodeLstmClvArtifact({ ...good(), architecture: { ...arch, periods: 4 } }), /periods/);
  assert.throws(() => decodeLstmClvArtifact({ ...good(), features: { ...features, periodDays: 0 } }), TypeError);
  const short = good();
  short.weights[2].base64 = short.weights[2].base64.slice(0, 8);
  assert.throws(() => decodeLstmClvArtifact(short), /lstm\/input\/bias has 6 bytes/);
  const missing = good();
  missing.weights.pop();
  assert.throws(() => decodeLstmClvArtifact(missing), /output\/bias/);
  const nan = good();
  nan.weights[0].base64 = Buffer.from(new Float32Array(8).fill(Number.NaN).buffer).toString('base64');
  assert.throws(() => decodeLstmClvArtifact(nan), /non-finite/);
});
