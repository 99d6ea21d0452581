/**
 * GET /v1/customers/:id with the document cache (CLV_API_CUSTOMER_CACHE_ENTRIES) against the
 * same route building every answer (cache 0), over one read model: the same bytes and
 * content type, cached or not, and a changed score gives the new body at once.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { buildApp } from '../api/build-app.js';
import { loadApiConfig } from '../config/api-config.js';
import { createApiKey } from '../core/api-keys.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
let cached: Awaited<ReturnType<typeof buildApp>>;
let uncached: Awaited<ReturnType<typeof buildApp>>;
const key = createApiKey('reader', ['read']);
let scores: Map<string, CustomerScoreState>;

before(async () => {
  f = await apiFixture();
  const app = (entries: number) => buildApp({
    readModel: f.readModel, log: f.log, codec: f.codec, config: f.config,
    api: { ...loadApiConfig({}), apiKeys: [key.record], rateLimitPerMinute: 100_000, customerCacheEntries: entries },
    logger: pino({ level: 'silent' }),
  });
  cached = await app(50);
  uncached = await app(0);
  scores = new Map();
  for await (const page of f.pipeline.stores.scores.scan(1000)) for (const [id, s] of page) scores.set(id, s);
});
after(async () => {
  await cached.close();
  await uncached.close();
  await f.app.close();
});

type App = typeof cached;
const get = (app: App, id: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') =>
  app.inject({ method, url: `/v1/customers/${encodeURIComponent(id)}`, headers: { ...bearer(key.key), ...headers } });

test('a cached answer has the bytes and content type of a freshly built one, on the first read and the next', async () => {
  const ids = [...scores.keys()].slice(0, 80);
  assert.ok(ids.some((id) => scores.get(id)!.segment !== null) && ids.length === 80);
  for (const id of ids) {
    const fresh = await get(uncached, id);
    assert.equal(fresh.statusCode, 200);
    for (const round of ['built', 'kept']) {
      const res = await get(cached, id);
      assert.equal(res.statusCode, 200, `${id} ${round}`);
      assert.equal(res.body, fresh.body, `${id} ${round}`);
      assert.equal(res.headers['content-type'], fresh.headers['content-type']);
      assert.equal(res.headers['content-length'], fresh.headers['content-length']);
    }
  }
});

test('a kept answer goes out as the compression plugin sends a built one, whatever the client accepts', async () => {
  // The route sends a kept gzip itself (api/response-compression.ts); the uncached server's
  // answers are the plugin's own. Same encoding, Vary, type, length and bytes, header by header.
  const id = [...scores.keys()][3];
  await get(cached, id);
  const variants: Array<Record<string, string>> = [
    {}, { 'accept-encoding': 'gzip' }, { 'accept-encoding': 'gzip, deflate, br' }, { 'accept-encoding': 'br' },
    { 'accept-encoding': 'deflate' }, { 'accept-encoding': '*' }, { 'accept-encoding': 'x-gzip' },
    { 'accept-encoding': 'gzip;q=0, deflate' }, { 'accept-encoding': 'identity' },
    { 'accept-encoding': 'gzip', 'x-no-compression': '1' }, { 'accept-encoding': 'gzip', origin: 'https://crm.example.com' },
  ];
  let gzipped = 0;
  for (const headers of variants) {
    for (const [round, method] of [['first', 'GET'], ['again', 'GET'], ['HEAD', 'HEAD']] as const) {
      const [res, fresh] = [await get(cached, id, headers, method), await get(uncached, id, headers, method)];
      const what = `${JSON.stringify(headers)} ${round}`;
      assert.equal(res.statusCode, 200, what);
      for (const name of ['content-encoding', 'vary', 'content-type', 'content-length']) assert.equal(res.headers[name], fresh.headers[name], `${name} for ${what}`);
      assert.deepEqual(res.rawPayload, fresh.rawPayload, what);
      if (res.headers['content-encoding'] === 'gzip') {
        gzipped++;
        assert.equal(gunzipSync(res.rawPayload).toString(), (await get(uncached, id)).body, what);
      }
    }
  }
  assert.ok(gzipped >= 8, `expected the gzip variants to be compressed, ${gzipped} were`);
});

test('a changed score gives the new body on the next read', async () => {
  const [id, state] = [...scores].find(([, s]) => s.segment !== null)!;
  const before = (await get(cached, id)).body;
  assert.equal((await get(cached, id)).body, before);
  const changed: CustomerScoreState = { ...state, clvMinor: state.clvMinor + 12_345 };
  await f.readModel.scoresStore.setMany(new Map([[id, changed]]));
  const after = await get(cached, id);
  assert.notEqual(after.body, before);
  assert.equal(after.json().clv.value_minor, state.clvMinor + 12_345);
  assert.equal(after.body, (await get(uncached, id)).body);
  await f.readModel.scoresStore.setMany(new Map([[id, state]]));
  assert.equal((await get(cached, id)).body, before);
});

test('an erased customer is not found, cached before or not', async () => {
  const id = [...scores.keys()][7];
  assert.equal((await get(cached, id)).statusCode, 200);
  await f.readModel.scoresStore.deleteMany([id]);
  const res = await get(cached, id);
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.code, 'API_CUSTOMER_NOT_FOUND');
});

test('CLV_API_CUSTOMER_CACHE_ENTRIES: default 10,000, 0 turns it off, a negative count is refused naming it', () => {
  assert.equal(loadApiConfig({}).customerCacheEntries, 10_000);
  assert.equal(loadApiConfig({ CLV_API_CUSTOMER_CACHE_ENTRIES: '0' }).customerCacheEntries, 0);
  assert.throws(() => loadApiConfig({ CLV_API_CUSTOMER_CACHE_ENTRIES: '-1' }), /CLV_API_CUSTOMER_CACHE_ENTRIES/);
});
