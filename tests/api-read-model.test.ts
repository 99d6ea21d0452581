import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScoreStoreReadModel } from '../read-model/score-store-read-model.js';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { dayIndexer } from '../core/calendar.js';
import type { CustomerFeaturesEvent } from '../core/events.js';
import type { Segment } from '../core/segmentation.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { defaultPolicy, linearModel } from './support/embedded-pipeline.js';

const scoring = { dayOf: dayIndexer('UTC'), policy: defaultPolicy, minorPerUnit: 100 };
const features = (id: string): CustomerFeaturesEvent => ({
  event_id: id, event_time: Date.UTC(2024, 0, 10), customer_id: id, first_purchase_time: Date.UTC(2023, 0, 1), last_purchase_time: Date.UTC(2024, 0, 1),
  purchase_days: 3, repeat_purchase_days: 2, repeat_value_minor: 5000, total_value_minor: 7000, currency: 'USD', category_summary: [],
});
const state = (id: string, segment: Segment | null): CustomerScoreState => ({ features: features(id), segment, clvMinor: segment ? 2000 : 0, modelVersion: segment ? linearModel.version : null, asOfMs: null, recommendation: null, interval: null, sequence: segment ? 1 : 0, sweptToMs: null });

async function walk(rm: ScoreStoreReadModel, segment: Segment, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const page = await rm.customersOfSegment(segment, { after, limit });
    ids.push(...page.customers.map((c) => c.customerId));
    after = page.next;
  } while (after !== null);
  return ids;
}

test('the index follows customers as writes through scoresStore move them between segments', async () => {
  const rm = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => linearModel, scoring });
  await rm.scoresStore.setMany(new Map([['C1', state('C1', null)], ['C2', state('C2', 'new')], ['C3', state('C3', 'new')]]));
  assert.deepEqual((await rm.segmentSizes()).segments.new, 2);
  assert.equal((await rm.segmentSizes()).unscored, 1);
  await rm.scoresStore.setMany(new Map([['C1', state('C1', 'high_value')], ['C2', state('C2', 'at_risk')]]));
  const sizes = await rm.segmentSizes();
  assert.deepEqual([sizes.segments.new, sizes.segments.high_value, sizes.segments.at_risk, sizes.unscored], [1, 1, 1, 0]);
  assert.deepEqual(await walk(rm, 'new', 1), ['C3']);
  assert.deepEqual(await walk(rm, 'at_risk', 1), ['C2']);
});

test('a failed store write leaves the index untouched', async () => {
  const inner = new InMemoryStateStore<CustomerScoreState>();
  const failing = Object.assign(Object.create(inner), { setMany: async () => { throw new Error('redis down'); } });
  const rm = new ScoreStoreReadModel({ scores: failing, currentModel: () => linearModel, scoring });
  await assert.rejects(rm.scoresStore.setMany(new Map([['C1', state('C1', 'new')]])));
  assert.equal((await rm.segmentSizes()).segments.new, 0);
});

test('pages of 1..n walk a segment of 2,500 customers exactly once in id order', async () => {
  const rm = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => linearModel, scoring });
  const ids = Array.from({ length: 2500 }, (_, i) => `K${String((i * 7919) % 2500).padStart(4, '0')}`);
  await rm.scoresStore.setMany(new Map(ids.map((id, i) => [id, state(id, i % 3 === 0 ? 'lost' : 'low_value')])));
  const lost = ids.filter((_, i) => i % 3 === 0).sort();
  for (const limit of [1, 7, 100, 5000]) assert.deepEqual(await walk(rm, 'lost', limit), lost, `limit ${limit}`);
});

test('refreshIndexEveryMs: an index over a store written elsewhere is rebuilt from a scan when stale', async () => {
  let now = 0;
  const store = new InMemoryStateStore<CustomerScoreState>();
  const rm = new ScoreStoreReadModel({ scores: store, currentModel: () => linearModel, scoring, refreshIndexEveryMs: 60_000, now: () => now });
  await store.setMany(new Map([['C1', state('C1', 'new')]]));
  assert.equal((await rm.segmentSizes()).segments.new, 1);
  await store.setMany(new Map([['C2', state('C2', 'new')]]));
  now = 59_999;
  assert.equal((await rm.segmentSizes()).segments.new, 1, 'still the snapshot');
  now = 60_000;
  assert.equal((await rm.segmentSizes()).segments.new, 2, 'rebuilt');
});

test('models: the current model is listed as champion even if never recorded; older recorded ones stay', async () => {
  let current = linearModel;
  const rm = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => current, scoring });
  assert.deepEqual((await rm.models()).map((m) => [m.version, m.status, m.kind]), [['test-linear', 'champion', 'test-linear']]);
  current = { ...linearModel, version: 'test-linear-2' };
  rm.recordModel(current, { trainedAtMs: 1 });
  assert.deepEqual((await rm.models()).map((m) => [m.version, m.status]), [['test-linear-2', 'champion'], ['test-linear', 'retired']]);
  assert.equal(await rm.model('nope'), null);
});

test('a customer scored by a version no longer loaded is returned without an explanation', async () => {
  const rm = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => null, scoring });
  await rm.scoresStore.setMany(new Map([['C1', { ...state('C1', 'high_value'), modelVersion: 'gone' }]]));
  const view = await rm.customer('C1');
  assert.equal(view?.score?.modelVersion, 'gone');
  assert.equal(view?.score?.explanation, null);
  assert.equal(view?.score?.action, defaultPolicy.segments.high_value.action);
  assert.equal(await rm.customer('C2'), null);
});

test('the explanation is recomputed as of the score\'s asOfMs when the state records it, and says when it does not match', async () => {
  const rm = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => linearModel, scoring });
  const asOfMs = Date.UTC(2024, 5, 30);
  await rm.scoresStore.setMany(new Map<string, CustomerScoreState>([
    ['C1', { ...state('C1', 'high_value'), asOfMs } as CustomerScoreState],
    ['C2', { ...state('C2', 'high_value'), clvMinor: 1500 }],
  ]));
  const c1 = (await rm.customer('C1'))!.score!.explanation!;
  assert.equal(c1.asOfMs, asOfMs);
  assert.equal(c1.matchesScore, true);
  assert.equal(c1.clv, 20);
  const c2 = (await rm.customer('C2'))!.score!.explanation!;
  assert.equal(c2.asOfMs, features('C2').event_time);
  assert.equal(c2.matchesScore, false);
});

test('with a model registry: lists every registered version, loads old ones to explain their scores, reads metrics from details', async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { LocalModelRegistry } = await import('../adapters/local-directory/local-model-registry.js');
  const { fixtureModel } = await import('./support/api-fixture.js');
  const registry = new LocalModelRegistry(await mkdtemp(join(tmpdir(), 'clv-read-model-')));
  const base = fixtureModel().toJSON();
  const register = async (version: string, at: string, mape: number) =>
    registry.register({ version, kind: 'bgnbd-gamma-gamma', registeredAt: at, details: { customers: 300, holdout: { mape }, bgnbd: { params: { r: 1 }, log_likelihood: -10 } } }, { ...base, version });
  await register('v1', '2024-07-01T00:00:00.000Z', 0.2);
  await register('v2', '2024-08-01T00:00:00.000Z', 0.1);
  await registry.promote('v2');

  const rm = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => null, registry, scoring });
  assert.deepEqual((await rm.models()).map((m) => [m.version, m.status, m.trainedAtMs]), [['v2', 'champion', Date.UTC(2024, 7, 1)], ['v1', 'retired', Date.UTC(2024, 6, 1)]]);
  const v1 = (await rm.model('v1'))!;
  assert.equal(v1.metrics['holdout.mape'], 0.2);
  assert.equal(v1.metrics.customers, 300);
  assert.equal(v1.metrics['bgnbd.params.r'], undefined, 'parameters are not metrics');
  assert.equal(v1.periodDays, 7);
  assert.equal(await rm.model('v9'), null);
  assert.equal(await rm.model('../etc'), null);

  await rm.scoresStore.setMany(new Map([['C1', { ...state('C1', 'high_value'), modelVersion: 'v1' }]]));
  const explained = (await rm.customer('C1'))!.score!.explanation!;
  assert.equal(explained.modelKind, 'bgnbd-gamma-gamma');
  assert.equal(explained.periodDays, 7);
});

test('the champion the process loaded itself (as clv serve does) keeps its registry record: training time, metrics, backtest', async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { LocalModelRegistry } = await import('../adapters/local-directory/local-model-registry.js');
  const { fixtureModel } = await import('./support/api-fixture.js');
  const { BgNbdGammaGammaModel } = await import('../models/kinds/bgnbd-gamma-gamma-model.js');
  const registry = new LocalModelRegistry(await mkdtemp(join(tmpdir(), 'clv-read-model-')));
  const artifact = { ...fixtureModel().toJSON(), version: 'v3' };
  const details = {
    window: { calibration_end: '2024-06-30T23:59:59.999Z', as_of: '2025-06-30T23:59:59.999Z', holdout_days: 365 },
    holdout: { challenger: { customers: 120, value_error: -0.05, spearman_value: 0.6, top_decile_capture: 0.4, mae_value: 10, predicted_value_total: 950, actual_value_total: 1000 } },
  };
  await registry.register({ version: 'v3', kind: 'bgnbd-gamma-gamma', registeredAt: '2025-07-01T00:00:00.000Z', details }, artifact);
  await registry.promote('v3');
  // Loaded by the champion watcher before anything asks the catalogue.
  const champion = BgNbdGammaGammaModel.fromJSON(artifact);
  const rm = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => champion, registry, scoring });
  const accuracy = await rm.championAccuracy();
  assert.deepEqual(accuracy.champion, { version: 'v3', kind: 'bgnbd-gamma-gamma', trainedAtMs: Date.UTC(2025, 6, 1) });
  assert.equal(accuracy.customerModel?.spearman, 0.6);
  assert.equal(accuracy.customerModel?.actualValueMinor, 100_000);
  assert.deepEqual((await rm.models()).map((m) => [m.version, m.status, m.trainedAtMs]), [['v3', 'champion', Date.UTC(2025, 6, 1)]]);
  assert.equal((await rm.model('v3'))!.metrics['holdout.challenger.spearman_value'], 0.6);
});
