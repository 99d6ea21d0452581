import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClvReadModel } from '../core/ports/clv-read-model.js';
import type { EventLog } from '../core/ports/event-log.js';
import { apiFixture } from './support/api-fixture.js';

test('/healthz answers ok and /readyz reports each dependency when all answer', async () => {
  const f = await apiFixture({ customers: 5 });
  try {
    assert.deepEqual((await f.app.inject({ url: '/healthz' })).json(), { status: 'ok' });
    const ready = await f.app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
    assert.deepEqual(Object.keys(ready.json().checks).sort(), ['event_log', 'read_model']);
  } finally {
    await f.app.close();
  }
});

test('/readyz is 503 naming the failed dependency, without its error details', async () => {
  const downStore = (r: ClvReadModel): ClvReadModel => Object.assign(Object.create(r), { ping: async () => { throw new Error('ECONNREFUSED 10.1.2.3:6379'); } });
  const f = await apiFixture({ customers: 5, adapt: { readModel: downStore } });
  try {
    const res = await f.app.inject({ url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().status, 'not_ready');
    assert.equal(res.json().checks.read_model.ok, false);
    assert.equal(res.json().checks.event_log.ok, true);
    assert.ok(!res.body.includes('10.1.2.3'));
    assert.equal((await f.app.inject({ url: '/healthz' })).statusCode, 200, 'liveness does not depend on dependencies');
  } finally {
    await f.app.close();
  }
});

test('/readyz fails a check that hangs, after its timeout', async () => {
  const hangingLog = (l: EventLog): EventLog => Object.assign(Object.create(l), { checkWritable: () => new Promise<void>(() => {}) });
  const f = await apiFixture({ customers: 5, adapt: { log: hangingLog }, readinessTimeoutMs: 100 });
  try {
    const started = performance.now();
    const res = await f.app.inject({ url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().checks.event_log.ok, false);
    assert.ok(performance.now() - started < 1000);
  } finally {
    await f.app.close();
  }
});
