/**
 * The dashboard end to end in headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core; no browser is downloaded), on what `clv demo --serve` serves: a real demo
 * run on a synthetic shop (app/demo/run-demo.ts), then its API (app/demo/serve-demo.ts) on a
 * random 127.0.0.1 port. Every panel is checked against the JSON API it draws from: data over
 * the whole range (the chart's first and last periods are the data's), captions whose numbers
 * are computed here from the API's answers, and the first screen's key hint. One screenshot
 * per panel in out/screenshots/ (git-ignored).
 *
 * Not part of `tests/*.test.ts` (that suite runs without a browser). Run: npm run test:browser
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadApiConfig } from '../../config/api-config.js';
import { loadConfig } from '../../config/config.js';
import { createApiKey } from '../../core/api-keys.js';
import { syntheticDemoHistory } from '../../app/demo/demo-history.js';
import { runDemo } from '../../app/demo/run-demo.js';
import { startDemoApi, type DemoApi } from '../../app/demo/serve-demo.js';
import { createLogger } from '../../app/logger.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../../out/screenshots/', import.meta.url));
const HOUR_MS = 3_600_000;
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync',
];
const { key, record } = createApiKey('reader', ['read']);

let served: DemoApi;
let base: string;
let context: BrowserContext;
let page: Page;
let profile: string;
const consoleErrors: string[] = [];

/** The JSON API, as the page sees it. */
async function json(path: string): Promise<any> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return res.json();
}

/** Waits for the page to finish a (re)load of every panel. */
async function loaded(previous: string | null): Promise<string> {
  // A selector, not waitForFunction: polling a predicate needs eval, which the page's CSP forbids.
  await page.waitForSelector(previous === null ? 'body[data-loaded]' : `body[data-loaded]:not([data-loaded="${previous}"])`, { state: 'attached' });
  return (await page.getAttribute('body', 'data-loaded'))!;
}

/** Waits for one panel's reload after a control changed (dashboard.js `reload`). */
async function reloaded(panel: string, change: () => Promise<unknown>): Promise<void> {
  const before = await page.getAttribute('body', 'data-panel');
  await change();
  await page.waitForSelector(`body[data-panel^="${panel}:"]${before ? `:not([data-panel="${before}"])` : ''}`, { state: 'attached' });
}

const shot = (name: string, selector: string) => page.locator(selector).screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const captionOf = (name: string) => page.locator(`[data-caption="${name}"]`).innerText();
const points = (selector: string) => page.locator(selector).evaluateAll((cs) => cs.map((c) => [Number(c.getAttribute('data-x')), Number(c.getAttribute('data-y'))]));

// What the page prints, computed here the same way from the API's numbers (the demo shop is in UTC, USD).
const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string) => `${count(n)} ${n === 1 ? one : `${one}s`}`;
const day = (iso: string | number) => new Date(iso).toISOString().slice(0, 10);
const month = (iso: string | number) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(new Date(iso));
const usd = (minor: number, digits = 0) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 100);
const percent = (f: number) => `${(f * 100).toFixed(1)}%`;
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const dateTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing. Install Debian's Chromium: apt-get update && apt-get install -y chromium (CI does; playwright-core never downloads a browser here)`);
  const config = loadConfig({});
  const history = syntheticDemoHistory({ customers: 2000, seed: 11, currency: 'USD', timeZone: 'UTC', minorPerUnit: 100 });
  const demo = await runDemo(config, history, createLogger('silent'));
  served = await startDemoApi(config, demo.embedded, { model: demo.model, registry: demo.registry }, createLogger('silent'), { ...loadApiConfig({}), apiKeys: [record], rateLimitPerMinute: 100_000 });
  base = await served.app.listen({ host: '127.0.0.1', port: 0 });
  mkdirSync(SCREENSHOTS, { recursive: true });
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
  await served?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the first screen, without a key, says how to get one; a refused key says so', async () => {
  await page.goto(`${base}/dashboard`);
  assert.equal(new URL(page.url()).pathname, '/dashboard/');
  assert.ok(await page.isVisible('#connect'));
  assert.ok(!(await page.isVisible('#panels')));
  const hint = await page.locator('#key-hint').innerText();
  assert.match(hint, /npm run demo -- --serve prints a key for that run, on the line export CLV_KEY=clv_demo_…/);
  assert.match(hint, /clv keys create --scopes read/);
  assert.match(hint, /CLV_API_KEYS/);
  await shot('first-screen', 'body');
  await page.fill('#api-key', 'clv_nobody_0000');
  await page.click('#key-form button[type=submit]');
  await page.waitForSelector('#message.error >> text=The API refused this key');
  assert.ok(await page.isVisible('#connect'));
  assert.equal(await page.evaluate<string | null>("sessionStorage.getItem('clv-dashboard-api-key')"), null, 'a refused key is not kept');
});

test('every panel shows what the API says, over the whole range, with captions that match the data', async () => {
  await page.fill('#api-key', key);
  await page.click('#key-form button[type=submit]');
  await loaded(null);
  assert.ok(await page.isVisible('#panels'));
  const months = await json('/v1/revenue/actuals?period=month');
  assert.equal(await page.locator('#data-through').innerText(), `Data through ${dateTime(months.latest_order_hour)}`);

  // Revenue, per week (the default), month and day: actuals over the whole range, the forecast with its interval.
  for (const period of ['week', 'month', 'day'] as const) {
    if (period !== 'week') await reloaded('revenue', () => page.click(`#revenue-period label:has(input[value="${period}"])`));
    const a = await json(`/v1/revenue/actuals?period=${period}`);
    const f = await json(`/v1/forecast/revenue?period=${period}`);
    const actual = a.points.map((p: { period_start: string; actual_minor: number }) => [Date.parse(p.period_start), p.actual_minor]);
    assert.deepEqual(await points('#revenue g.series[data-series=actual] circle'), actual, `${period}: actuals`);
    // The first and last periods drawn are those of the first and the latest order: the whole range.
    const first = a.points[0];
    const last = a.points.at(-1);
    assert.ok(first.period_start <= a.first_order_hour && a.first_order_hour < first.period_end, `${period}: first period ${first.period_start} holds the first order ${a.first_order_hour}`);
    assert.ok(last.period_start <= a.latest_order_hour && a.latest_order_hour < last.period_end, `${period}: last period ${last.period_start} holds the latest order ${a.latest_order_hour}`);
    assert.equal(a.latest_order_hour.slice(0, 10), '2025-06-30', 'the demo\'s data end');
    const forecast = f.points.map((p: { period_start: string; expected_minor: number }) => [Date.parse(p.period_start), p.expected_minor]);
    assert.ok(forecast.length > 0);
    assert.deepEqual(await points('#revenue g.series[data-series=forecast] circle'), forecast, `${period}: forecast`);
    assert.equal(await page.locator('#revenue polygon.band').count(), 1, `${period}: the interval`);
    const label = period === 'month' ? month : day;
    const partial = Date.parse(last.period_end) > Date.parse(a.latest_order_hour) + HOUR_MS;
    assert.equal(await page.locator('#revenue g.series[data-series=actual] circle.partial').count(), partial ? 1 : 0);
    assert.equal(await captionOf('revenue'),
      `Actual net revenue per ${period}, ${label(first.period_start)} to ${label(last.period_start)}: ${plural(a.points.length, period)}`
      + `${partial ? `, the last one so far (orders through ${dateTime(a.latest_order_hour)})` : ''}.`
      + ` Forecast ${f.model_version}: ${plural(f.points.length, period)}, ${label(f.points[0].period_start)} to ${label(f.points.at(-1).period_start)}`
      + `, shaded: the range it gives a ${Math.round(f.interval_level * 100)}% chance.`);
    await shot(`revenue-${period}`, 'section:has(#revenue)');
  }
  // A segment: its forecast, and the actuals of the customers it held when the forecast was made.
  await reloaded('revenue', () => page.click('#revenue-period label:has(input[value="month"])'));
  await reloaded('revenue', () => page.selectOption('#revenue-segment', 'high_value'));
  const hf = await json('/v1/forecast/revenue?period=month&segment=high_value');
  const ha = await json(`/v1/revenue/actuals?period=month&segment=high_value&as_of=${encodeURIComponent(hf.segments_as_of)}`);
  assert.deepEqual(await points('#revenue g.series[data-series=actual] circle'), ha.points.map((p: { period_start: string; actual_minor: number }) => [Date.parse(p.period_start), p.actual_minor]));
  assert.deepEqual(await points('#revenue g.series[data-series=forecast] circle'), hf.points.map((p: { period_start: string; expected_minor: number }) => [Date.parse(p.period_start), p.expected_minor]));
  assert.match(await captionOf('revenue'), new RegExp(`Customers who were high value on ${day(hf.segments_as_of)}, when the forecast was made`));
  await shot('revenue-high-value', 'section:has(#revenue)');
  await reloaded('revenue', () => page.selectOption('#revenue-segment', ''));

  // Segments: sizes now, and the week's net change from the score history.
  const sizes = await json('/v1/segments');
  const to = day(months.latest_order_hour);
  const week = await json(`/v1/segments/flows?from=${addDays(to, -6)}&to=${to}&examples=0`);
  for (const s of sizes.segments) {
    assert.equal(await page.locator(`#segments g.bar[data-key=${s.segment}]`).getAttribute('data-value'), String(s.customers), s.segment);
    assert.equal(week.sizes_to[s.segment], s.customers, `${s.segment}: the score history ends where the scores are`);
    const d = week.sizes_to[s.segment] - week.sizes_from[s.segment];
    assert.equal(await page.locator(`#segments g.bar[data-key=${s.segment}] text.delta`).textContent(), d === 0 ? '±0 this week' : `${d > 0 ? '+' : '−'}${count(Math.abs(d))} this week`);
  }
  assert.equal(await captionOf('segments'), `${plural(sizes.total, 'customer')}: ${count(sizes.total - sizes.unscored)} scored, ${count(sizes.unscored)} not scored yet.`
    + ` Changes over the 7 days ${addDays(to, -6)} to ${to}, from the score history.`);
  await shot('segments', 'section:has(#segments)');

  // Who moved: the moves of the last 7 days, then of 90.
  for (const days of [7, 90]) {
    if (days !== 7) await reloaded('flows', () => page.selectOption('#flows-window', String(days)));
    const from = addDays(to, -(days - 1));
    const r = await json(`/v1/segments/flows?from=${from}&to=${to}&examples=3`);
    type Flow = { from_segment: string | null; to_segment: string; customers: number; examples: { customer_id: string }[] };
    const moves = r.flows.filter((f: Flow) => f.from_segment !== null && f.from_segment !== f.to_segment);
    const firstScored = r.flows.filter((f: Flow) => f.from_segment === null);
    const sum = (flows: Flow[]) => flows.reduce((n, f) => n + f.customers, 0);
    const drawn = await page.locator('#flows li.move').evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-from'), l.getAttribute('data-to'), Number(l.getAttribute('data-customers'))]));
    assert.deepEqual(drawn, moves.map((f: Flow) => [f.from_segment, f.to_segment, f.customers]), `${days} days`);
    assert.equal(await captionOf('flows'), `${from} to ${to} (${days} days), segments as of the end of each day: ${plural(sum(moves), 'customer')} moved between segments, `
      + `${count(sum(firstScored))} were scored for the first time, ${count(sum(r.flows.filter((f: Flow) => f.from_segment === f.to_segment)))} stayed where they were.`);
    if (moves.length > 0) {
      assert.deepEqual(await page.locator('#flows li.move').first().locator('button[data-customer]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-customer'))),
        moves[0].examples.map((e: { customer_id: string }) => e.customer_id));
    }
    await page.locator('#flows details.more').evaluateAll((ds) => ds.forEach((d) => d.setAttribute('open', '')));
    await shot(`flows-${days}-days`, 'section:has(#flows)');
  }

  // Recommended actions: counts per action and segment, the policy's reasons.
  const actions = await json('/v1/actions?examples=3');
  for (const a of actions.actions) {
    assert.equal(await page.locator(`article.action[data-action=${a.action}]`).getAttribute('data-customers'), String(a.customers), a.action);
    for (const g of a.segments) {
      const group = page.locator(`article.action[data-action=${a.action}] section.group[data-segment=${g.segment}]`);
      assert.equal(await group.getAttribute('data-customers'), String(g.customers));
      assert.equal(await group.locator('p.reason').innerText(), g.reason);
    }
  }
  const label = (a: string) => a.replace('_', '-');
  assert.equal(await captionOf('actions'), `${count(actions.customers)} scored customers by the action their latest score recommends: `
    + `${actions.actions.map((a: { action: string; customers: number }) => `${label(a.action)} ${count(a.customers)}`).join(', ')}. `
    + `Win-back goes only to customers who spent at least ${usd(actions.win_back.min_historic_value_minor)} in total (the policy's threshold); below it they get ${label(actions.win_back.otherwise.action)}.`);
  await shot('actions', 'section:has(#actions)');

  // CLV distribution: the bars, and a caption that counts what the last bar holds.
  const d = await json('/v1/clv/distribution?buckets=20');
  const counts = await page.locator('#distribution rect.bucket').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-count'))));
  assert.deepEqual(counts, [...d.buckets.map((b: { customers: number }) => b.customers), d.above.customers]);
  assert.equal(await captionOf('distribution'), `${plural(d.customers, 'scored customer')}; CLV is expected spend over the next 365 days, discounted. `
    + `The last bar holds ${percent(d.above.customers / d.customers)} of them (${plural(d.above.customers, 'customer')}) with a CLV of ${usd(d.above.lower_minor)} or more.`);
  await shot('distribution', 'section:has(#distribution)');

  // The champion's accuracy: the customer model's backtest, the forecast's backtest and live check.
  const acc = await json('/v1/models/champion/accuracy');
  const c = acc.customer_model;
  assert.ok(c !== null && acc.revenue_forecast.backtest !== null && acc.revenue_forecast.live !== null, JSON.stringify(acc));
  for (const metric of ['value_error', 'spearman', 'top_decile_capture', 'mean_absolute_error_minor']) {
    assert.equal(Number(await page.locator(`#accuracy tr[data-metric=${metric}]`).getAttribute('data-value')), c[metric], metric);
  }
  assert.equal(Number(await page.locator('#accuracy tr[data-metric=holdout]').getAttribute('data-value')), acc.revenue_forecast.backtest.monthly_mape);
  assert.equal(Number(await page.locator('#accuracy tr[data-metric=live]').getAttribute('data-value')), acc.revenue_forecast.live.monthly_mape);
  assert.match(await page.locator('#accuracy tr[data-metric=live]').innerText(),
    new RegExp(`${acc.revenue_forecast.live.months} months, ${month(acc.revenue_forecast.live.from)} to ${month(Date.parse(acc.revenue_forecast.live.to) - 1)}`));
  assert.equal(await captionOf('customer-model'), `Fitted on the data up to ${day(c.calibration_end)}; then what it predicted for each of ${plural(c.customers, 'customer')}, `
    + `set against what they spent over the ${c.holdout_days} days after (to ${day(c.holdout_end)}).`);
  assert.doesNotMatch(await page.locator('#accuracy').innerText(), /log.likelihood/i);
  await shot('accuracy', 'section:has(#accuracy)');

  // Customer lookup, from an example of an action, then an unknown id.
  const example = actions.actions[0].segments[0].examples[0].customer_id;
  await page.locator(`#actions button[data-customer="${example}"]`).first().click();
  await page.waitForSelector(`dl.customer[data-customer="${example}"]`);
  const customer = await json(`/v1/customers/${example}`);
  assert.equal(await page.locator('dl.customer dd.clv').getAttribute('data-clv-minor'), String(customer.clv.value_minor));
  assert.match(await page.locator('dl.customer dd.clv').innerText(), new RegExp(`^\\${usd(customer.clv.value_minor, 2)} over 365 days`));
  assert.equal(await page.locator('dl.customer dd[data-segment]').getAttribute('data-segment'), customer.segment);
  await shot('customer', 'section:has(#customer)');
  await page.fill('#customer-id', 'nobody-by-that-id');
  await page.click('#lookup-form button[type=submit]');
  await page.waitForSelector('#customer >> text=No customer "nobody-by-that-id"');

  await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
  // The only errors the console may show are the failures the page handles: the refused
  // key and the unknown customer (Chromium logs every failed fetch, handled or not).
  const expected = [/401.*\/v1\/clv\/distribution\?buckets=20\)$/, /401.*\/v1\/(revenue\/actuals\?period=month|models)\)$/, /404.*\/v1\/customers\/nobody-by-that-id\)$/];
  assert.deepEqual(consoleErrors.filter((e) => !expected.some((re) => re.test(e))), []);
});
