import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { helmetHeaders } from '../api/plugins/security-headers.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
before(async () => {
  f = await apiFixture({ customers: 5, api: { corsOrigins: ['https://crm.example.com'] } });
});
after(() => f.app.close());

test('security headers on every response (helmet)', async () => {
  const res = await f.app.inject({ url: '/healthz' });
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.ok(res.headers['content-security-policy']);
  assert.ok(res.headers['strict-transport-security']);
  assert.equal(res.headers['x-powered-by'], undefined);
});

test('the security headers are exactly helmet\'s defaults, computed once, on API and error responses alike', async () => {
  const expected = helmetHeaders();
  assert.ok(Object.keys(expected).length >= 10, JSON.stringify(expected));
  for (const res of [await f.app.inject({ url: '/v1/segments', headers: bearer(f.keys.read) }), await f.app.inject({ url: '/v1/segments' }), await f.app.inject({ url: '/nowhere' })]) {
    for (const [name, value] of Object.entries(expected)) assert.equal(res.headers[name], value, `${name} on ${res.statusCode}`);
  }
  assert.equal(expected['x-frame-options'], 'SAMEORIGIN');
  assert.match(expected['content-security-policy'], /default-src 'self'/);
});

test('CORS answers configured origins only', async () => {
  const allowed = await f.app.inject({ method: 'OPTIONS', url: '/v1/segments', headers: { origin: 'https://crm.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
  assert.equal(allowed.statusCode, 204);
  assert.equal(allowed.headers['access-control-allow-origin'], 'https://crm.example.com');
  assert.match(String(allowed.headers['access-control-allow-headers']), /Authorization/);
  const other = await f.app.inject({ url: '/v1/segments', headers: { ...bearer(f.keys.read), origin: 'https://evil.example.com' } });
  assert.equal(other.headers['access-control-allow-origin'], undefined);
});

test('large responses are gzip-compressed when the client accepts it; small ones are not', async () => {
  const big = await f.app.inject({ url: '/docs/json', headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(big.headers['content-encoding'], 'gzip');
  const small = await f.app.inject({ url: '/healthz', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(small.headers['content-encoding'], undefined);
});

test('HEAD routes are protected like their GET', async () => {
  assert.equal((await f.app.inject({ method: 'HEAD', url: '/v1/segments' })).statusCode, 401);
  assert.equal((await f.app.inject({ method: 'HEAD', url: '/v1/segments', headers: bearer(f.keys.read) })).statusCode, 200);
});

test('every response carries X-Request-Id', async () => {
  const res = await f.app.inject({ url: '/v1/segments' });
  assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
});

test('fastify requestTimeout is set from CLV_API_REQUEST_TIMEOUT_MS (a trickling client is cut off), and the publish deadline is shorter', async () => {
  assert.equal(f.app.server.requestTimeout, 30_000);
  const { loadApiConfig } = await import('../config/api-config.js');
  const defaults = loadApiConfig({});
  assert.ok(defaults.publishTimeoutMs < defaults.requestTimeoutMs);
  assert.deepEqual([loadApiConfig({ CLV_API_REQUEST_TIMEOUT_MS: '5000', CLV_API_PUBLISH_TIMEOUT_MS: '250' })].map((c) => [c.requestTimeoutMs, c.publishTimeoutMs]), [[5000, 250]]);
});

test('a method the API does not serve on a path it serves is 405 with Allow (TRACE, QUERY, DELETE…); an unknown path stays 404', async () => {
  for (const [method, url, allow] of [
    ['TRACE', '/v1/segments', 'GET, HEAD'],
    ['DELETE', '/v1/segments/lost/customers', 'GET, HEAD'],
    ['QUERY', '/v1/customers/C1', 'GET, HEAD, DELETE'],
    ['PUT', '/v1/events', 'POST'],
    ['TRACE', '/metrics', 'GET, HEAD'],
  ] as const) {
    const res = await f.app.inject({ method: method as 'GET', url });
    assert.equal(res.statusCode, 405, `${method} ${url}`);
    assert.equal(res.headers.allow, allow, `${method} ${url}`);
    assert.equal(res.json().error.code, 'API_METHOD_NOT_ALLOWED');
  }
  const unknown = await f.app.inject({ method: 'TRACE', url: '/v1/nothing-here' });
  assert.equal(unknown.statusCode, 404);
  assert.equal((await f.app.inject({ method: 'GET', url: '/v1/nothing-here' })).statusCode, 404);
});

test('Allow names the methods of the most specific route: DELETE /v1/models/retrain allows POST only', async () => {
  const res = await f.app.inject({ method: 'DELETE', url: '/v1/models/retrain' });
  assert.equal(res.statusCode, 405);
  assert.equal(res.headers.allow, 'POST');
});
