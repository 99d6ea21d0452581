/**
 * docs/api.md is what scripts/docs/api-doc.ts makes of the OpenAPI document the API serves
 * (and of the scope each route enforces): regenerate it (`npm run docs:api`) when a route
 * changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiMarkdown, DOC, servedApi, typeOf } from '../scripts/docs/api-doc.js';

test('docs/api.md is generated from the served OpenAPI document, unedited (npm run docs:api)', async () => {
  assert.equal(readFileSync(DOC, 'utf8'), await apiMarkdown());
});

test('each operation\'s documented scope is the one the app enforces: ingest for events, admin for retrain, public probes', async () => {
  const { operations } = await servedApi();
  const scopeOf = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path)?.scope;
  assert.equal(scopeOf('post', '/v1/events'), 'ingest');
  assert.equal(scopeOf('post', '/v1/models/retrain'), 'admin');
  assert.equal(scopeOf('get', '/v1/customers/{id}'), 'read');
  assert.equal(scopeOf('get', '/metrics'), 'metrics');
  assert.equal(scopeOf('get', '/healthz'), 'public');
});

test('typeOf writes enums, nullables and arrays the way the tables read them', () => {
  assert.equal(typeOf({ enum: ['a', 'b'] }), '"a" | "b"');
  assert.equal(typeOf({ type: 'string', format: 'date-time', nullable: true }), 'string (date-time) or null');
  assert.equal(typeOf({ type: 'array', items: { type: 'integer' } }), 'array of integer');
});
