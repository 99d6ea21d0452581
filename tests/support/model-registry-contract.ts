/** The ModelRegistry contract, run against every implementation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelRegistry } from '../../core/ports/model-registry.js';

const info = (version: string, at: string) => ({ version, kind: 'bgnbd-gamma-gamma', registeredAt: at, details: { customers: 10 } });

export function modelRegistryContract(name: string, make: () => Promise<ModelRegistry>): void {
  test(`${name}: registers, lists oldest first, loads back, refuses duplicates and unknown promotions`, async () => {
    const r = await make();
    await r.register(info('v2', '2026-01-02T00:00:00Z'), { params: [2] });
    await r.register(info('v1', '2026-01-01T00:00:00Z'), { params: [1] });
    assert.deepEqual((await r.list()).map((i) => i.version), ['v1', 'v2']);
    assert.deepEqual((await r.load('v2')).artifact, { params: [2] });
    await assert.rejects(r.register(info('v1', '2026-01-01T00:00:00Z'), {}), /already exists/);
    await assert.rejects(r.promote('v9'), /no model version v9/);
    await assert.rejects(r.load('v9'), (e: Error & { code?: string }) => e.code === 'CLV_NO_MODEL');
  });

  test(`${name}: documents attach to a version, replace one of the same name, and are null when absent`, async () => {
    const r = await make();
    await r.register(info('v1', '2026-01-01T00:00:00Z'), { params: [1] });
    assert.equal(await r.attachment('v1', 'revenue-forecast'), null);
    await r.attach('v1', 'revenue-forecast', { series: [1] });
    await r.attach('v1', 'revenue-forecast', { series: [2] });
    assert.deepEqual(await r.attachment('v1', 'revenue-forecast'), { series: [2] });
    assert.deepEqual((await r.load('v1')).artifact, { params: [1] }, 'the model itself is untouched');
    await assert.rejects(r.attach('v9', 'revenue-forecast', {}), (e: Error & { code?: string }) => e.code === 'CLV_NO_MODEL');
    await assert.rejects(r.attach('v1', '../model', {}), /bad attachment name/);
  });

  test(`${name}: promotions move the champion and are logged with the champion they replaced`, async () => {
    const r = await make();
    assert.equal(await r.championVersion(), null);
    await r.register(info('v1', '2026-01-01T00:00:00Z'), {});
    await r.register(info('v2', '2026-01-02T00:00:00Z'), {});
    await r.promote('v1', 'training');
    await r.promote('v2');
    await r.promote('v1', 'rollback');
    assert.equal(await r.championVersion(), 'v1');
    assert.deepEqual((await r.promotions()).map((p) => [p.version, p.reason, p.previous]), [['v1', 'training', null], ['v2', 'manual', 'v1'], ['v1', 'rollback', 'v2']]);
  });
}
