import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { EventLog } from '../core/ports/event-log.js';
import type { OrderEvent, PaymentEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
before(async () => {
  f = await apiFixture({ customers: 20, api: { maxBatchEvents: 5 } });
});
after(() => f.app.close());

const now = Date.now();
const order = (n: number, over: Partial<OrderEvent> = {}): OrderEvent => ({
  event_id: `api-o-${n}`, event_time: now - 60_000, type: 'ORDER_PLACED', customer_id: `API-C${n}`, order_id: `API-O${n}`, amount_minor: 2500, currency: 'USD',
  line_items: [{ sku: 'sku-1', category: 'books', quantity: 1, unit_price_minor: 2500 }], ...over,
});
const payment = (n: number, over: Partial<PaymentEvent> = {}): PaymentEvent => ({
  event_id: `api-p-${n}`, event_time: now - 30_000, type: 'PAYMENT_CAPTURED', customer_id: `API-C${n}`, order_id: `API-O${n}`, payment_id: `API-P${n}`, amount_minor: 2500, currency: 'USD', ...over,
});
const post = (payload: unknown, key = f.keys.ingest) => f.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(key), payload: payload as object });
const counts = () => [f.log.read(Topics.orders).length, f.log.read(Topics.payments).length];

async function decodeNew<T>(topic: string, from: number): Promise<Array<{ key: string | null; value: T }>> {
  // JSON round trip: avsc decodes into record classes; compare plain values.
  return Promise.all(f.log.read(topic).slice(from).map(async (m) => ({ key: m.key, value: JSON.parse(JSON.stringify(await f.codec.decode(topic, m.value!))) as T })));
}

test('a valid batch is published to its topics keyed by customer_id, and decodes back to what was sent', async () => {
  const [orders0, payments0] = counts();
  const batch = [
    { topic: Topics.orders, event: order(1) },
    { topic: Topics.payments, event: payment(1) },
    { topic: Topics.orders, event: order(2, { line_items: undefined }) },
  ];
  const res = await post(batch);
  assert.equal(res.statusCode, 202);
  assert.deepEqual(res.json(), { accepted: 3, topics: { [Topics.orders]: 2, [Topics.payments]: 1 } });
  // Messages are partitioned by key, so compare as sets.
  const orders = await decodeNew<OrderEvent>(Topics.orders, 0);
  const payments = await decodeNew<PaymentEvent>(Topics.payments, 0);
  const sent = (topic: string, list: Array<{ key: string | null; value: unknown }>) =>
    list.filter((m) => String((m.value as { event_id: string }).event_id).startsWith('api-')).sort((a, b) => String(a.key).localeCompare(String(b.key)));
  assert.equal(f.log.read(Topics.orders).length - orders0, 2);
  assert.equal(f.log.read(Topics.payments).length - payments0, 1);
  assert.deepEqual(sent(Topics.orders, orders), [
    { key: 'API-C1', value: order(1) },
    { key: 'API-C2', value: { ...order(2), line_items: [] } },
  ]);
  assert.deepEqual(sent(Topics.payments, payments), [{ key: 'API-C1', value: payment(1) }]);
});

test('a single event (not an array) is accepted too', async () => {
  const before = counts();
  const res = await post({ topic: Topics.payments, event: payment(3) });
  assert.equal(res.statusCode, 202);
  assert.deepEqual(counts(), [before[0], before[1] + 1]);
});

test('schema errors: 400 naming index and field, and nothing published', async () => {
  const before = counts();
  const res = await post([
    { topic: Topics.orders, event: order(10) },
    { topic: Topics.orders, event: { ...order(11), amount_minor: 'ten' } },
    { topic: 'commerce.refunds.v1', event: {} },
    { topic: Topics.payments, event: { ...payment(12), extra: 1 } },
  ]);
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'API_BAD_REQUEST');
  const message: string = res.json().error.message;
  assert.match(message, /body\/1\/event\/amount_minor must be integer/);
  assert.match(message, /body\/2\/topic must be one of commerce.orders.v1, commerce.payments.v1/);
  assert.match(message, /body\/3\/event has unknown property extra/);
  assert.deepEqual(counts(), before);
});

test('a missing field of a single event is named', async () => {
  const { customer_id: _, ...noCustomer } = order(13);
  const res = await post({ topic: Topics.orders, event: noCustomer });
  assert.equal(res.statusCode, 400);
  assert.match(res.json().error.message, /body\/event must have required properties customer_id/);
});

test('domain rules (core/event-validation): 400 naming the event and rule, nothing published', async () => {
  const before = counts();
  const res = await post([
    { topic: Topics.orders, event: order(20) },
    { topic: Topics.orders, event: order(21, { event_time: now + 8 * 86_400_000 }) },
    { topic: Topics.payments, event: payment(22, { event_time: now + 7 * 86_400_000 }) },
  ]);
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'API_INVALID_EVENT');
  assert.match(res.json().error.message, /^nothing was published: event 1: event_time .* is in the future \(CLV_EVENT_FROM_FUTURE\); event 2: event_time .* is in the future \(CLV_EVENT_FROM_FUTURE\)$/);
  assert.deepEqual(counts(), before);
  // Another currency than the shop's is a schema error: the OpenAPI document names the one it takes.
  const eur = await post([{ topic: Topics.orders, event: order(21, { currency: 'EUR' }) }]);
  assert.equal(eur.statusCode, 400);
  assert.match(eur.json().error.message, /body\/0\/event\/currency/);
  assert.deepEqual(counts(), before);
});

test('ids with control, format or lone-surrogate code points, and event times before 1990, are 400 and nothing is published', async () => {
  const before = counts();
  const cases: Array<[unknown, RegExp]> = [
    [{ topic: Topics.orders, event: order(30, { customer_id: 'A\u200bB' }) }, /body\/event\/customer_id/],
    [{ topic: Topics.orders, event: order(31, { order_id: 'O\u0085' }) }, /body\/event\/order_id/],
    [{ topic: Topics.payments, event: payment(32, { payment_id: 'P\u{E0001}' }) }, /body\/event\/payment_id/],
    [{ topic: Topics.orders, event: order(34, { event_time: 1_700_000_000 }) }, /body\/event\/event_time/],
  ];
  for (const [body, field] of cases) {
    const res = await post(body);
    assert.equal(res.statusCode, 400, String(field));
    assert.match(res.json().error.message, field);
  }
  // A lone surrogate can only arrive as a JSON escape: Avro would turn it into U+FFFD and
  // merge this customer with every other one whose id differs only there.
  const raw = JSON.stringify({ topic: Topics.orders, event: order(33) }).replace(/"customer_id":"([^"]*)"/, '"customer_id":"$1\\ud800"');
  const res = await f.app.inject({ method: 'POST', url: '/v1/events', headers: { ...bearer(f.keys.ingest), 'content-type': 'application/json' }, payload: raw });
  assert.equal(res.statusCode, 400);
  assert.match(res.json().error.message, /body\/event\/customer_id/);
  assert.deepEqual(counts(), before);
});

test('an empty id is a schema error, before the domain rules', async () => {
  const res = await post([{ topic: Topics.orders, event: order(20) }, { topic: Topics.orders, event: order(23, { customer_id: '' }) }]);
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'API_BAD_REQUEST');
  assert.match(res.json().error.message, /body\/1\/event\/customer_id must not have fewer than 1 characters/);
});

test('more events than CLV_API_MAX_BATCH_EVENTS, an empty batch, bad JSON or a non-JSON body: 4xx with a message', async () => {
  const tooMany = await post([1, 2, 3, 4, 5, 6].map((n) => ({ topic: Topics.orders, event: order(30 + n) })));
  assert.equal(tooMany.statusCode, 400);
  assert.match(tooMany.json().error.message, /holds 6 events; at most 5/);
  const empty = await post([]);
  assert.equal(empty.statusCode, 400);
  assert.match(empty.json().error.message, /at least one event/);
  const badJson = await f.app.inject({ method: 'POST', url: '/v1/events', headers: { ...bearer(f.keys.ingest), 'content-type': 'application/json' }, payload: '{"topic": ' });
  assert.equal(badJson.statusCode, 400);
  assert.equal(badJson.json().error.code, 'API_BAD_REQUEST');
  const text = await f.app.inject({ method: 'POST', url: '/v1/events', headers: { ...bearer(f.keys.ingest), 'content-type': 'text/plain' }, payload: 'hello' });
  assert.equal(text.statusCode, 415);
  assert.equal(text.json().error.code, 'API_UNSUPPORTED_MEDIA_TYPE');
});

test('a body over CLV_API_BODY_LIMIT_BYTES is 413', async () => {
  const small = await apiFixture({ customers: 5, api: { bodyLimitBytes: 1024 } });
  try {
    const res = await small.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(small.keys.ingest), payload: [{ topic: Topics.orders, event: order(40, { line_items: Array.from({ length: 30 }, () => order(40).line_items[0]) }) }] });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'API_PAYLOAD_TOO_LARGE');
  } finally {
    await small.app.close();
  }
});

test('an event log outage is 503 and retriable, without internals', async () => {
  const fail = async () => { throw new Error('KafkaJSConnectionError: broker 10.0.0.7:9092 down'); };
  const failing = (log: EventLog): EventLog => Object.assign(Object.create(log), { publish: fail, publishAll: fail });
  const down = await apiFixture({ customers: 5, adapt: { log: failing } });
  try {
    const res = await down.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(down.keys.ingest), payload: { topic: Topics.orders, event: order(50) } });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().error.code, 'API_UNAVAILABLE');
    assert.ok(!res.body.includes('10.0.0.7'));
  } finally {
    await down.app.close();
  }
});

/** An event log whose broker never answers: publishing waits until the caller gives up. */
function stalledLog(honoursSignal: boolean) {
  const calls: Array<Array<{ topic: string; count: number }>> = [];
  const adapt = (log: EventLog): EventLog => Object.assign(Object.create(log), {
    publish: () => new Promise<void>(() => {}),
    publishAll: (batches: Array<{ topic: string; messages: unknown[] }>, options?: { signal?: AbortSignal }) => {
      calls.push(batches.map((b) => ({ topic: b.topic, count: b.messages.length })));
      return new Promise<void>((_resolve, reject) => {
        if (honoursSignal) options?.signal?.addEventListener('abort', () => reject(new Error('publish withdrawn: nothing was published')));
      });
    },
  });
  return { calls, adapt };
}

for (const honoursSignal of [true, false]) {
  test(`POST /v1/events while the event log cannot publish: 503 with Retry-After within CLV_API_PUBLISH_TIMEOUT_MS (log ${honoursSignal ? 'honours' : 'ignores'} the deadline)`, async () => {
    const stalled = stalledLog(honoursSignal);
    const down = await apiFixture({ customers: 5, adapt: { log: stalled.adapt }, api: { publishTimeoutMs: 200 } });
    try {
      // Guard only (no timing is asserted): before the deadline existed this request never ended.
      const res = await Promise.race([
        down.app.inject({ method: 'POST', url: '/v1/events', headers: bearer(down.keys.ingest), payload: [{ topic: Topics.orders, event: order(60) }, { topic: Topics.payments, event: payment(60) }] }),
        new Promise<never>((_r, reject) => setTimeout(() => reject(new Error('POST /v1/events still pending after 20 s')), 20_000).unref()),
      ]);
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().error.code, 'API_UNAVAILABLE');
      assert.match(res.json().error.message, /retry the whole batch/);
      assert.match(String(res.headers['retry-after']), /^\d+$/);
      // The whole batch went to the log in one call (one request: all or nothing), never topic by topic.
      assert.deepEqual(stalled.calls, [[{ topic: Topics.orders, count: 1 }, { topic: Topics.payments, count: 1 }]]);
    } finally {
      await down.app.close();
    }
  });
}
