/**
 * `clv evaluate`'s run on a small synthetic shop: every model is reported, one that cannot be
 * fitted is reported as such while the others run and a champion is still chosen, and a
 * calibration too short for a backtest falls back to BG/NBD + Gamma-Gamma saying why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config/config.js';
import { dayIndexOfDate } from '../core/calendar.js';
import { runModelEvaluation } from '../evaluation/model-evaluation-run.js';
import { metricsJson, predictionsCsv } from '../evaluation/evaluation-report.js';
import { purchaseDaysByCustomer } from '../evaluation/model-evaluation-window.js';
import { trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { generateSyntheticHistory } from '../producers/synthetic/synthetic-history.js';

const config = loadConfig({});
const shop = (() => {
  const h = generateSyntheticHistory({ customers: 1500, seed: 3, start: '2022-01-01', end: '2023-06-30', noise: { duplicateRate: 0, reorderRate: 0, lateRate: 0, invalidRate: 0, poisonRate: 0 } });
  return purchaseDaysByCustomer(h.truth.purchases.map((p) => ({ customerId: p.customerId, day: p.day, amountMinor: p.valueMinor })));
})();
const settings = (lstm: { maxEpochs: number; seed: number }) => ({ training: { ...trainingSettingsFrom(config, 'test'), periodDays: 7 }, holidays: config.holidays, lstm: { ...lstm, logger: { info() {} } } });

test('--model all with an LSTM that cannot be fitted: it is reported as failed, the others run, a champion is chosen', async () => {
  const r = await runModelEvaluation(shop, dayIndexOfDate('2022-12-31'), dayIndexOfDate('2023-06-30'), { model: 'all', ...settings({ maxEpochs: 0, seed: 1 }) });
  assert.match(String(r.details.get('lstm')?.failed), /maxEpochs/);
  assert.ok(!r.metrics.has('lstm'));
  for (const m of ['bgnbd', 'seasonal', 'prophet'] as const) assert.ok(Number.isFinite(r.metrics.get(m)!.value_error), m);
  assert.ok(r.champion !== null && r.metrics.has(r.champion), `champion ${r.champion}`);
  assert.equal(r.headline, r.champion);
  assert.ok(r.backtest!.folds.length >= 2, 'folds inside the calibration period');
  for (const f of r.backtest!.folds) assert.ok(f.window_end <= '2022-12-31', f.window_end);
});

test('a calibration too short for any backtest fold: BG/NBD + Gamma-Gamma is the champion, and the run says why', async () => {
  const r = await runModelEvaluation(shop, dayIndexOfDate('2022-02-28'), dayIndexOfDate('2022-05-31'), { model: 'champion', ...settings({ maxEpochs: 1, seed: 1 }) });
  assert.equal(r.champion, 'bgnbd');
  assert.match(r.selection!.reason, /too short for a backtest fold/);
  assert.deepEqual(r.models, ['bgnbd']);
  assert.equal(r.backtest, null);
  // metrics.json names the kind the stream would score with, as the demo's report does.
  const metrics = metricsJson(r, {});
  assert.equal(metrics.champion_kind, r.bgnbd!.kind);
  assert.equal(metrics.champion_kind, 'bgnbd-gamma-gamma');
});

test('predictions.csv segments one-time buyers as the stream does: silent past the learned lapse, at risk, then lost', async () => {
  const calibrationEnd = dayIndexOfDate('2022-12-31');
  const r = await runModelEvaluation(shop, calibrationEnd, dayIndexOfDate('2023-06-30'), { model: 'bgnbd', ...settings({ maxEpochs: 1, seed: 1 }) });
  const thresholds = r.bgnbd!.thresholds;
  assert.ok(thresholds.oneTimeBuyerAtRiskDays !== null && thresholds.oneTimeBuyerLostDays !== null, 'the lapse training would store');
  const rows = predictionsCsv(r, config.minorPerUnit, 7).trim().split('\n').slice(1).map((l) => l.split(','));
  let silentOneTimeBuyers = 0;
  for (const row of rows) {
    const [frequency, T, segment] = [Number(row[1]), Number(row[3]), row[11]];
    if (frequency !== 0 || T * 7 < thresholds.oneTimeBuyerLostDays!) continue;
    silentOneTimeBuyers++;
    assert.equal(segment, 'lost', row.join(','));
  }
  assert.ok(silentOneTimeBuyers > 0, 'some one-time buyers are silent past the lost lapse');
});
