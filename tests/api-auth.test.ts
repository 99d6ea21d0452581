import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { signJwt } from '../api/jwt.js';
import { authentication, authorization } from '../api/plugins/auth.js';
import { loadApiConfig } from '../config/api-config.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

const jwtSecret = 'a-test-secret-that-is-long-enough-for-hs256';
let f: ApiFixture;
before(async () => {
  f = await apiFixture({ api: { jwt: { secret: jwtSecret, issuer: null, audience: null } } });
});
after(() => f.app.close());

const customerUrl = () => `/v1/customers/${[...f.history.truth.byId.keys()][0]}`;

test('401 with a message and WWW-Authenticate without credentials, on every protected route', async () => {
  const routes: Array<[string, string]> = [
    ['GET', customerUrl()], ['GET', '/v1/segments'], ['GET', '/v1/segments/lost/customers'], ['GET', '/v1/models'],
    ['GET', '/v1/models/x'], ['GET', '/v1/forecast/revenue'], ['POST', '/v1/events'], ['POST', '/v1/models/retrain'],
  ];
  for (const [method, url] of routes) {
    const res = await f.app.inject({ method: method as 'GET', url });
    assert.equal(res.statusCode, 401, `${method} ${url}`);
    assert.equal(res.json().error.code, 'API_UNAUTHENTICATED');
    assert.match(res.json().error.message, /credentials required/);
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  }
});

test('401 for a wrong key, a malformed header or a non-Bearer scheme', async () => {
  const wrong = f.keys.read.slice(0, -3) + 'AAA';
  for (const headers of [bearer(wrong), { authorization: 'Basic dXNlcjpwdw==' }, { 'x-api-key': 'clv_nobody_' + 'A'.repeat(43) }, bearer('not-a-key')]) {
    const res = await f.app.inject({ url: customerUrl(), headers });
    assert.equal(res.statusCode, 401, JSON.stringify(headers));
    assert.equal(res.json().error.message, 'the credentials are not valid');
  }
});

test('403 naming the needed scope when the key lacks it', async () => {
  const cases: Array<[string, string, string, string]> = [
    ['GET', customerUrl(), f.keys.ingest, 'read'],
    ['POST', '/v1/events', f.keys.read, 'ingest'],
    ['POST', '/v1/models/retrain', f.keys.read, 'admin'],
    ['GET', '/v1/models', f.keys.admin, 'read'],
  ];
  for (const [method, url, key, scope] of cases) {
    const res = await f.app.inject({ method: method as 'GET', url, headers: bearer(key), payload: method === 'POST' ? {} : undefined });
    assert.equal(res.statusCode, 403, `${method} ${url}`);
    assert.equal(res.json().error.code, 'API_FORBIDDEN');
    assert.match(res.json().error.message, new RegExp(`needs the "${scope}" scope`));
  }
});

test('authorization runs before validation: an unauthenticated bad request is 401, not 400', async () => {
  const res = await f.app.inject({ method: 'POST', url: '/v1/events', payload: { nonsense: true } });
  assert.equal(res.statusCode, 401);
});

test('X-API-Key works like Authorization: Bearer', async () => {
  const res = await f.app.inject({ url: '/v1/segments', headers: { 'x-api-key': f.keys.read } });
  assert.equal(res.statusCode, 200);
});

test('a request carrying two credentials is refused in either order, valid or not', async () => {
  const exp = Math.floor(Date.now() / 1000) + 600;
  const jwt = signJwt({ sub: 'crm', scope: 'read', exp }, jwtSecret);
  const badKey = 'clv_nobody_' + 'A'.repeat(43);
  const cases: Array<[string, Record<string, string>]> = [
    ['valid Bearer JWT + invalid X-API-Key', { ...bearer(jwt), 'x-api-key': badKey }],
    ['valid Bearer key + invalid X-API-Key', { ...bearer(f.keys.read), 'x-api-key': badKey }],
    ['invalid Bearer + valid X-API-Key', { ...bearer(badKey), 'x-api-key': f.keys.read }],
    ['valid Bearer + valid X-API-Key', { ...bearer(f.keys.read), 'x-api-key': f.keys.read }],
  ];
  for (const [name, headers] of cases) {
    const res = await f.app.inject({ url: '/v1/segments', headers });
    assert.equal(res.statusCode, 401, name);
    assert.equal(res.json().error.code, 'API_UNAUTHENTICATED', name);
    assert.match(res.json().error.message, /one credential/, name);
  }
  // Each alone still works.
  assert.equal((await f.app.inject({ url: '/v1/segments', headers: bearer(jwt) })).statusCode, 200);
  assert.equal((await f.app.inject({ url: '/v1/segments', headers: { 'x-api-key': f.keys.read } })).statusCode, 200);
});

test('an HS256 JWT with the scope is accepted; without it 403; expired or forged 401', async () => {
  const exp = Math.floor(Date.now() / 1000) + 600;
  const ok = await f.app.inject({ url: '/v1/segments', headers: bearer(signJwt({ sub: 'crm', scope: 'read', exp }, jwtSecret)) });
  assert.equal(ok.statusCode, 200);
  const noScope = await f.app.inject({ url: '/v1/segments', headers: bearer(signJwt({ sub: 'crm', scope: 'ingest', exp }, jwtSecret)) });
  assert.equal(noScope.statusCode, 403);
  const expired = await f.app.inject({ url: '/v1/segments', headers: bearer(signJwt({ sub: 'crm', scope: 'read', exp: exp - 3600 }, jwtSecret)) });
  assert.equal(expired.statusCode, 401);
  const forged = await f.app.inject({ url: '/v1/segments', headers: bearer(signJwt({ sub: 'crm', scope: 'read', exp }, 'someone-elses-secret-that-is-long-enough')) });
  assert.equal(forged.statusCode, 401);
});

test('health, readiness and docs are public; /metrics needs the metrics scope', async () => {
  for (const url of ['/healthz', '/readyz', '/docs/json']) {
    assert.equal((await f.app.inject({ url })).statusCode, 200, url);
  }
  assert.equal((await f.app.inject({ url: '/metrics' })).statusCode, 401);
  assert.equal((await f.app.inject({ url: '/metrics', headers: bearer(f.keys.metrics) })).statusCode, 200);
});

test('with CLV_API_AUTH=off every route is open', async () => {
  const open = await apiFixture({ customers: 20, api: { authEnabled: false } });
  try {
    assert.equal((await open.app.inject({ url: '/v1/segments' })).statusCode, 200);
    assert.equal((await open.app.inject({ method: 'POST', url: '/v1/models/retrain' })).statusCode, 501);
  } finally {
    await open.app.close();
  }
});

test('a route that declares no config.auth fails registration', async () => {
  const app = Fastify();
  await app.register(authentication, { config: loadApiConfig({}) });
  await app.register(authorization, { enabled: true });
  assert.throws(() => app.get('/oops', async () => 'public by accident?'), /declares no config.auth/);
  await app.close();
});

test('a key that verified is remembered, yet a wrong key of the same name is still refused after it', async () => {
  const wrong = f.keys.read.slice(0, -3) + (f.keys.read.endsWith('AAA') ? 'BBB' : 'AAA');
  for (let i = 0; i < 3; i++) {
    assert.equal((await f.app.inject({ url: customerUrl(), headers: bearer(f.keys.read) })).statusCode, 200);
    assert.equal((await f.app.inject({ url: customerUrl(), headers: bearer(wrong) })).statusCode, 401);
    assert.equal((await f.app.inject({ url: customerUrl(), headers: bearer(f.keys.read + 'x') })).statusCode, 401);
  }
});
