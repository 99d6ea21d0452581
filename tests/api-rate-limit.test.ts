import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
before(async () => {
  f = await apiFixture({ customers: 20, api: { rateLimitPerMinute: 5 } });
});
after(() => f.app.close());

test('429 with a message and Retry-After once a key has made its requests for the minute', async () => {
  for (let i = 0; i < 5; i++) assert.equal((await f.app.inject({ url: '/v1/segments', headers: bearer(f.keys.read) })).statusCode, 200, `request ${i + 1}`);
  const res = await f.app.inject({ url: '/v1/segments', headers: bearer(f.keys.read) });
  assert.equal(res.statusCode, 429);
  assert.equal(res.json().error.code, 'API_RATE_LIMITED');
  assert.match(res.json().error.message, /rate limit of 5 requests per minute exceeded; retry in/);
  assert.ok(Number(res.headers['retry-after']) > 0);
});

test('limits are per key: another key still gets through', async () => {
  assert.equal((await f.app.inject({ url: '/v1/segments', headers: bearer(f.keys.all) })).statusCode, 200);
});

test('failed credential attempts are limited per client IP', async () => {
  const statuses = [];
  for (let i = 0; i < 7; i++) statuses.push((await f.app.inject({ url: '/v1/segments', headers: bearer('clv_guess_' + 'A'.repeat(43)) })).statusCode);
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
});

test('health and metrics are not rate limited', async () => {
  for (let i = 0; i < 10; i++) {
    assert.equal((await f.app.inject({ url: '/healthz' })).statusCode, 200);
    assert.equal((await f.app.inject({ url: '/metrics', headers: bearer(f.keys.metrics) })).statusCode, 200);
  }
});
