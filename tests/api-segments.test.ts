import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Segments } from '../core/segmentation.js';
import { encodeCursor } from '../api/routes/segments.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
const truth = new Map<string, string[]>();
/** Customers whose every order was voided: kept with features of no purchase days, unscored. */
let noActiveOrder = 0;
before(async () => {
  f = await apiFixture();
  for await (const page of f.pipeline.stores.scores.scan(1000)) {
    for (const [id, s] of page) {
      if (s.segment) truth.set(s.segment, [...(truth.get(s.segment) ?? []), id]);
      else if (s.features.purchase_days === 0) noActiveOrder++;
    }
  }
});
after(() => f.app.close());

const get = (url: string) => f.app.inject({ url, headers: bearer(f.keys.read) });

test('segment sizes count every scored customer once', async () => {
  const body = (await get('/v1/segments')).json();
  assert.deepEqual(body.segments.map((s: { segment: string }) => s.segment), [...Segments]);
  for (const s of body.segments) assert.equal(s.customers, truth.get(s.segment)?.length ?? 0, s.segment);
  assert.equal(body.total, await f.pipeline.stores.scores.size());
  // Every customer with an active order is scored; the others are counted unscored.
  assert.equal(body.unscored, noActiveOrder);
});

test('pagination walks every customer of each segment exactly once, in id order', async () => {
  for (const segment of Segments) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/v1/segments/${segment}/customers?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.ok(body.customers.length <= 7);
      seen.push(...body.customers.map((c: { customer_id: string }) => c.customer_id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor !== null && pages < 1000);
    const expected = [...(truth.get(segment) ?? [])].sort();
    assert.deepEqual(seen, expected, segment);
  }
});

test('a page shows each customer\'s CLV and model version', async () => {
  const body = (await get('/v1/segments/high_value/customers?limit=3')).json();
  assert.equal(body.customers.length, 3);
  for (const c of body.customers) {
    assert.equal(c.model_version, 'cdnow-fhl-2005');
    assert.ok(Number.isInteger(c.clv_minor));
  }
});

test('400 with a message for an unknown segment, a bad limit (not a number: true, 1.5, abc) or an unknown parameter', async () => {
  const cases: Array<[string, string, RegExp]> = [
    ['/v1/segments/vip/customers', 'API_BAD_REQUEST', /params\/segment must be one of new, high_value/],
    ['/v1/segments/lost/customers?limit=0', 'API_BAD_REQUEST', /querystring\/limit must be >= 1/],
    ['/v1/segments/lost/customers?limit=abc', 'API_BAD_REQUEST', /querystring\/limit must be integer/],
    ['/v1/segments/lost/customers?limit=5000', 'API_BAD_REQUEST', /querystring\/limit must be <= 1000/],
    ['/v1/segments/lost/customers?page=2', 'API_BAD_REQUEST', /unknown property page/],
    ['/v1/segments/lost/customers?cursor=!!', 'API_BAD_REQUEST', /querystring\/cursor/],
    ['/v1/segments/lost/customers?limit=true', 'API_BAD_REQUEST', /querystring\/limit must be integer/],
    ['/v1/segments/lost/customers?limit=1.5', 'API_BAD_REQUEST', /querystring\/limit must be integer/],
    ['/v1/segments/lost/customers?limit=', 'API_BAD_REQUEST', /querystring\/limit must be integer/],
  ];
  for (const [url, code, message] of cases) {
    const res = await get(url);
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json().error.code, code, url);
    assert.match(res.json().error.message, message, url);
  }
});

test('a cursor is a position (after that customer id): every schema-valid cursor pages on, none is an undeclared 400', async () => {
  const first = (await get('/v1/segments/high_value/customers?limit=3')).json();
  // cursor=0 decodes to no position: the first page.
  const zero = await get('/v1/segments/high_value/customers?limit=3&cursor=0');
  assert.equal(zero.statusCode, 200);
  assert.deepEqual(zero.json().customers, first.customers);
  // Any base64url text is some position: the customers after it, in id order.
  for (const cursor of ['WB', 'bm90LWpzb24', encodeCursor(first.customers[1].customer_id)]) {
    const res = await get(`/v1/segments/high_value/customers?limit=3&cursor=${cursor}`);
    assert.equal(res.statusCode, 200, cursor);
    const after = Buffer.from(cursor, 'base64url').toString('utf8');
    for (const c of res.json().customers) assert.ok(c.customer_id > after, `${c.customer_id} after ${after}`);
  }
  assert.deepEqual((await get(`/v1/segments/high_value/customers?limit=1&cursor=${first.next_cursor}`)).json().customers[0], (await get('/v1/segments/high_value/customers?limit=4')).json().customers[3]);
});
