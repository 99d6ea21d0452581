/**
 * GET /v1/actions (api/routes/actions.ts) over the API fixture's 300 streamed customers:
 * the counts are those of the scores in the store, each group's reason is the policy's, and
 * its examples are its most valuable customers with the recommendation GET /v1/customers/:id shows.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Action } from '../core/action-policy.js';
import { actionRuleReason } from '../core/recommendations/action-rule-reason.js';
import type { Segment } from '../core/segmentation.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';
import { defaultPolicy } from './support/embedded-pipeline.js';

let f: ApiFixture;
before(async () => {
  f = await apiFixture();
});
after(() => f.app.close());

const get = (url: string, key: string | null = f.keys.read) => f.app.inject({ url, headers: key ? bearer(key) : {} });

interface Body {
  customers: number;
  actions: { action: Action; customers: number; segments: { segment: Segment; customers: number; reason: string; examples: { customer_id: string; clv_minor: number; reason: string; categories: string[] }[] }[] }[];
  win_back: { min_historic_value_minor: number; segments: string[]; otherwise: { action: string; reason: string } };
}

test('the read scope', async () => {
  assert.equal((await get('/v1/actions', null)).statusCode, 401);
  assert.equal((await get('/v1/actions', f.keys.ingest)).json().error.code, 'API_FORBIDDEN');
});

test('per action and segment: the customers the store holds, the policy\'s reason, the most valuable as examples', async () => {
  const body = (await get('/v1/actions?examples=2')).json() as Body;
  // What the scores say, counted here.
  const byGroup = new Map<string, { id: string; clv: number }[]>();
  for await (const page of f.pipeline.stores.scores.scan(1000)) {
    for (const [id, s] of page) {
      if (s.segment === null) continue;
      const key = `${s.recommendation!.action} ${s.segment}`;
      byGroup.set(key, [...(byGroup.get(key) ?? []), { id, clv: s.clvMinor }]);
    }
  }
  const scored = [...byGroup.values()].reduce((n, g) => n + g.length, 0);
  assert.ok(scored > 200, `${scored} scored customers`);
  assert.equal(body.customers, scored);
  assert.equal(body.actions.reduce((n, a) => n + a.customers, 0), scored);
  const sizes = (await get('/v1/segments')).json();
  assert.equal(body.customers, sizes.total - sizes.unscored, 'the same customers as GET /v1/segments');
  assert.deepEqual(body.actions.map((a) => a.customers), [...body.actions.map((a) => a.customers)].sort((x, y) => y - x), 'largest first');
  let groups = 0;
  for (const a of body.actions) {
    assert.equal(a.segments.reduce((n, s) => n + s.customers, 0), a.customers, a.action);
    for (const s of a.segments) {
      groups++;
      const expected = byGroup.get(`${a.action} ${s.segment}`)!.sort((x, y) => y.clv - x.clv || (x.id < y.id ? -1 : 1));
      assert.equal(s.customers, expected.length, `${a.action} ${s.segment}`);
      assert.equal(s.reason, actionRuleReason(defaultPolicy, s.segment, a.action, { currency: 'USD', minorPerUnit: 100 }));
      assert.deepEqual(s.examples.map((e) => [e.customer_id, e.clv_minor]), expected.slice(0, 2).map((e) => [e.id, e.clv]), `${a.action} ${s.segment}`);
      for (const e of s.examples) {
        const c = (await get(`/v1/customers/${e.customer_id}`)).json();
        assert.deepEqual([e.reason, e.categories], [c.recommendation.reason, c.recommendation.categories], e.customer_id);
      }
    }
  }
  assert.equal(groups, byGroup.size);
  assert.deepEqual(body.win_back, {
    min_historic_value_minor: 20_000, segments: ['at_risk', 'lost'],
    otherwise: { action: 'none', reason: 'Probability alive has dropped but historic value is low: no paid contact.' },
  });
});

test('examples=0 lists none; more than 20 is a 400', async () => {
  const body = (await get('/v1/actions?examples=0')).json() as Body;
  assert.ok(body.actions.every((a) => a.segments.every((s) => s.examples.length === 0)));
  const res = await get('/v1/actions?examples=21');
  assert.equal(res.statusCode, 400);
  assert.match(res.json().error.message, /querystring\/examples must be <= 20/);
});
