import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromClickHouseRow, parseInt64, toClickHouseRow, clickhouseColumns } from '../adapters/clickhouse/table-columns.js';
import { sampleRows } from './support/analytics-store-contract.js';

test('clickhouse columns: a row becomes JSONEachRow with DateTime seconds and exact event_time_ms', () => {
  const row = sampleRows().customer_features;
  const ch = toClickHouseRow('customer_features', row);
  assert.equal(ch.event_time, Math.floor(row.event_time / 1000));
  assert.equal(ch.event_time_ms, row.event_time);
  assert.equal(ch.first_purchase_time, row.first_purchase_time / 1000);
  assert.deepEqual(Object.keys(ch), Object.keys(clickhouseColumns('customer_features')));
});

test('clickhouse columns: JSON results come back as the port rows, 64-bit integers from strings', () => {
  const raw = { version: 'v1', kind: 'k', trained_at: '852120000000', calibration_start: 0, calibration_end: '1000', holdout_end: '2000',
    params_json: '{}', metrics_json: '{}', status: 'champion', updated_at: '852120000000' };
  assert.deepEqual(fromClickHouseRow('model_runs', raw), { ...raw, trained_at: 852120000000, calibration_end: 1000, holdout_end: 2000, updated_at: 852120000000 });
  assert.equal(parseInt64('-9007199254740991', 'x'), -9007199254740991);
  for (const bad of ['9007199254740993', '1.5', '', '1e3', null]) assert.throws(() => parseInt64(bad, 'x'), /not a safe integer/);
});
