import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryModelRegistry } from '../adapters/in-memory/in-memory-model-registry.js';
import { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { ModelCatalogue } from '../read-model/model-catalogue.js';
import { fixtureModel } from './support/api-fixture.js';

/** A registry as `clv train` leaves it: v1 retired, v2 the champion, each with its training time and holdout metrics. */
async function trainedRegistry() {
  const registry = new InMemoryModelRegistry();
  const v1 = BgNbdGammaGammaModel.fromJSON({ ...fixtureModel().toJSON(), version: 'v1' });
  const v2 = BgNbdGammaGammaModel.fromJSON({ ...fixtureModel().toJSON(), version: 'v2' });
  await registry.register({ version: 'v1', kind: v1.kind, registeredAt: '2024-06-01T00:00:00.000Z', details: { holdout: { mae: 2.5 } } }, v1.toJSON());
  await registry.register({ version: 'v2', kind: v2.kind, registeredAt: '2024-07-01T00:00:00.000Z', details: { holdout: { mae: 1.5 } } }, v2.toJSON());
  await registry.promote('v2', 'training');
  return { registry, v2 };
}

test('clv serve\'s case: the champion loaded before the first listing keeps its registry record (training time, holdout metrics)', async () => {
  const { registry, v2 } = await trainedRegistry();
  // The API process loads the champion from the registry first (champion watcher), then lists.
  const catalogue = new ModelCatalogue(() => v2, registry);
  const listed = await catalogue.list();
  assert.deepEqual(listed.map((m) => [m.version, m.status, m.trainedAtMs]), [
    ['v2', 'champion', Date.parse('2024-07-01T00:00:00.000Z')],
    ['v1', 'retired', Date.parse('2024-06-01T00:00:00.000Z')],
  ]);
  const detail = await catalogue.detail('v2');
  assert.equal(detail?.trainedAtMs, Date.parse('2024-07-01T00:00:00.000Z'));
  assert.equal(detail?.metrics['holdout.mae'], 1.5);
  assert.ok(Number.isFinite(detail?.metrics['bgnbd.log_likelihood']));
});

test('asking for the champion\'s detail first also reads its registry record', async () => {
  const { registry, v2 } = await trainedRegistry();
  const catalogue = new ModelCatalogue(() => v2, registry);
  const detail = await catalogue.detail('v2');
  assert.equal(detail?.trainedAtMs, Date.parse('2024-07-01T00:00:00.000Z'));
  assert.equal(detail?.metrics['holdout.mae'], 1.5);
  assert.equal((await catalogue.list())[0].trainedAtMs, Date.parse('2024-07-01T00:00:00.000Z'));
});

test('the champion explains its scores with the loaded model object itself', async () => {
  const { registry, v2 } = await trainedRegistry();
  const catalogue = new ModelCatalogue(() => v2, registry);
  await catalogue.list();
  assert.equal(await catalogue.modelFor('v2'), v2);
});

test('without a registry (the embedded demo) a champion not recorded is listed with what is known', async () => {
  const model = fixtureModel();
  const catalogue = new ModelCatalogue(() => model);
  assert.deepEqual((await catalogue.list()).map((m) => [m.version, m.status, m.trainedAtMs]), [[model.version, 'champion', null]]);
  catalogue.record(model, { trainedAtMs: 5, metrics: { 'holdout.mae': 1 } });
  assert.equal((await catalogue.list())[0].trainedAtMs, 5);
});
