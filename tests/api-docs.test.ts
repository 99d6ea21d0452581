import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiFixture, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
before(async () => {
  f = await apiFixture({ customers: 5 });
});
after(() => f.app.close());

const routes = [
  ['get', '/v1/customers/{id}'], ['delete', '/v1/customers/{id}'], ['get', '/v1/segments'], ['get', '/v1/segments/{segment}/customers'], ['get', '/v1/models'],
  ['get', '/v1/models/{version}'], ['post', '/v1/models/retrain'], ['get', '/v1/forecast/revenue'], ['post', '/v1/events'],
  ['get', '/healthz'], ['get', '/readyz'], ['get', '/metrics'],
  ['get', '/v1/segments/history'], ['get', '/v1/clv/distribution'], ['get', '/v1/revenue/actuals'],
  ['get', '/v1/segments/flows'], ['get', '/v1/actions'], ['get', '/v1/models/champion/accuracy'],
] as const;

test('/docs/json is an OpenAPI 3 document with every route', async () => {
  const res = await f.app.inject({ url: '/docs/json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json();
  assert.match(doc.openapi, /^3\./);
  for (const [method, path] of routes) assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`);
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m} ${path}`)).sort();
  assert.deepEqual(documented, routes.map(([m, p]) => `${m} ${p}`).sort(), 'no undocumented or unexpected route');
});

test('protected routes declare their security schemes, public ones none', async () => {
  const doc = (await f.app.inject({ url: '/docs/json' })).json();
  for (const path of ['/v1/customers/{id}', '/v1/segments/flows', '/v1/actions', '/v1/models/champion/accuracy', '/v1/revenue/actuals']) {
    assert.deepEqual(doc.paths[path].get.security, [{ apiKey: [] }, { bearer: [] }], path);
  }
  assert.equal(doc.paths['/healthz'].get.security, undefined);
  assert.ok(doc.components.securitySchemes.apiKey && doc.components.securitySchemes.bearer);
});

test('the event body and error responses are documented', async () => {
  const doc = (await f.app.inject({ url: '/docs/json' })).json();
  const events = doc.paths['/v1/events'].post;
  assert.ok(JSON.stringify(events.requestBody).includes('amount_minor'));
  for (const status of ['202', '400', '401', '403', '429']) assert.ok(events.responses[status], status);
});

test('/docs serves the Swagger UI', async () => {
  const res = await f.app.inject({ url: '/docs/' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /text\/html/);
});

test('/metrics is documented as Prometheus text, not JSON, and needs the metrics scope', async () => {
  const { apiFixture } = await import('./support/api-fixture.js');
  const f = await apiFixture({ customers: 5 });
  try {
    const spec = (await f.app.inject({ url: '/docs/json' })).json();
    const op = spec.paths['/metrics'].get;
    assert.deepEqual(Object.keys(op.responses['200'].content), ['text/plain; version=0.0.4; charset=utf-8']);
    assert.deepEqual(op.security, [{ apiKey: [] }, { bearer: [] }]);
  } finally {
    await f.app.close();
  }
});
