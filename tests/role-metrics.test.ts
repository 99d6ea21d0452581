import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { analyticsColumns } from '../core/ports/analytics-store.js';
import {
  enableSinkMetrics, enableTrainingMetrics, metricsRegistry, recordSinkInsertFailure, recordSinkInsertRetry, recordSinkRejectedRows, recordTrainingRun, TrainingOutcomes,
} from '../metrics/metrics-registry.js';
import { reportChampion } from '../metrics/report-champion.js';

type Sample = { labels: Record<string, string | number>; value: number };

async function samples(name: string): Promise<Sample[] | undefined> {
  return (await metricsRegistry.getMetricsAsJSON()).find((m) => m.name === name)?.values as Sample[] | undefined;
}

test('training metrics are exported only once a process runs scheduled training, every outcome from zero', async () => {
  assert.equal(await samples('clv_training_runs_total'), undefined, 'not in a process that does not train');
  enableTrainingMetrics();
  enableTrainingMetrics();
  assert.deepEqual((await samples('clv_training_runs_total'))!.map((s) => [s.labels.outcome, s.value]), TrainingOutcomes.map((o) => [o, 0]));
  recordTrainingRun('failed');
  recordTrainingRun('promoted');
  recordTrainingRun('failed');
  const byOutcome = Object.fromEntries((await samples('clv_training_runs_total'))!.map((s) => [s.labels.outcome, s.value]));
  assert.deepEqual(byOutcome, { promoted: 1, not_promoted: 0, insufficient_data: 0, failed: 2 });
});

test('sink metrics: a failure count per analytics table from zero, and a retry count', async () => {
  assert.equal(await samples('clv_sink_insert_failures_total'), undefined, 'not in a process without the sink');
  const tables = Object.keys(analyticsColumns);
  enableSinkMetrics(tables);
  assert.deepEqual((await samples('clv_sink_insert_failures_total'))!.map((s) => s.labels.table).sort(), [...tables].sort());
  assert.equal((await samples('clv_sink_insert_retries_total'))![0].value, 0);
  recordSinkInsertRetry();
  recordSinkInsertFailure('orders');
  assert.equal((await samples('clv_sink_insert_retries_total'))![0].value, 1);
  assert.equal((await samples('clv_sink_insert_failures_total'))!.find((s) => s.labels.table === 'orders')!.value, 1);
  // Rows a table refuses (dead-lettered): counted per table, every table from zero.
  assert.deepEqual((await samples('clv_sink_rejected_rows_total'))!.map((s) => [s.labels.table, s.value]).sort(), [...tables].sort().map((t) => [t, 0]));
  recordSinkRejectedRows('clv_scores', 2);
  assert.equal((await samples('clv_sink_rejected_rows_total'))!.find((s) => s.labels.table === 'clv_scores')!.value, 2);
});

test('the champion gauge follows the registry: the version and when it was registered, one series at a time', async () => {
  const registry = new LocalModelRegistry(await mkdtemp(join(tmpdir(), 'clv-registry-')));
  await reportChampion(registry);
  assert.deepEqual(await samples('clv_champion_trained_timestamp_seconds'), [], 'no champion, no series');
  const info = (version: string, at: string) => ({ version, kind: 'bgnbd-gamma-gamma', registeredAt: at, details: {} });
  await registry.register(info('v1', '2026-01-01T00:00:00Z'), {});
  await registry.register(info('v2', '2026-02-01T12:00:00Z'), {});
  await registry.promote('v1');
  await reportChampion(registry);
  assert.deepEqual((await samples('clv_champion_trained_timestamp_seconds'))!.map((s) => [s.labels.version, s.value]), [['v1', Date.UTC(2026, 0, 1) / 1000]]);
  await registry.promote('v2');
  await reportChampion(registry);
  assert.deepEqual((await samples('clv_champion_trained_timestamp_seconds'))!.map((s) => [s.labels.version, s.value]), [['v2', Date.UTC(2026, 1, 1, 12) / 1000]]);
});
