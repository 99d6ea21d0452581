import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { modelRegistryContract } from './support/model-registry-contract.js';

modelRegistryContract('local-directory registry', async () => new LocalModelRegistry(await mkdtemp(join(tmpdir(), 'clv-registry-'))));

const info = (version: string, at: string) => ({ version, kind: 'bgnbd-gamma-gamma', registeredAt: at, details: { customers: 10 } });

test('registers versions, promotes a champion, lists oldest first, loads back', async () => {
  const registry = new LocalModelRegistry(await mkdtemp(join(tmpdir(), 'clv-registry-')));
  assert.equal(await registry.championVersion(), null);
  await registry.register(info('v2', '2026-01-02T00:00:00Z'), { params: [2] });
  await registry.register(info('v1', '2026-01-01T00:00:00Z'), { params: [1] });
  await registry.promote('v1');
  assert.equal(await registry.championVersion(), 'v1');
  assert.deepEqual((await registry.list()).map((i) => i.version), ['v1', 'v2']);
  assert.deepEqual((await registry.load('v2')).artifact, { params: [2] });
  await registry.promote('v2');
  assert.equal(await registry.championVersion(), 'v2');
});

test('refuses to overwrite a version, to promote an unknown one, or a path-like version', async () => {
  const registry = new LocalModelRegistry(await mkdtemp(join(tmpdir(), 'clv-registry-')));
  await registry.register(info('v1', '2026-01-01T00:00:00Z'), {});
  await assert.rejects(registry.register(info('v1', '2026-01-01T00:00:00Z'), {}), /already exists/);
  await assert.rejects(registry.promote('v9'), /no model version v9/);
  await assert.rejects(registry.register(info('../etc', '2026-01-01T00:00:00Z'), {}), /bad model version/);
});

test('every promotion is logged with its reason and the champion it replaced; a torn last line is skipped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'clv-registry-'));
  const registry = new LocalModelRegistry(dir);
  assert.deepEqual(await registry.promotions(), []);
  await registry.register(info('v1', '2026-01-01T00:00:00Z'), {});
  await registry.register(info('v2', '2026-01-02T00:00:00Z'), {});
  await registry.promote('v1', 'training');
  await registry.promote('v2');
  await registry.promote('v1', 'rollback');
  const { appendFile } = await import('node:fs/promises');
  await appendFile(join(dir, 'PROMOTIONS.jsonl'), '{"version":"v2","promo');
  assert.deepEqual((await registry.promotions()).map((p) => [p.version, p.reason, p.previous]), [['v1', 'training', null], ['v2', 'manual', 'v1'], ['v1', 'rollback', 'v2']]);
  assert.ok((await registry.promotions()).every((p) => Number.isFinite(Date.parse(p.promotedAt))));
});
