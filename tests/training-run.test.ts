import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryAnalyticsStore } from '../adapters/in-memory/in-memory-analytics-store.js';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { rollbackChampion } from '../training/champion-change.js';
import { trainingRunSettingsFrom } from '../training/retrain.js';
import { runTraining, type TrainingRunDeps } from '../training/training-run.js';
import { endOfDay, trainingHistories } from './support/training-histories.js';

const config = loadConfig({});
const histories = trainingHistories(600, 400);
const asOfMs = endOfDay(400);

async function fixture() {
  const registry = new LocalModelRegistry(await mkdtemp(join(tmpdir(), 'clv-training-')));
  const analytics = new InMemoryAnalyticsStore();
  let clock = Date.UTC(2026, 10, 1);
  const deps: TrainingRunDeps = { histories, registry, analytics, dayOf: dayIndexer('UTC'), now: () => (clock += 60_000) };
  const settings = (version: string, o: { force?: boolean; promote?: boolean; margin?: number } = {}) => ({
    ...trainingRunSettingsFrom(config, { version, asOfMs, force: o.force, promote: o.promote }),
    promotionMargin: o.margin ?? config.promotionMargin,
  });
  const statuses = async () => Object.fromEntries((await analytics.modelRuns()).map((r) => [r.version, r.status]));
  return { registry, analytics, deps, settings, statuses };
}

test('the first run has no champion to beat: promoted, registered with its window and metrics, recorded as champion', async () => {
  const f = await fixture();
  const run = await runTraining(f.deps, f.settings('v1'));
  assert.equal(run.promoted, true);
  assert.equal(run.reason, 'no champion to beat');
  assert.equal(await f.registry.championVersion(), 'v1');
  assert.deepEqual(await f.statuses(), { v1: 'champion' });
  const [row] = await f.analytics.modelRuns();
  assert.equal(row.holdout_end, Math.floor(asOfMs / 1000) * 1000);
  assert.equal(row.calibration_end, Math.floor((asOfMs - 90 * 86_400_000) / 1000) * 1000);
  assert.ok(row.calibration_start < row.calibration_end);
  const metrics = JSON.parse(row.metrics_json);
  assert.equal(metrics.promotion_metric, 'holdout value MAE');
  assert.ok(metrics.challenger.mae_value > 0 && metrics.champion === null);
  // The deployed model is refit on everything up to as-of, not the calibration fit that was judged.
  const params = JSON.parse(row.params_json);
  assert.notDeepEqual(params.deployed.bgnbd.params, params.calibration.bgnbd.params);
  assert.equal(run.figures.customers, run.challenger.customers);
  assert.ok(run.figures.repeatCustomers > 30 && run.figures.historyDays >= 280);
  const { info } = await f.registry.load('v1');
  assert.equal(info.details.status, 'champion');
  assert.deepEqual((info.details.window as { holdout_days: number }).holdout_days, 90);
  // The one-time-buyer lapse learned from the same histories is stored with the thresholds.
  const lapse = info.details.one_time_buyer_lapse as { at_risk_days: number; lost_days: number; source: string; return_gaps: number };
  assert.equal(lapse.source, 'return-gaps');
  assert.ok(lapse.return_gaps >= 30 && lapse.at_risk_days > 0 && lapse.lost_days > lapse.at_risk_days, JSON.stringify(lapse));
  const thresholds = JSON.parse(row.params_json).thresholds;
  assert.deepEqual([thresholds.oneTimeBuyerAtRiskDays, thresholds.oneTimeBuyerLostDays], [lapse.at_risk_days, lapse.lost_days]);
});

test('a challenger that does not beat the champion by the margin is registered and recorded, not promoted; --force promotes it', async () => {
  const f = await fixture();
  await runTraining(f.deps, f.settings('v1'));
  // A margin of 100% cannot be met: the comparison itself is what is checked here.
  const kept = await runTraining(f.deps, f.settings('v2', { margin: 1 }));
  assert.equal(kept.promoted, false);
  assert.ok(kept.champion !== null && kept.champion.customers === kept.challenger.customers, 'both judged on the same holdout');
  assert.match(kept.reason, /holdout value MAE [\d.]+ vs champion [\d.]+: needs 0\.0000 or less \(CLV_PROMOTION_MARGIN 1\)/);
  assert.equal(await f.registry.championVersion(), 'v1');
  assert.deepEqual(await f.statuses(), { v1: 'champion', v2: 'challenger' });
  const forced = await runTraining(f.deps, f.settings('v3', { margin: 1, force: true }));
  assert.equal(forced.promoted, true);
  assert.match(forced.reason, /^forced/);
  assert.deepEqual(await f.statuses(), { v1: 'retired', v2: 'challenger', v3: 'champion' });
});

test('--no-promote registers a winner without promoting it', async () => {
  const f = await fixture();
  const run = await runTraining(f.deps, f.settings('v1', { promote: false }));
  assert.equal(run.promoted, false);
  assert.match(run.reason, /not promoted \(--no-promote\)/);
  assert.equal(await f.registry.championVersion(), null);
  assert.deepEqual(await f.statuses(), { v1: 'challenger' });
});

test('too little data is refused before anything is fitted or registered', async () => {
  const f = await fixture();
  const s = f.settings('v1');
  await assert.rejects(
    runTraining(f.deps, { ...s, readiness: { ...s.readiness, minRepeatCustomers: 5000 } }),
    (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INSUFFICIENT_DATA && /\d+ repeat customers before the holdout, CLV_MIN_REPEAT_CUSTOMERS is 5000/.test(e.message),
  );
  await assert.rejects(runTraining(f.deps, { ...s, asOfMs: endOfDay(100) }), /days of history, CLV_MIN_HISTORY_DAYS is 180/);
  assert.deepEqual(await f.registry.list(), []);
  assert.deepEqual(await f.analytics.modelRuns(), []);
});

test('rollback returns to the previous champion (then the one before), in the registry and the model runs', async () => {
  const f = await fixture();
  await runTraining(f.deps, f.settings('v1'));
  await runTraining(f.deps, f.settings('v2', { force: true }));
  await runTraining(f.deps, f.settings('v3', { force: true }));
  const changeDeps = { registry: f.registry, analytics: f.analytics, now: f.deps.now };
  assert.deepEqual(await rollbackChampion(changeDeps), { version: 'v2', previous: 'v3' });
  assert.equal(await f.registry.championVersion(), 'v2');
  assert.deepEqual(await f.statuses(), { v1: 'retired', v2: 'champion', v3: 'retired' });
  assert.deepEqual(await rollbackChampion(changeDeps), { version: 'v1', previous: 'v2' });
  await assert.rejects(rollbackChampion(changeDeps), /no champion before v1 to roll back to/);
  assert.deepEqual(await rollbackChampion(changeDeps, 'v3'), { version: 'v3', previous: 'v1' });
  assert.deepEqual(await f.statuses(), { v1: 'retired', v2: 'retired', v3: 'champion' });
  assert.deepEqual((await f.registry.promotions()).map((p) => [p.version, p.reason, p.previous]), [
    ['v1', 'training', null], ['v2', 'training', 'v1'], ['v3', 'training', 'v2'], ['v2', 'rollback', 'v3'], ['v1', 'rollback', 'v2'], ['v3', 'rollback', 'v1'],
  ]);
});

test('a champion whose deployed fit saw the holdout is judged by its calibration fit; an older one as deployed', async () => {
  const f = await fixture();
  await runTraining(f.deps, f.settings('v1'));
  // Same data, same as-of: v1's deployed fit saw the whole holdout, its calibration fit none of it,
  // and that fit is exactly the challenger's — a tie, which does not promote.
  const tie = await runTraining(f.deps, f.settings('v2', { margin: 0 }));
  assert.deepEqual(tie.champion, tie.challenger);
  assert.equal(tie.promoted, false);
  assert.deepEqual((await f.registry.load('v2')).info.details.compared_with, { version: 'v1', fit: 'calibration' });

  const g = await fixture();
  await runTraining(g.deps, { ...g.settings('old'), asOfMs: endOfDay(280) });
  const later = await runTraining(g.deps, g.settings('new'));
  assert.deepEqual((await g.registry.load('new')).info.details.compared_with, { version: 'old', fit: 'deployed' });
  assert.notDeepEqual(later.champion, later.challenger);
});

test('a champion of a kind this trainer cannot evaluate is kept unless --force', async () => {
  // A kind this build does not know (the lstm kind, which it loads but cannot judge on a holdout, takes the same path).
  const f = await fixture();
  await f.registry.register({ version: 'gbdt-1', kind: 'gbdt', registeredAt: '2026-01-01T00:00:00Z', details: {} }, {});
  await f.registry.promote('gbdt-1');
  const kept = await runTraining(f.deps, f.settings('v1'));
  assert.equal(kept.promoted, false);
  assert.match(kept.reason, /champion gbdt-1 cannot be evaluated here \(model gbdt-1 is a gbdt model.*\); use --force to replace it/);
  const forced = await runTraining(f.deps, f.settings('v2', { force: true }));
  assert.equal(forced.promoted, true);
  assert.equal(await f.registry.championVersion(), 'v2');
});
