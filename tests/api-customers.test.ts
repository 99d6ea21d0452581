import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { customerBody } from '../api/routes/customers.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
let scores: Map<string, CustomerScoreState>;
before(async () => {
  f = await apiFixture();
  scores = new Map();
  // Scored customers: one whose every order was voided is kept unscored (no active order).
  for await (const page of f.pipeline.stores.scores.scan(1000)) for (const [id, s] of page) if (s.segment !== null) scores.set(id, s);
});
after(() => f.app.close());

const get = (id: string, key = f.keys.read) => f.app.inject({ url: `/v1/customers/${encodeURIComponent(id)}`, headers: bearer(key) });

test('returns the stored score, segment and policy action, with features in ISO times', async () => {
  const [id, state] = [...scores].find(([, s]) => s.features.repeat_purchase_days >= 2)!;
  const res = await get(id);
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.customer_id, id);
  assert.equal(body.scored, true);
  assert.equal(body.model_version, 'cdnow-fhl-2005');
  assert.equal(body.clv.value_minor, state.clvMinor);
  assert.equal(body.clv.horizon_days, 365);
  assert.equal(body.segment, state.segment);
  assert.ok(['upsell', 'cross_sell', 'win_back', 'nurture', 'none'].includes(body.action.action));
  assert.equal(body.features.repeat_purchase_days, state.features.repeat_purchase_days);
  assert.equal(body.features.total_value_minor, state.features.total_value_minor);
  assert.equal(body.features.last_purchase_time, new Date(state.features.last_purchase_time).toISOString());
});

test('shows the stored recommendation: action, categories to promote, reason and price floor', async () => {
  let withCategories = 0;
  for (const [id, state] of [...scores].filter(([, s]) => s.segment !== null).slice(0, 60)) {
    const body = (await get(id)).json();
    const r = state.recommendation!;
    assert.equal(body.action.action, r.action, id);
    assert.deepEqual(body.recommendation, { categories: r.categories, reason: r.reason, min_unit_price_minor: r.minUnitPriceMinor }, id);
    if (r.categories.length > 0) withCategories++;
  }
  // Win-back names the customer's favourite categories even without shop-wide statistics.
  assert.ok(withCategories > 0, 'some customer has suggested categories');
});

test('the CLV comes with the stored 10–90% interval, in minor units, recomputable from the model', async () => {
  for (const [id, state] of [...scores].slice(0, 40)) {
    const body = (await get(id)).json();
    assert.ok(state.interval, id);
    assert.deepEqual(body.clv.interval, { lower_minor: state.interval.lowerMinor, upper_minor: state.interval.upperMinor, level: 0.8 });
    assert.equal(body.clv.interval_note, null);
    assert.ok(body.clv.interval.lower_minor <= body.clv.interval.upper_minor);
    const d = body.explanation.details;
    const p = f.model.predict({ asOfDay: 0, frequency: d.inputs.x, recency: d.inputs.t_x, T: d.inputs.T, monetaryValue: d.inputs.monetary_value });
    assert.equal(body.clv.interval.upper_minor, Math.round(p.interval!.upper * 100), id);
  }
});

test('a score without an interval (point-estimate model, or stored before intervals): null with a note, not an invented number', async () => {
  const [id, state] = [...scores][0];
  const view = (await f.readModel.customer(id))!;
  const body = customerBody({ ...view, score: { ...view.score!, interval: null } }, 100);
  assert.equal(body.clv!.interval, null);
  assert.match(body.clv!.interval_note!, /No interval/);
  assert.equal(state.modelVersion, 'cdnow-fhl-2005');
});

test('the explanation recomputes the stored CLV from x, t_x, T and monetary value with the model', async () => {
  for (const [id, state] of [...scores].slice(0, 40)) {
    const body = (await get(id)).json();
    const d = body.explanation.details;
    assert.equal(d.matches_score, true, id);
    assert.equal(Math.round(d.clv * 100), state.clvMinor, id);
    assert.equal(d.inputs.x, state.features.repeat_purchase_days);
    assert.ok(d.inputs.t_x <= d.inputs.T);
    // Same numbers as the model gives for those inputs.
    const p = f.model.predict({ asOfDay: 0, frequency: d.inputs.x, recency: d.inputs.t_x, T: d.inputs.T, monetaryValue: d.inputs.monetary_value });
    assert.equal(d.p_alive, p.pAlive);
    assert.equal(d.expected_purchases, p.expectedPurchases);
    assert.equal(body.p_alive, p.pAlive);
    assert.equal(d.monthly_discount_rate, 0.01);
    assert.ok(Math.abs(d.expected_spend - p.expectedPurchases * p.expectedAvgValue) < 1e-9);
    assert.equal(body.expected_spend.over_horizon_minor, Math.round(d.expected_spend * 100));
    assert.ok(d.clv <= d.expected_spend + 1e-9, 'discounting never adds value');
    assert.match(body.explanation.text, /probability that the customer is still active/);
    assert.match(body.explanation.text, /a month gives a CLV of \$/);
  }
});

test('404 with a message for an unknown customer', async () => {
  const res = await get('no-such-customer');
  assert.equal(res.statusCode, 404);
  assert.deepEqual(res.json(), { error: { code: 'API_CUSTOMER_NOT_FOUND', message: 'no customer "no-such-customer"' } });
});

test('400 naming the parameter for an id too long or with control characters', async () => {
  for (const id of ['x'.repeat(129), 'a\u0001b']) {
    const res = await get(id);
    assert.equal(res.statusCode, 400, JSON.stringify(id));
    assert.equal(res.json().error.code, 'API_BAD_REQUEST');
    assert.match(res.json().error.message, /^params\/id /);
  }
});

test('a malformed or overlong URL gets the same error body, not fastify\'s', async () => {
  const bad = await f.app.inject({ url: '/v1/customers/%E0%A4%A', headers: bearer(f.keys.read) });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'API_BAD_REQUEST');
  const long = await f.app.inject({ url: `/v1/customers/${'x'.repeat(300)}`, headers: bearer(f.keys.read) });
  assert.equal(long.statusCode, 414);
  assert.deepEqual(long.json(), { error: { code: 'API_URI_TOO_LONG', message: 'the URL is too long' } });
});

test('a customer seen before any model is returned unscored, saying why', async () => {
  const unscored = await apiFixture({ customers: 20, withModel: false });
  try {
    const id = [...unscored.history.truth.byId.keys()].find((k) => unscored.history.truth.byId.get(k)!.purchases.length > 0)!;
    const res = await unscored.app.inject({ url: `/v1/customers/${id}`, headers: bearer(unscored.keys.read) });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.scored, false);
    assert.equal(body.clv, null);
    assert.equal(body.segment, null);
    assert.equal(body.explanation.details, null);
    assert.match(body.explanation.text, /Not scored yet/);
  } finally {
    await unscored.app.close();
  }
});

test('DELETE /v1/customers/:id (admin) erases the customer: the score is gone; a read or ingest key may not erase', async () => {
  const [id] = [...scores].find(([, s]) => s.segment !== null)!;
  const del = (key: string) => f.app.inject({ method: 'DELETE', url: `/v1/customers/${encodeURIComponent(id)}`, headers: bearer(key) });
  assert.equal((await del(f.keys.read)).statusCode, 403);
  assert.equal((await del(f.keys.ingest)).statusCode, 403);
  assert.equal((await get(id)).statusCode, 200, 'still there');
  const res = await del(f.keys.admin);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().customer_id, id);
  assert.equal((await get(id)).statusCode, 404);
  assert.equal((await f.pipeline.stores.histories.getMany([id])).size, 0);
});
