import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { apiFixture, bearer } from './support/api-fixture.js';

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l)); done(); } });
  return { lines, logger: pino({ level }, stream) };
}

test('one line per request (at debug) with request id, route template, status and key name; no credential, URL or customer id', async () => {
  const { lines, logger } = capture('debug');
  const f = await apiFixture({ customers: 10, logger });
  try {
    const id = [...f.history.truth.byId.keys()][0];
    const res = await f.app.inject({ url: `/v1/customers/${id}`, headers: { ...bearer(f.keys.read), 'x-request-id': 'trace-123' } });
    assert.equal(res.headers['x-request-id'], 'trace-123');
    await f.app.inject({ url: `/v1/customers/${id}`, headers: { authorization: 'Bearer clv_reader_' + 'A'.repeat(43) } });
    const done = lines.filter((l) => l.msg === 'request completed');
    assert.equal(done.length, 2);
    assert.deepEqual({ reqId: done[0].reqId, route: done[0].route, statusCode: done[0].statusCode, caller: done[0].caller }, { reqId: 'trace-123', route: '/v1/customers/:id', statusCode: 200, caller: 'api-key:reader' });
    assert.equal(done[1].statusCode, 401);
    assert.deepEqual(done.map((l) => l.level), [20, 30], 'the success at debug, the refusal at info');
    const all = JSON.stringify(lines);
    assert.ok(!all.includes(f.keys.read.slice(11)), 'no API key secret in logs');
    assert.ok(!all.includes('A'.repeat(43)), 'no presented credential in logs');
    assert.ok(!all.includes(id), 'no customer id in logs');
  } finally {
    await f.app.close();
  }
});

test('at info, fast successes are not logged; refusals are, and so is a request slower than CLV_API_SLOW_REQUEST_MS', async () => {
  const quiet = capture('info');
  const f = await apiFixture({ customers: 5, logger: quiet.logger });
  try {
    const id = [...f.history.truth.byId.keys()][0];
    assert.equal((await f.app.inject({ url: `/v1/customers/${id}`, headers: bearer(f.keys.read) })).statusCode, 200);
    assert.equal((await f.app.inject({ url: `/v1/customers/${id}` })).statusCode, 401);
    assert.deepEqual(quiet.lines.filter((l) => l.route).map((l) => [l.msg, l.statusCode]), [['request completed', 401]]);
  } finally {
    await f.app.close();
  }
  // A threshold of 1 ms and a read model that takes longer: the success is logged at warn.
  const slow = capture('info');
  const s = await apiFixture({
    customers: 5, logger: slow.logger, api: { slowRequestMs: 1 },
    // Both reads slow: the plain one and the one the customer-document cache asks first.
    adapt: {
      readModel: (r) => ({
        ...bindAll(r),
        customer: async (id: string) => { await new Promise((ok) => setTimeout(ok, 20)); return r.customer(id); },
        ...(r.customerRevised ? { customerRevised: async (id: string) => { await new Promise((ok) => setTimeout(ok, 20)); return r.customerRevised!(id); } } : {}),
      }),
    },
  });
  try {
    const id = [...s.history.truth.byId.keys()][0];
    assert.equal((await s.app.inject({ url: `/v1/customers/${id}`, headers: bearer(s.keys.read) })).statusCode, 200);
    const line = slow.lines.find((l) => l.msg === 'slow request');
    assert.equal(line?.level, 40);
    assert.equal(line?.statusCode, 200);
    assert.ok((line?.ms as number) >= 1, 'slower than the threshold');
  } finally {
    await s.app.close();
  }
});

/** The read model's methods, bound, so that one can be replaced in a spread. */
function bindAll<T extends object>(target: T): T {
  const proto = Object.getPrototypeOf(target) as Record<string, unknown>;
  const bound: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(proto)) {
    const v = (target as Record<string, unknown>)[name];
    if (name !== 'constructor' && typeof v === 'function') bound[name] = v.bind(target);
  }
  return bound as T;
}

test('a client request id that is not a plain token is replaced by a generated one', async () => {
  const { logger } = capture();
  const f = await apiFixture({ customers: 5, logger });
  try {
    const res = await f.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\nforged: line' } });
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  } finally {
    await f.app.close();
  }
});

test('a 500 is logged with its error; the client sees no stack', async () => {
  const { lines, logger } = capture();
  const f = await apiFixture({ customers: 5, logger, retrain: async () => { throw new Error('disk full at /var/lib/clv'); } });
  try {
    const res = await f.app.inject({ method: 'POST', url: '/v1/models/retrain', headers: bearer(f.keys.admin) });
    assert.equal(res.statusCode, 500);
    assert.ok(!res.body.includes('disk full') && !res.body.includes('at '), res.body);
    const failed = lines.find((l) => l.msg === 'request failed') as { err?: { message?: string } } | undefined;
    assert.equal(failed?.err?.message, 'disk full at /var/lib/clv');
  } finally {
    await f.app.close();
  }
});
