import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LSTM_CLV_OPTIONS, resolveLstmClvOptions } from '../models/sequence/lstm-clv-options.js';

test('defaults: 16-unit LSTM, batches of 512, patience 3, 10% validation, 26 weekly periods', () => {
  const o = resolveLstmClvOptions({});
  assert.deepEqual({ ...o }, { ...DEFAULT_LSTM_CLV_OPTIONS });
  assert.equal(o.lstmUnits, 16);
  assert.equal(o.features.periods, 26);
  assert.ok(Object.isFrozen(DEFAULT_LSTM_CLV_OPTIONS));
});

test('given settings override the defaults', () => {
  assert.equal(resolveLstmClvOptions({ patience: 5 }).patience, 5);
});

test('rejects settings out of range, naming them', () => {
  assert.throws(() => resolveLstmClvOptions({ lstmUnits: 0 }), /lstmUnits/);
  assert.throws(() => resolveLstmClvOptions({ batchSize: 2.5 }), /batchSize/);
  assert.throws(() => resolveLstmClvOptions({ learningRate: -1 }), /learningRate/);
  assert.throws(() => resolveLstmClvOptions({ validationFraction: 0 }), /validationFraction/);
  assert.throws(() => resolveLstmClvOptions({ seed: 0.5 }), /seed/);
  assert.throws(() => resolveLstmClvOptions({ features: { ...DEFAULT_LSTM_CLV_OPTIONS.features, periods: 0 } }), /periods/);
});
