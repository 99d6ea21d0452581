import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryAnalyticsStore } from '../adapters/in-memory/in-memory-analytics-store.js';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { dateOfDayIndex, dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { loadLstmClv } from '../models/sequence/lstm-clv-model.js';
import { sequenceRow } from '../models/sequence/sequence-features.js';
import { trainingRunSettingsFrom } from '../training/retrain.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { inputsAsOf, readTrainingData } from '../training/training-data.js';
import { LSTM_ATTACHMENT, trainingLstm, type TrainingLstmRecord } from '../training/training-lstm.js';
import { runTraining } from '../training/training-run.js';
import { changeChampion, rollbackChampion } from '../training/champion-change.js';
import { loadRegisteredModel } from '../models/kinds/model-kinds.js';
import { LstmModel } from '../models/kinds/lstm-model.js';
import { recentPurchaseDays } from '../models/sequence/sequence-features.js';
import { summarizePurchaseDays, toModelInput } from '../core/repeat-purchase-summary.js';
import { endOfDay, EPOCH_DAY, trainingHistories } from './support/training-histories.js';

const config = loadConfig({});
const dayOf = dayIndexer('UTC');
const histories = trainingHistories(300, 400);
const asOfMs = endOfDay(400);
const quiet = { info() {} };
// Small and fast: 2 epochs on ~300 customers; the metrics' quality is not what is checked.
const lstm = { maxEpochs: 2, seed: 1, minorPerUnit: 100, logger: quiet };

async function fixture() {
  const registry = new LocalModelRegistry(await mkdtemp(join(tmpdir(), 'clv-training-lstm-')));
  const analytics = new InMemoryAnalyticsStore();
  let clock = Date.UTC(2026, 10, 1);
  return { registry, analytics, deps: { histories, registry, analytics, dayOf, now: () => (clock += 60_000) } };
}

function assertFiniteMetrics(record: TrainingLstmRecord) {
  for (const key of ['mae_value', 'rmse_value', 'value_error', 'spearman_value', 'top_decile_capture', 'predicted_value_total'] as const) {
    const v = record.holdout[key];
    assert.ok(typeof v === 'number' && Number.isFinite(v), `${key}: ${v}`);
  }
  assert.ok(record.holdout.mae_value! > 0);
}

test('the LSTM learns from labels ending by the calibration end, is judged on the BG/NBD holdout, and its registry attachment predicts as before saving', async () => {
  const data = await readTrainingData(histories, asOfMs, config.trainingHoldoutDays, dayOf);
  const settings = trainingSettingsFrom(config, 'v1-calibration');
  const challenger = trainCustomerValueModel(inputsAsOf(data.calibration.summaries, data.calibrationEndDay, settings.periodDays, settings.minorPerUnit), settings);
  const { model, window, record } = await trainingLstm(histories, data, challenger, lstm);
  try {
    // 90 days of holdout: 12-week labels, the latest ending on the calibration end.
    assert.equal(record.options.label_periods, 12);
    assert.equal(record.options.origins[0], dateOfDayIndex(data.calibrationEndDay - 12 * 7));
    assert.equal(record.holdout.customers, data.calibration.summaries.length, 'the challenger\'s customers');
    assert.ok(Math.abs(record.holdout.actual_value_total - data.calibration.holdout.reduce((a, h) => a + h.valueMinor, 0) / 100) < 1e-6, 'the challenger\'s holdout');
    assertFiniteMetrics(record);
    assert.equal(record.backend, model.backend);

    const rows = window.histories.map((h) => sequenceRow(h, window.cutDay, model.features)!);
    const before = await model.predict(rows);
    assert.ok(before.every(Number.isFinite));
    const f = await fixture();
    await f.registry.register({ version: 'v1', kind: 'test', registeredAt: new Date(0).toISOString(), details: {} }, {});
    await f.registry.attach('v1', LSTM_ATTACHMENT, await model.save());
    const loaded = await loadLstmClv(await f.registry.attachment('v1', LSTM_ATTACHMENT), { logger: quiet });
    try {
      assert.deepEqual(await loaded.predict(rows), before);
    } finally {
      loaded.dispose();
    }
  } finally {
    model.dispose();
  }
});

test('a mid-day as-of: the orders after the calibration end on its day are holdout for the LSTM as for BG/NBD', async () => {
  const midDay = endOfDay(400) - 18 * 3_600_000; // 06:00, before the fixture's noon orders
  const data = await readTrainingData(histories, midDay, config.trainingHoldoutDays, dayOf);
  let onCutDay = 0;
  for await (const page of histories.scan(1000)) for (const [, h] of page) onCutDay += h.orders.filter((o) => o.day === data.calibrationEndDay).length;
  assert.ok(onCutDay > 0, 'the fixture has orders on the calibration end\'s day');
  const settings = trainingSettingsFrom(config, 'v1-calibration');
  const challenger = trainCustomerValueModel(inputsAsOf(data.calibration.summaries, data.calibrationEndDay, settings.periodDays, settings.minorPerUnit), settings);
  const { model, record } = await trainingLstm(histories, data, challenger, { ...lstm, maxEpochs: 1 });
  model.dispose();
  assert.equal(record.holdout.customers, data.calibration.summaries.length);
  assert.ok(Math.abs(record.holdout.actual_value_total - data.calibration.holdout.reduce((a, h) => a + h.valueMinor, 0) / 100) < 1e-6);
});

test('a run with the LSTM keeps it with the version and records its metrics, options and backend in the details and the model run', async () => {
  const f = await fixture();
  const run = await runTraining(f.deps, { ...trainingRunSettingsFrom(config, { version: 'v1', asOfMs }), lstm });
  assert.ok(run.lstm !== null && 'record' in run.lstm, JSON.stringify(run.lstm));
  const record = run.lstm.record;
  assertFiniteMetrics(record);
  assert.equal(record.holdout.customers, run.challenger.customers);
  assert.equal(record.options.max_epochs, 2);
  assert.match(record.backend, /^(tensorflow|wasm|cpu)$/);
  const { info } = await f.registry.load('v1');
  assert.deepEqual(info.details.lstm, JSON.parse(JSON.stringify(record)));
  const [row] = await f.analytics.modelRuns();
  assert.deepEqual(JSON.parse(row.metrics_json).lstm, JSON.parse(JSON.stringify(record)));
  const loaded = await loadLstmClv(await f.registry.attachment('v1', LSTM_ATTACHMENT), { logger: quiet });
  try {
    assert.equal(loaded.report.epochs, record.training.epochs);
    // A customer who bought on days 100 and 300 (50.00, 20.00), as of day 400.
    const p = await loaded.predict([sequenceRow([[EPOCH_DAY + 100, 5000], [EPOCH_DAY + 300, 2000]], EPOCH_DAY + 400, loaded.features)!]);
    assert.equal(p.length, 1);
    assert.ok(Number.isFinite(p[0]) && p[0] >= 0);
  } finally {
    loaded.dispose();
  }
  assert.equal(run.promoted, true, 'the BG/NBD model is deployed as ever');
});

test('a failing LSTM is reported and costs the run nothing else', async () => {
  const f = await fixture();
  const run = await runTraining(f.deps, { ...trainingRunSettingsFrom(config, { version: 'v1', asOfMs }), lstm: { ...lstm, maxEpochs: 0 } });
  assert.ok(run.lstm !== null && 'error' in run.lstm);
  assert.match(run.lstm.error, /maxEpochs/);
  assert.equal(await f.registry.championVersion(), 'v1');
  assert.equal(await f.registry.attachment('v1', LSTM_ATTACHMENT), null);
  assert.deepEqual((await f.registry.load('v1')).info.details.lstm, { error: run.lstm.error });
});

test('off unless CLV_TRAIN_LSTM=true; CLV_LSTM_EPOCHS bounds its epochs', async () => {
  assert.equal(trainingRunSettingsFrom(config, { version: 'v', asOfMs }).lstm, null);
  const on = trainingRunSettingsFrom(loadConfig({ CLV_TRAIN_LSTM: 'true', CLV_LSTM_EPOCHS: '3' }), { version: 'v', asOfMs }).lstm;
  assert.deepEqual(on, { maxEpochs: 3, seed: 1, minorPerUnit: 100 });
  assert.throws(() => loadConfig({ CLV_TRAIN_LSTM: 'yes' }), /CLV_TRAIN_LSTM="yes": expected true or false/);
  const f = await fixture();
  const run = await runTraining(f.deps, trainingRunSettingsFrom(config, { version: 'v1', asOfMs }));
  assert.equal(run.lstm, null);
  assert.equal(await f.registry.attachment('v1', LSTM_ATTACHMENT), null);
  assert.equal((await f.registry.load('v1')).info.details.lstm, undefined);
});

test('a run with the LSTM also registers a deployable lstm version, not promoted; promote and rollback move the champion to it and back', async () => {
  const f = await fixture();
  const run = await runTraining(f.deps, { ...trainingRunSettingsFrom(config, { version: 'v1', asOfMs }), lstm });
  assert.ok(run.lstmKind && 'version' in run.lstmKind && run.lstmKind.version === 'v1-lstm', JSON.stringify(run.lstmKind));
  assert.equal(await f.registry.championVersion(), 'v1', 'the run deploys the kind the backtest chose');
  const { info } = await f.registry.load('v1-lstm');
  assert.equal(info.kind, 'lstm');
  assert.equal((info.details as { status: string }).status, 'challenger');
  const model = await loadRegisteredModel(f.registry, 'v1-lstm');
  assert.ok(model instanceof LstmModel && model.thresholds.oneTimeBuyerAtRiskDays !== null);
  // The deployed network is the one judged on the holdout (fitted once per run), kept as the run's attachment.
  assert.deepEqual(JSON.parse(JSON.stringify(model.network)), JSON.parse(JSON.stringify(await f.registry.attachment('v1', LSTM_ATTACHMENT))));
  // A customer who bought on days 100 and 300 (50.00, 20.00), scored as of day 400 from the features' bounded history.
  const days: Array<[number, number]> = [[EPOCH_DAY + 100, 5000], [EPOCH_DAY + 300, 2000]];
  const summary = summarizePurchaseDays(days)!;
  const [p] = await model.predictBatch([{ input: toModelInput(summary, EPOCH_DAY + 400, 7, 100), summary, recentDays: recentPurchaseDays(days, summary.lastDay) }]);
  assert.ok(p.clv > 0 && p.interval!.lower <= p.clv && p.clv <= p.interval!.upper * 2, JSON.stringify(p));
  // Its model run is recorded beside the run's own, and restated as the champion moves.
  const status = async () => Object.fromEntries((await f.analytics.modelRuns()).map((r) => [r.version, `${r.kind} ${r.status}`]));
  assert.deepEqual(await status(), { v1: `${run.model.kind} champion`, 'v1-lstm': 'lstm challenger' });
  const lstmRun = (await f.analytics.modelRuns()).find((r) => r.version === 'v1-lstm')!;
  assert.equal(JSON.parse(lstmRun.params_json).trained_with, 'v1');
  assert.deepEqual(JSON.parse(lstmRun.metrics_json).lstm, JSON.parse(JSON.stringify(run.lstm && 'record' in run.lstm ? run.lstm.record : null)));
  await changeChampion(f.deps, 'v1-lstm', 'manual');
  assert.equal(await f.registry.championVersion(), 'v1-lstm');
  assert.deepEqual(await status(), { v1: `${run.model.kind} retired`, 'v1-lstm': 'lstm champion' });
  assert.deepEqual(await rollbackChampion(f.deps), { version: 'v1', previous: 'v1-lstm' });
  assert.deepEqual(await status(), { v1: `${run.model.kind} champion`, 'v1-lstm': 'lstm retired' });
  await model.dispose();
});
