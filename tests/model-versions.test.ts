import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { listModels } from '../app/model-versions.js';

test('models list shows each version with its status: champion, retired (once champion) or challenger', async () => {
  const registry = new LocalModelRegistry(await mkdtemp(join(tmpdir(), 'clv-models-')));
  assert.equal(await listModels(registry, false), 'no model versions registered yet\n');
  const details = (mae: number, decision: string) => ({ decision, window: { as_of: '1998-06-30T23:59:59.999Z' }, holdout: { challenger: { mae_value: mae } } });
  await registry.register({ version: 'v1', kind: 'bgnbd-gamma-gamma', registeredAt: '2026-01-01T00:00:00Z', details: details(12.5, 'no champion to beat') }, {});
  await registry.register({ version: 'v2', kind: 'bgnbd-gamma-gamma', registeredAt: '2026-01-02T00:00:00Z', details: details(11, 'forced') }, {});
  await registry.register({ version: 'v3', kind: 'bgnbd-gamma-gamma', registeredAt: '2026-01-03T00:00:00Z', details: details(13, 'needs less') }, {});
  await registry.promote('v1', 'training');
  await registry.promote('v2', 'training');
  const rows = (await listModels(registry, true)).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((r) => [r.version, r.status, r.holdout_mae_value]), [['v1', 'retired', 12.5], ['v2', 'champion', 11], ['v3', 'challenger', 13]]);
  const text = await listModels(registry, false);
  assert.match(text.split('\n')[1], /^v2\s+champion\s+bgnbd-gamma-gamma.*as of 1998-06-30.*MAE 11\.00\s+forced$/);
});
