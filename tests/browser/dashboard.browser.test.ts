/**
 * The dashboard end to end in headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core; no browser is downloaded): the API on a random 127.0.0.1 port over the
 * embedded fixture, the page loaded, a key entered, and every panel checked against the JSON
 * API it draws from. Saves out/screenshots/dashboard.png (git-ignored).
 *
 * Not part of `tests/*.test.ts` (that suite runs without a browser). Run:
 *   node --import tsx --test tests/browser/*.test.ts
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { SegmentRevenueQuery } from '../../core/ports/analytics-store.js';
import { Segments } from '../../core/segmentation.js';
import { apiFixture, type ApiFixture } from '../support/api-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../out/screenshots/dashboard.png', import.meta.url));
const WEEK_MS = 7 * 86_400_000;
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync',
];

let f: ApiFixture;
let base: string;
let context: BrowserContext;
let page: Page;
let profile: string;
const consoleErrors: string[] = [];

/** The JSON API, as the page sees it (bodies are checked field by field below). */
async function json(path: string): Promise<any> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${f.keys.read}` } });
  return res.json();
}

// Code run in the page as a string: this project's TypeScript has no DOM library.
const storedKey = () => page.evaluate<string | null>("sessionStorage.getItem('clv-dashboard-api-key')");

/** Waits for the page to finish a (re)load of every panel. */
async function loaded(previous: string | null): Promise<string> {
  // A selector, not waitForFunction: polling a predicate needs eval, which the page's CSP forbids.
  await page.waitForSelector(previous === null ? 'body[data-loaded]' : `body[data-loaded]:not([data-loaded="${previous}"])`, { state: 'attached' });
  return (await page.getAttribute('body', 'data-loaded'))!;
}

const attr = async (selector: string, name: string) => page.locator(selector).getAttribute(name);
const usd = (minor: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 }).format(minor / 100);

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing. Install Debian's Chromium: apt-get update && apt-get install -y chromium (CI does; playwright-core never downloads a browser here)`);
  f = await apiFixture();
  f.readModel.readRevenueFrom(f.pipeline.stores.histories);
  // Eight weekly decay sweeps after the history ends, as the pipeline runs them: customers
  // drift towards at_risk and lost, so segment sizes have a history to draw.
  let lastPurchase = 0;
  for await (const p of f.pipeline.stores.scores.scan(1000)) for (const [, s] of p) lastPurchase = Math.max(lastPurchase, s.features.event_time);
  for (let week = 1; week <= 8; week++) await f.pipeline.rescoreAll(lastPurchase + week * WEEK_MS);
  base = await f.app.listen({ host: '127.0.0.1', port: 0 });

  profile = mkdtempSync(join(tmpdir(), 'clv-dashboard-chromium-'));
  // A persistent context on a fresh directory: Playwright's launch() refuses --user-data-dir.
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 900 } });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
});

after(async () => {
  await context?.close();
  await f?.app.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the dashboard shows what the JSON API says, looks a customer up, and draws a forecast against actuals', async () => {
  await page.goto(`${base}/dashboard`);
  assert.equal(new URL(page.url()).pathname, '/dashboard/');
  // A key the API refuses: the page says so and asks again.
  await page.fill('#api-key', 'clv_nobody_0000');
  await page.click('#key-form button[type=submit]');
  await page.waitForSelector('#message.error >> text=The API refused this key');
  assert.ok(await page.isVisible('#api-key'));
  assert.equal(await storedKey(), null, 'a refused key is not kept');

  await page.fill('#api-key', f.keys.read);
  await page.click('#key-form button[type=submit]');
  let stamp = await loaded(null);
  assert.equal(await storedKey(), f.keys.read, 'the key is kept for the tab');

  // Segment sizes, now and over time.
  const sizes = await json('/v1/segments');
  for (const s of sizes.segments) {
    assert.equal(await attr(`#segment-sizes g.bar[data-key=${s.segment}]`, 'data-value'), String(s.customers), s.segment);
    assert.equal(await page.locator(`#segment-sizes g.bar[data-key=${s.segment}] text.value`).textContent(), String(s.customers));
  }
  const { snapshots } = await json('/v1/segments/history');
  assert.ok(snapshots.length >= 9, `${snapshots.length} snapshots: the stream, then 8 sweeps`);
  for (const segment of Segments) {
    const ys = await page.locator(`#segment-history g.series[data-series=${segment}] circle`).evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-y'))));
    assert.deepEqual(ys, snapshots.map((s: { customers: Record<string, number> }) => s.customers[segment]), segment);
  }

  // CLV distribution.
  const d = await json('/v1/clv/distribution?buckets=20');
  const counts = await page.locator('#clv-distribution rect.bucket').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-count'))));
  assert.deepEqual(counts, [...d.buckets.map((b: { customers: number }) => b.customers), d.above.customers]);
  assert.match(await page.locator('#clv-distribution').innerText(), new RegExp(`${d.customers} scored customers`));

  // Model metrics per version.
  const models = await json('/v1/models');
  for (const m of models.models) {
    const detail = await json(`/v1/models/${m.version}`);
    for (const [name, value] of Object.entries(detail.metrics)) {
      assert.equal(Number(await attr(`#model-metrics td[data-version="${m.version}"][data-metric="${name}"]`, 'data-value')), value, name);
    }
  }
  assert.equal(await page.locator('#model-metrics td[data-metric="holdout.mape"]').innerText(), '0.12');

  // No forecast yet.
  assert.match(await page.locator('#revenue-forecast').innerText(), /No forecast yet/);

  // Customer lookup: an unknown id, then a known customer.
  await page.fill('#customer-id', 'nobody-by-that-id');
  await page.click('#lookup-form button[type=submit]');
  await page.waitForSelector('#customer >> text=No customer "nobody-by-that-id"');
  const [someone] = (await json('/v1/segments/high_value/customers?limit=1')).customers;
  const customer = await json(`/v1/customers/${someone.customer_id}`);
  await page.fill('#customer-id', someone.customer_id);
  await page.click('#lookup-form button[type=submit]');
  await page.waitForSelector(`dl.customer[data-customer="${someone.customer_id}"]`);
  assert.equal(await attr('dl.customer dd.clv', 'data-clv-minor'), String(customer.clv.value_minor));
  assert.match(await page.locator('dl.customer dd.clv').innerText(), new RegExp(`^\\${usd(customer.clv.value_minor)} over 365 days`));
  assert.equal(await attr('dl.customer dd[data-segment]', 'data-segment'), 'high_value');

  // A weekly forecast overlapping the last weeks of the history, then Refresh.
  const start = Date.UTC(2024, 4, 6); // a Monday, 8 weeks before the history ends
  const points = Array.from({ length: 17 }, (_, i) => {
    const expectedMinor = 30_000 + 4_000 * Math.round(Math.sin(i / 2) * 10) / 10;
    return { periodStartMs: start + i * WEEK_MS, expectedMinor, lowerMinor: Math.round(expectedMinor * 0.7), upperMinor: Math.round(expectedMinor * 1.3) };
  });
  f.readModel.setRevenueForecast({ modelVersion: 'prophet-test', generatedAtMs: start - 86_400_000, currency: 'USD', granularity: 'week', points });
  await page.click('#refresh');
  stamp = await loaded(stamp);
  const drawn = (series: string) => page.locator(`#revenue-forecast g.series[data-series=${series}] circle`)
    .evaluateAll((cs) => cs.map((c) => [Number(c.getAttribute('data-x')), Number(c.getAttribute('data-y'))]));
  assert.deepEqual(await drawn('forecast'), points.map((p) => [p.periodStartMs, p.expectedMinor]));
  const from = new Date(start - 17 * WEEK_MS).toISOString();
  const actuals = await json(`/v1/revenue/actuals?from=${from}&period=week&periods=34`);
  const seen = actuals.points.filter((p: { period_start: string }) => Date.parse(p.period_start) <= Date.parse(actuals.latest_order_hour));
  assert.ok(seen.length >= 17 + 7, `${seen.length} weeks of actuals, 8 of them under the forecast`);
  assert.deepEqual(await drawn('actual'), seen.map((p: { period_start: string; actual_minor: number }) => [Date.parse(p.period_start), p.actual_minor]));
  assert.equal(await page.locator('#revenue-forecast polygon.band').count(), 1);

  // Picking a segment shows that segment's forecast, alone (actuals are not booked per segment);
  // a segment without one says so.
  const atRisk = points.map((p) => ({ ...p, expectedMinor: Math.round(p.expectedMinor / 4), lowerMinor: Math.round(p.lowerMinor / 4), upperMinor: Math.round(p.upperMinor / 4) }));
  f.readModel.setRevenueForecast({ modelVersion: 'prophet-test', generatedAtMs: start - 86_400_000, currency: 'USD', granularity: 'week', points: atRisk }, 'at_risk');
  await page.selectOption('#forecast-segment', 'at_risk');
  await page.waitForSelector('#revenue-forecast svg[aria-label="Revenue per period of the at_risk customers: forecast"]');
  assert.deepEqual(await drawn('forecast'), atRisk.map((p) => [p.periodStartMs, p.expectedMinor]));
  assert.equal(await page.locator('#revenue-forecast g.series[data-series=actual]').count(), 0);
  await page.selectOption('#forecast-segment', 'lost');
  await page.waitForSelector('#revenue-forecast >> text=No forecast for lost: none yet, or too little revenue history to fit one.');
  await page.selectOption('#forecast-segment', '');
  await page.waitForSelector('#revenue-forecast g.series[data-series=actual]');
  assert.deepEqual(await drawn('forecast'), points.map((p) => [p.periodStartMs, p.expectedMinor]));

  // Given score history, a segment's actuals are drawn too: of its customers as of the forecast's segments_as_of.
  const asked: SegmentRevenueQuery[] = [];
  const paidHour = (start - WEEK_MS) / 3_600_000 + 5;
  f.readModel.readSegmentRevenueFrom({ segmentRevenueByHour: async (q) => (asked.push(q), { hours: new Map([[paidHour, 4_321]]), latestOrderHourMs: start + WEEK_MS }) });
  f.readModel.setRevenueForecast({ modelVersion: 'prophet-test', generatedAtMs: start - 86_400_000, segmentsAsOfMs: start - 1, currency: 'USD', granularity: 'week', points: atRisk }, 'at_risk');
  await page.selectOption('#forecast-segment', 'at_risk');
  await page.waitForSelector('#revenue-forecast svg[aria-label="Revenue per period of the at_risk customers: forecast and actuals"]');
  assert.deepEqual(asked, [{ segment: 'at_risk', membershipAsOfMs: start - 1, fromMs: start - 17 * WEEK_MS, toMs: start + 17 * WEEK_MS }]);
  assert.deepEqual(await drawn('actual'), Array.from({ length: 19 }, (_, i) => [start + (i - 17) * WEEK_MS, i === 16 ? 4_321 : 0]));
  await page.selectOption('#forecast-segment', '');
  await page.waitForSelector('#revenue-forecast svg[aria-label="Revenue per period: forecast and actuals"]');

  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // The only errors the console may show are the failures the page handles: the refused
  // key, no forecast yet, the unknown customer (Chromium logs every failed fetch, handled or not).
  const expected = [/401.*\/v1\/clv\/distribution\?buckets=20\)$/, /404.*\/v1\/forecast\/revenue\)$/, /404.*\/v1\/forecast\/revenue\?segment=lost\)$/, /404.*\/v1\/customers\/nobody-by-that-id\)$/];
  assert.deepEqual(consoleErrors.filter((e) => !expected.some((re) => re.test(e))), []);
});
