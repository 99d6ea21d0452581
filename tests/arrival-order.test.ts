/**
 * The non-negotiable "duplicates, out-of-order events and processing speed never change a
 * result", end to end on the embedded pipeline (no services): the same orders and payments fed
 * in different arrival orders (and with duplicates) must leave the same final state — order
 * ledgers, purchase histories, score states — and the same analyst rows, resolved as the
 * ClickHouse views resolve them (adapters/clickhouse/migrations/015-latest-by-version.ts).
 *
 * What may legitimately differ is left out on both sides, as in the fault suite
 * (tests/faults/support/stack-snapshot.ts): revision numbers and the ids and sequence numbers
 * built from them (an order emitted ACTIVE then VOIDED has two revisions, one arriving voided
 * has one), the order of a list that follows arrival (history orders, ledger ids seen).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClvScoreEvent, CustomerFeaturesEvent, DeadLetterEvent, OrderEvent, PaymentEvent, PurchaseEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import type { OrderLedger } from '../processors/purchases/purchase-joiner.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { latestFeaturesRows, latestScoreRows } from '../core/analyst-latest.js';
import { cancelled, day, payment, placed } from './support/commerce-events.js';
import { embeddedPipeline, linearModel } from './support/embedded-pipeline.js';

type CommerceEvent = OrderEvent | PaymentEvent;

/** Feeds each step as its own batch (published, then drained), so arrival order is exactly the steps'. */
async function finalState(steps: CommerceEvent[][]) {
  const ctx = embeddedPipeline();
  ctx.pipeline.useModel(linearModel);
  await ctx.pipeline.start();
  for (const step of steps) {
    for (const e of step) {
      const topic = 'line_items' in e ? Topics.orders : Topics.payments;
      await ctx.log.publish(topic, [{ key: e.customer_id, value: await ctx.codec.encode(topic, e) }]);
    }
    await ctx.pipeline.waitUntilIdle();
  }
  await ctx.pipeline.stop();
  const decodeAll = async <T>(topic: string) => Promise.all(ctx.log.read(topic).filter((m) => m.value !== null).map(async (m) => (await ctx.codec.decode(topic, m.value!)) as T));
  const read = async <T>(store: { scan(n: number): AsyncIterable<Array<[string, T]>> }) => {
    const out: Record<string, T> = {};
    for await (const page of store.scan(1000)) for (const [k, v] of page) out[k] = structuredClone(v);
    return sortKeys(out);
  };
  const ledgers = await read(ctx.stores.ledgers as never as { scan(n: number): AsyncIterable<Array<[string, OrderLedger]>> });
  const histories = await read(ctx.stores.histories as never as { scan(n: number): AsyncIterable<Array<[string, CustomerPurchaseHistory]>> });
  const scores = await read(ctx.stores.scores as never as { scan(n: number): AsyncIterable<Array<[string, CustomerScoreState]>> });
  const purchases = await decodeAll<PurchaseEvent>(Topics.purchases);
  const features = await decodeAll<CustomerFeaturesEvent>(Topics.features);
  const scoreEvents = await decodeAll<ClvScoreEvent>(Topics.scores);
  const deadLetters = await decodeAll<DeadLetterEvent>(Topics.deadLetter);
  const latestPurchase = new Map<string, PurchaseEvent>();
  for (const p of purchases) {
    const k = `${p.customer_id}/${p.order_id}`;
    if ((latestPurchase.get(k)?.revision ?? 0) < p.revision) latestPurchase.set(k, p);
  }
  // Through JSON: decoded records are class instances (avsc), stored ones plain objects.
  return JSON.parse(JSON.stringify({
    // `applied` numbers revisions; it counts an event older than the dedup window only when it
    // arrived before the later event that pushed the window past it (then it is recorded).
    ledgers: Object.fromEntries(Object.entries(ledgers).map(([k, l]) => [k, { ...l, applied: 0, seen: [...l.seen].sort(), emitted: l.emitted && { ...l.emitted, revision: 0 } }])),
    histories: Object.fromEntries(Object.entries(histories).map(([k, h]) => [k, { ...h, orders: h.orders.map((o) => ({ ...o, revision: 0 })).sort((a, b) => (a.orderId < b.orderId ? -1 : 1)) }])),
    scores: Object.fromEntries(Object.entries(scores).map(([k, s]) => [k, { ...s, sequence: 0, features: { ...s.features, event_id: '' } }])),
    // purchases_latest: each order's highest revision (its number left out).
    purchasesView: sortKeys(Object.fromEntries([...latestPurchase].map(([k, p]) => [k, { ...p, event_id: '', revision: 0 }]))),
    // customer_features_latest and clv_scores_latest as the views pick them (ids left out).
    featuresView: sortKeys(Object.fromEntries([...latestFeaturesRows(features)].map(([k, f]) => [k, { ...f, event_id: '' }]))),
    scoresView: sortKeys(Object.fromEntries([...latestScoreRows(scoreEvents)].map(([k, s]) => [k, { ...s, event_id: '', sequence: 0 }]))),
    deadLetters: deadLetters.map((d) => `${d.error_code}: ${d.reason}`).sort(),
  }));
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function assertSameInEveryOrder(orders: Record<string, CommerceEvent[][]>) {
  const [[firstName, firstSteps], ...rest] = Object.entries(orders);
  const expected = await finalState(firstSteps);
  for (const [name, steps] of rest) assert.deepEqual(await finalState(steps), expected, `${name} differs from ${firstName}`);
  return expected;
}

const capture = (order: string, amount: number, at: number, customer = 'C1') => payment('PAYMENT_CAPTURED', order, amount, at, '', customer);
const refund = (order: string, amount: number, at: number, suffix = '', customer = 'C1') => payment('PAYMENT_REFUNDED', order, amount, at, suffix, customer);

test('a fully refunded only order: the same final state whether the order arrives first or last', async () => {
  const o = placed('O1', 5000, day(1));
  const c = capture('O1', 5000, day(1) + 60_000);
  const r = refund('O1', 5000, day(3));
  const state = await assertSameInEveryOrder({
    'order → capture → refund': [[o], [c], [r]],
    'capture → refund → order': [[c], [r], [o]],
    'refund → capture → order': [[r], [c], [o]],
    'with duplicates': [[c], [c, o], [r], [o, r], [c]],
  });
  // A customer with no active order has no score, in the store or in the analysts' view.
  assert.deepEqual(Object.keys(state.scoresView), []);
  assert.equal(state.scores.C1?.segment ?? null, null);
  assert.deepEqual(Object.keys(state.featuresView), []);
});

test('a cancelled only order: the same final state whether the cancellation comes before or after the capture', async () => {
  const o = placed('O1', 5000, day(1));
  const c = capture('O1', 5000, day(1) + 60_000);
  const x = cancelled('O1', day(2));
  const state = await assertSameInEveryOrder({
    'order → capture → cancel': [[o], [c], [x]],
    'cancel → capture → order': [[x], [c], [o]],
    'capture → order → cancel': [[c], [o], [x]],
  });
  assert.deepEqual(Object.keys(state.scoresView), []);
});

test('a voided latest order: features and score go back to the latest active order in both arrival orders', async () => {
  const o1 = placed('O1', 3000, day(1));
  const c1 = capture('O1', 3000, day(1) + 60_000);
  const o2 = placed('O2', 4000, day(20));
  const c2 = capture('O2', 4000, day(20) + 60_000);
  const r2 = refund('O2', 4000, day(22));
  const state = await assertSameInEveryOrder({
    'O2 active, then refunded': [[o1, c1], [o2], [c2], [r2]],
    'O2 refunded before it arrives': [[o1, c1], [c2], [r2], [o2]],
    'all at once, refund first': [[r2, c2, o2, c1, o1]],
  });
  assert.equal(state.scores.C1.features.event_time, day(1));
  assert.equal(state.scores.C1.asOfMs, day(1));
  assert.equal(state.scoresView.C1.event_time, day(1));
  assert.equal(state.featuresView.C1.purchase_days, 1);
});

test('a refund dated more than the dedup window before a later refund: applied whatever the arrival order', async () => {
  const o = placed('O1', 10_000, day(1));
  const c = capture('O1', 10_000, day(1) + 60_000);
  const r1 = refund('O1', 1000, day(5), '-1');
  const r2 = refund('O1', 2000, day(60), '-2');
  const state = await assertSameInEveryOrder({
    'in event time': [[o], [c], [r1], [r2]],
    'the later refund first': [[o], [c], [r2], [r1]],
    'refunds first, redelivered': [[r2], [r1], [o, c], [r1, r2]],
  });
  assert.deepEqual(state.deadLetters, []);
  assert.equal(state.purchasesView['C1/O1'].net_amount_minor, 7000);
});

test('a fully voided customer who buys again is scored again, in every arrival order', async () => {
  const o1 = placed('O1', 3000, day(1));
  const c1 = capture('O1', 3000, day(1) + 60_000);
  const r1 = refund('O1', 3000, day(2));
  const o2 = placed('O2', 2000, day(10));
  const c2 = capture('O2', 2000, day(10) + 60_000);
  const state = await assertSameInEveryOrder({
    'in event time': [[o1], [c1], [r1], [o2], [c2]],
    'refund last': [[o1], [c1], [o2], [c2], [r1]],
    'second order first': [[o2, c2], [r1], [c1], [o1]],
  });
  assert.equal(state.scoresView.C1.event_time, day(10));
  assert.equal(state.featuresView.C1.total_value_minor, 2000);
});
