/**
 * Copying the local model registry for a backup and back: versions, the CHAMPION pointer and
 * the promotion log come back; temporary files are left out; a champion without its version,
 * or a non-empty target, is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { copyRegistry, describeRegistry, restoreRegistry } from '../adapters/local-directory/model-registry-copy.js';

const info = (version: string) => ({ version, kind: 'bgnbd-gamma-gamma', registeredAt: `2024-01-0${version.slice(1)}T00:00:00.000Z`, details: {} });

test('copy and restore keep every version, CHAMPION and PROMOTIONS.jsonl, and drop temporary files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clv-registry-copy-'));
  const live = join(dir, 'live');
  const registry = new LocalModelRegistry(live);
  await registry.register(info('v1'), { a: 1 });
  await registry.register(info('v2'), { a: 2 });
  await registry.promote('v2', 'training');
  await registry.promote('v1', 'rollback');
  writeFileSync(join(live, 'v2', 'model.json.123.tmp'), 'half');

  assert.deepEqual(await copyRegistry(live, join(dir, 'backup')), { versions: ['v1', 'v2'], champion: 'v1' });
  assert.equal(existsSync(join(dir, 'backup', 'v2', 'model.json.123.tmp')), false);
  assert.deepEqual(await restoreRegistry(join(dir, 'backup'), join(dir, 'restored')), { versions: ['v1', 'v2'], champion: 'v1' });
  const restored = new LocalModelRegistry(join(dir, 'restored'));
  assert.equal(await restored.championVersion(), 'v1');
  assert.deepEqual((await restored.load('v2')).artifact, { a: 2 });
  assert.equal(readFileSync(join(dir, 'restored', 'PROMOTIONS.jsonl'), 'utf8'), readFileSync(join(live, 'PROMOTIONS.jsonl'), 'utf8'));
  rmSync(dir, { recursive: true, force: true });
});

test('an absent registry copies as empty, with no champion', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clv-registry-copy-'));
  assert.deepEqual(await copyRegistry(join(dir, 'none'), join(dir, 'backup')), { versions: [], champion: null });
  rmSync(dir, { recursive: true, force: true });
});

test('a CHAMPION naming a version the directory lacks is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clv-registry-copy-'));
  writeFileSync(join(dir, 'CHAMPION'), 'v9\n');
  await assert.rejects(describeRegistry(dir), /CHAMPION names v9, which has no v9\/info\.json/);
  rmSync(dir, { recursive: true, force: true });
});

test('restoring into a registry directory that holds anything is refused, and it is left as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clv-registry-copy-'));
  mkdirSync(join(dir, 'backup'));
  mkdirSync(join(dir, 'target'));
  writeFileSync(join(dir, 'target', 'CHAMPION'), 'v1\n');
  await assert.rejects(restoreRegistry(join(dir, 'backup'), join(dir, 'target')), /is not empty: move it away/);
  assert.equal(readFileSync(join(dir, 'target', 'CHAMPION'), 'utf8'), 'v1\n');
  rmSync(dir, { recursive: true, force: true });
});
