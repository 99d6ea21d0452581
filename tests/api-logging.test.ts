import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { apiFixture, bearer } from './support/api-fixture.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l)); done(); } });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

test('one line per request with request id, route template, status and key name; no credential, URL or customer id', async () => {
  const { lines, logger } = capture();
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
    const all = JSON.stringify(lines);
    assert.ok(!all.includes(f.keys.read.slice(11)), 'no API key secret in logs');
    assert.ok(!all.includes('A'.repeat(43)), 'no presented credential in logs');
    assert.ok(!all.includes(id), 'no customer id in logs');
  } finally {
    await f.app.close();
  }
});

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
