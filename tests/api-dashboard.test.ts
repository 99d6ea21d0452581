import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DASHBOARD_FILES } from '../api/routes/dashboard.js';
import { Segments } from '../core/segmentation.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
before(async () => {
  f = await apiFixture();
});
after(() => f.app.close());

const get = (url: string, key: string | null = f.keys.read) => f.app.inject({ url, headers: key ? bearer(key) : {} });

test('the page and its files are served without credentials, with a CSP that allows nothing from elsewhere', async () => {
  const types: Record<string, RegExp> = { html: /^text\/html/, js: /^(application|text)\/javascript/, css: /^text\/css/ };
  for (const url of ['/dashboard/', ...DASHBOARD_FILES.map((file) => `/dashboard/${file}`)]) {
    const res = await get(url, null);
    assert.equal(res.statusCode, 200, url);
    assert.match(res.headers['content-type'] as string, types[url.endsWith('/') ? 'html' : url.split('.').pop()!], url);
    const csp = res.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'self'/, url);
    assert.doesNotMatch(csp, /upgrade-insecure-requests|https:|unsafe-inline/, url);
  }
  const bare = await get('/dashboard', null);
  assert.equal(bare.statusCode, 302);
  assert.equal(bare.headers.location, '/dashboard/');
});

test('only the listed files are served: no directory listing, no other file, no path escape', async () => {
  for (const url of ['/dashboard/nope.js', '/dashboard/../package.json', '/dashboard/%2e%2e/package.json', '/dashboard/index.html/']) {
    assert.equal((await get(url, null)).statusCode, 404, url);
  }
});

test('the page loads nothing from another origin (no CDN)', async () => {
  for (const file of DASHBOARD_FILES) {
    const body = (await get(`/dashboard/${file}`, null)).body;
    assert.doesNotMatch(body, /(src|href)\s*=\s*["']?(https?:)?\/\//i, file);
    assert.doesNotMatch(body, /import[^;]*from\s*["'](https?:)?\/\//, file);
    assert.doesNotMatch(body, /\burl\(\s*["']?(https?:)?\/\//i, file);
  }
});

test('the new read endpoints need the read scope', async () => {
  for (const url of ['/v1/segments/history', '/v1/clv/distribution', '/v1/revenue/actuals?from=2024-01-01T00:00:00Z']) {
    assert.equal((await get(url, null)).statusCode, 401, url);
    assert.equal((await get(url, f.keys.ingest)).json().error.code, 'API_FORBIDDEN', url);
    assert.equal((await get(url)).statusCode, 200, url);
  }
});

test('segment history ends at the sizes GET /v1/segments reports', async () => {
  const { snapshots } = (await get('/v1/segments/history')).json();
  const current = (await get('/v1/segments')).json();
  assert.ok(snapshots.length >= 1);
  const last = snapshots.at(-1);
  assert.deepEqual(Object.keys(last.customers), [...Segments]);
  for (const s of current.segments) assert.equal(last.customers[s.segment], s.customers, s.segment);
  assert.equal(last.unscored, current.unscored);
  const times = snapshots.map((s: { as_of: string }) => Date.parse(s.as_of));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');
});

test('the CLV distribution counts every scored customer once, in contiguous buckets', async () => {
  const scored: number[] = [];
  for await (const page of f.pipeline.stores.scores.scan(1000)) for (const [, s] of page) if (s.segment) scored.push(s.clvMinor);
  const d = (await get('/v1/clv/distribution?buckets=12')).json();
  assert.equal(d.currency, 'USD');
  assert.equal(d.minor_per_unit, 100);
  assert.equal(d.customers, scored.length);
  assert.equal(d.buckets.length, 12);
  for (let i = 1; i < d.buckets.length; i++) assert.equal(d.buckets[i].lower_minor, d.buckets[i - 1].upper_minor);
  const inBucket = (b: { lower_minor: number; upper_minor: number }) => scored.filter((v) => v >= b.lower_minor && v < b.upper_minor).length;
  for (const b of d.buckets) assert.equal(b.customers, inBucket(b), `bucket from ${b.lower_minor}`);
  assert.equal(d.above.lower_minor, d.buckets.at(-1).upper_minor);
  assert.equal(d.above.customers, scored.filter((v) => v >= d.above.lower_minor).length);
  assert.ok(d.above.customers <= Math.ceil(scored.length * 0.05), 'at most the top 5% are counted apart');
  assert.equal(d.max_minor, Math.max(...scored));
  assert.equal((await get('/v1/clv/distribution')).json().buckets.length, 20, 'default');
  for (const q of ['buckets=0', 'buckets=101', 'buckets=x', 'bins=5']) assert.equal((await get(`/v1/clv/distribution?${q}`)).statusCode, 400, q);
});

test('revenue actuals: unavailable until the read model is given the purchase histories; then their sum is the customers\' total value', async () => {
  const url = '/v1/revenue/actuals?from=2022-12-26T00:00:00Z&period=week&periods=100';
  assert.deepEqual((await get(url)).json(), { currency: 'USD', time_zone: 'UTC', available: false, period: 'week', points: [], more: false, first_order_hour: null, latest_order_hour: null });

  f.readModel.readRevenueFrom(f.pipeline.stores.histories);
  const a = (await get(url)).json();
  assert.equal(a.available, true);
  assert.equal(a.points.length, 100);
  assert.equal(a.points[1].period_start, '2023-01-02T00:00:00.000Z');
  let totalValue = 0;
  for await (const page of f.pipeline.stores.scores.scan(1000)) for (const [, s] of page) totalValue += s.features.total_value_minor;
  assert.equal(a.points.reduce((n: number, p: { actual_minor: number }) => n + p.actual_minor, 0), totalValue, 'the features processor\'s total_value_minor, summed');
  assert.ok(Date.parse(a.latest_order_hour) <= Date.UTC(2024, 6, 1));
  for (const q of ['from=yesterday', 'from=2024-01-01T00:00:00Z&period=year', 'from=2024-01-01T00:00:00Z&periods=3661']) {
    assert.equal((await get(`/v1/revenue/actuals?${q}`)).statusCode, 400, q);
  }
});

test('OpenAPI documents the new endpoints and hides the static files', async () => {
  const paths = Object.keys((await get('/docs/json', null)).json().paths);
  for (const p of ['/v1/segments/history', '/v1/clv/distribution', '/v1/revenue/actuals']) assert.ok(paths.includes(p), p);
  assert.ok(!paths.some((p) => p.startsWith('/dashboard')));
});
