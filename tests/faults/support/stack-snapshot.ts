/**
 * What a run leaves behind, read in one shape from either side: the processors' state (every
 * customer's purchase history and score state, the number of order ledgers) and the analyst
 * tables as their views show them (each customer's newest features and score, each order's
 * highest purchase revision), plus the raw order and payment tables' row and event counts.
 * `compareSnapshots` says, customer by customer, what a faulty run lost, doubled or changed
 * against a fault-free one.
 *
 * What legitimately depends on the order in which a run saw orders and payments is left out
 * of both sides (processors/purchases/purchase-joiner.ts: the latest revision's content is
 * order-free, "its number may then differ"): revision numbers and the ids made from them
 * (purchase `order:revision`, features `customer@orders.revisionSum`, the score ids built
 * on those and each score's `sequence`: an order arriving after its full refund is emitted
 * VOIDED once, arriving first it is emitted ACTIVE and then VOIDED), and orders that are
 * VOIDED — no reader counts a voided order.
 */
import { Cluster } from 'ioredis';
import type { InMemoryAnalyticsStore } from '../../../adapters/in-memory/in-memory-analytics-store.js';
import { ClickHouseConnection } from '../../../adapters/clickhouse/clickhouse-connection.js';
import { ident, sql } from '../../../adapters/clickhouse/sql.js';
import { openRedis } from '../../../adapters/redis/redis-client.js';
import { redisStateStores } from '../../../app/redis-state-stores.js';
import { latestFeaturesRows, latestScoreRows } from '../../../core/analyst-latest.js';
import type { StateStore } from '../../../core/ports/state-store.js';
import { summarizeHistory, type CustomerPurchaseHistory } from '../../../processors/features/customer-purchase-history.js';
import type { CustomerScoreState } from '../../../processors/scoring/customer-scorer.js';

/** One customer's features as the `customer_features_latest` view shows them. */
export interface FeaturesView { purchase_days: number; repeat_purchase_days: number; repeat_value_minor: number; total_value_minor: number }
/** One customer's score as `clv_scores_latest` shows it. */
export interface ScoreView { model_version: string; clv_minor: number; p_alive: number; segment: string; action: string }
/** One ACTIVE order as `purchases_latest` shows it. */
export interface PurchaseView { status: string; net_amount_minor: number }

export interface Snapshot {
  /** Customer id → purchase history (orders in order-id order), in Redis or the fault-free stores. */
  histories: Map<string, CustomerPurchaseHistory>;
  scores: Map<string, CustomerScoreState>;
  ledgers: number;
  features: Map<string, FeaturesView>;
  scoreViews: Map<string, ScoreView>;
  /** `customer_id/order_id` → the order's highest revision. */
  purchases: Map<string, PurchaseView>;
  /** Raw table rows and distinct event ids: rows − events are redeliveries the views hide. */
  raw: Record<'orders' | 'payments', { rows: number; events: number }>;
}

async function readStore<T>(store: StateStore<T>): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for await (const page of store.scan(2000)) for (const [k, v] of page) out.set(k, v);
  return out;
}

/**
 * Histories as far as features go: ACTIVE orders only, without revision numbers, in order-id
 * order (the order of a history's orders follows arrival); customers left with none dropped.
 */
function normalizedHistories(histories: Map<string, CustomerPurchaseHistory>): Map<string, CustomerPurchaseHistory> {
  const out = new Map<string, CustomerPurchaseHistory>();
  for (const [id, h] of histories) {
    const orders = h.orders
      .filter((o) => o.status === 'ACTIVE')
      .map((o) => ({ ...o, revision: 0 }))
      .sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
    if (orders.length > 0) out.set(id, { ...h, orders });
  }
  return out;
}

/** Score states without the features event id (it sums revision numbers) and the score sequence (it counts scores published). */
function normalizedScores(scores: Map<string, CustomerScoreState>): Map<string, CustomerScoreState> {
  return new Map([...scores].map(([id, st]) => [id, { ...st, sequence: 0, features: { ...st.features, event_id: '' } }]));
}

/** Latest per key by `newer`, as the views' argMax does. */
function latestBy<R>(rows: Iterable<R>, key: (r: R) => string, newer: (a: R, b: R) => boolean): Map<string, R> {
  const out = new Map<string, R>();
  for (const r of rows) {
    const k = key(r);
    const seen = out.get(k);
    if (seen === undefined || newer(r, seen)) out.set(k, r);
  }
  return out;
}

/** The fault-free run's stores and in-memory analyst tables (app/embedded.ts). */
export async function snapshotOfEmbedded(stores: { ledgers: StateStore<unknown>; histories: StateStore<unknown>; scores: StateStore<unknown> }, analytics: InMemoryAnalyticsStore): Promise<Snapshot> {
  const histories = normalizedHistories(structuredClone(await readStore(stores.histories as StateStore<CustomerPurchaseHistory>)));
  const scores = normalizedScores(structuredClone(await readStore(stores.scores as StateStore<CustomerScoreState>)));
  const ledgers = (await readStore(stores.ledgers)).size;
  // As the ClickHouse views pick them (core/analyst-latest.ts).
  const features = new Map([...latestFeaturesRows(analytics.rows('customer_features'))].map(([id, r]) => [id, {
    purchase_days: r.purchase_days, repeat_purchase_days: r.repeat_purchase_days, repeat_value_minor: r.repeat_value_minor, total_value_minor: r.total_value_minor,
  }]));
  const scoreViews = new Map([...latestScoreRows(analytics.rows('clv_scores'))].map(([id, r]) => [id, {
    model_version: r.model_version, clv_minor: r.clv_minor, p_alive: r.p_alive, segment: r.segment, action: r.action,
  }]));
  const purchases = new Map([...latestBy(analytics.rows('purchases'), (r) => `${r.customer_id}/${r.order_id}`, (a, b) => a.revision > b.revision)]
    .filter(([, r]) => r.status === 'ACTIVE')
    .map(([k, r]) => [k, { status: r.status, net_amount_minor: r.net_amount_minor }]));
  const raw = (table: 'orders' | 'payments') => {
    const rows = analytics.rows(table);
    return { rows: rows.length, events: new Set(rows.map((r) => r.event_id)).size };
  };
  return { histories, scores, ledgers, features, scoreViews, purchases, raw: { orders: raw('orders'), payments: raw('payments') } };
}

/**
 * The real stack's Redis (the namespaces `clv run` writes, app/production.ts) and ClickHouse
 * views. `redisCluster`: the URL names a node of a Redis Cluster (CLV_REDIS_CLUSTER), every
 * master is read.
 */
export async function snapshotOfStack(redisUrl: string, clickhouseUrl: string, database: string, options: { redisCluster?: boolean } = {}): Promise<Snapshot> {
  const redis = openRedis({ url: redisUrl, cluster: options.redisCluster ?? false });
  const { histories: historiesStore, scores: scoresStore } = redisStateStores(redis);
  const ch = await ClickHouseConnection.connect({ url: clickhouseUrl });
  try {
    const histories = normalizedHistories(await readStore(historiesStore));
    const scores = normalizedScores(await readStore(scoresStore));
    let ledgers = 0;
    await redis.ping(); // a Cluster client knows its masters once it has the slot map
    for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', 'clv:ledgers:*', 'COUNT', 2000);
        ledgers += keys.length;
        cursor = next;
      } while (cursor !== '0');
    }
    const n = (v: unknown) => Number(v);
    const features = new Map((await ch.select<Record<string, string>>(sql`SELECT customer_id, purchase_days, repeat_purchase_days, repeat_value_minor, total_value_minor FROM ${ident(database, 'customer_features_latest')}`))
      .map((r) => [r.customer_id, { purchase_days: n(r.purchase_days), repeat_purchase_days: n(r.repeat_purchase_days), repeat_value_minor: n(r.repeat_value_minor), total_value_minor: n(r.total_value_minor) }]));
    const scoreViews = new Map((await ch.select<Record<string, string>>(sql`SELECT customer_id, model_version, clv_minor, p_alive, segment, action FROM ${ident(database, 'clv_scores_latest')}`))
      .map((r) => [r.customer_id, { model_version: r.model_version, clv_minor: n(r.clv_minor), p_alive: n(r.p_alive), segment: r.segment, action: r.action }]));
    const purchases = new Map((await ch.select<Record<string, string>>(sql`SELECT customer_id, order_id, status, net_amount_minor FROM ${ident(database, 'purchases_latest')} WHERE status = 'ACTIVE'`))
      .map((r) => [`${r.customer_id}/${r.order_id}`, { status: r.status, net_amount_minor: n(r.net_amount_minor) }]));
    const raw = async (table: 'orders' | 'payments') => {
      const [r] = await ch.select<{ rows: string; events: string }>(sql`SELECT count() AS rows, uniqExact(event_id) AS events FROM ${ident(database, table)}`);
      return { rows: n(r.rows), events: n(r.events) };
    };
    return { histories, scores, ledgers, features, scoreViews, purchases, raw: { orders: await raw('orders'), payments: await raw('payments') } };
  } finally {
    redis.disconnect();
    await ch.close();
  }
}

/** What a run got wrong against the expected snapshot, per place. */
export interface Tally {
  /** Customers in the expected snapshot. */
  customers: number;
  /** Customers (or orders, events) missing, or with fewer purchase days or less value than expected. */
  lost: number;
  /** Customers with more purchase days or value than expected, or unexpected customers/orders/events. */
  doubled: number;
  /** Present with the same totals but a different state or row (a score, a revision, an event id). */
  different: number;
  /** A few examples of each, for the failure message. */
  examples: string[];
}

/**
 * Compares a run against the expected (fault-free) snapshot: Redis histories and score
 * states, the ledger count, ClickHouse's views and the raw tables' distinct events. Raw
 * duplicate rows (redeliveries) are not errors: the views must hide them.
 */
export function compareSnapshots(expected: Snapshot, actual: Snapshot): Tally {
  const t: Tally = { customers: expected.histories.size, lost: 0, doubled: 0, different: 0, examples: [] };
  const note = (kind: 'lost' | 'doubled' | 'different', what: string) => {
    t[kind]++;
    if (t.examples.length < 12) t.examples.push(`${kind}: ${what}`);
  };
  const totals = (h: CustomerPurchaseHistory | undefined) => {
    const s = h ? summarizeHistory(h) : null;
    return { days: s?.purchaseDays ?? 0, value: s?.totalValueMinor ?? 0, orders: h?.orders.length ?? 0 };
  };
  const json = (v: unknown) => JSON.stringify(v);

  // Redis: purchase histories (the features) by their totals first, then whole.
  for (const id of new Set([...expected.histories.keys(), ...actual.histories.keys()])) {
    const e = expected.histories.get(id);
    const a = actual.histories.get(id);
    const te = totals(e);
    const ta = totals(a);
    if (a === undefined) note('lost', `Redis history of ${id} missing`);
    else if (e === undefined) note('doubled', `Redis history of ${id} not expected`);
    else if (ta.days < te.days || ta.value < te.value || ta.orders < te.orders) note('lost', `Redis history of ${id}: ${json(ta)}, expected ${json(te)}`);
    else if (ta.days > te.days || ta.value > te.value || ta.orders > te.orders) note('doubled', `Redis history of ${id}: ${json(ta)}, expected ${json(te)}`);
    else if (json(a) !== json(e)) note('different', `Redis history of ${id}: ${json(a)}, expected ${json(e)}`);
  }
  // Redis: score states, whole.
  for (const id of new Set([...expected.scores.keys(), ...actual.scores.keys()])) {
    const e = expected.scores.get(id);
    const a = actual.scores.get(id);
    if (a === undefined) note('lost', `Redis score state of ${id} missing`);
    else if (e === undefined) note('doubled', `Redis score state of ${id} not expected`);
    else if (json(a) !== json(e)) note('different', `Redis score state of ${id}: ${json(a)}, expected ${json(e)}`);
  }
  if (actual.ledgers < expected.ledgers) note('lost', `${expected.ledgers - actual.ledgers} of ${expected.ledgers} order ledgers missing in Redis`);
  if (actual.ledgers > expected.ledgers) note('doubled', `${actual.ledgers} order ledgers in Redis, expected ${expected.ledgers}`);

  // ClickHouse views.
  for (const id of new Set([...expected.features.keys(), ...actual.features.keys()])) {
    const e = expected.features.get(id);
    const a = actual.features.get(id);
    if (a === undefined) note('lost', `customer_features_latest: ${id} missing`);
    else if (e === undefined) note('doubled', `customer_features_latest: ${id} not expected`);
    else if (a.purchase_days < e.purchase_days || a.total_value_minor < e.total_value_minor) note('lost', `customer_features_latest of ${id}: ${json(a)}, expected ${json(e)}`);
    else if (a.purchase_days > e.purchase_days || a.total_value_minor > e.total_value_minor) note('doubled', `customer_features_latest of ${id}: ${json(a)}, expected ${json(e)}`);
    else if (json(a) !== json(e)) note('different', `customer_features_latest of ${id}: ${json(a)}, expected ${json(e)}`);
  }
  for (const id of new Set([...expected.scoreViews.keys(), ...actual.scoreViews.keys()])) {
    const e = expected.scoreViews.get(id);
    const a = actual.scoreViews.get(id);
    if (a === undefined) note('lost', `clv_scores_latest: ${id} missing`);
    else if (e === undefined) note('doubled', `clv_scores_latest: ${id} not expected`);
    else if (json(a) !== json(e)) note('different', `clv_scores_latest of ${id}: ${json(a)}, expected ${json(e)}`);
  }
  for (const k of new Set([...expected.purchases.keys(), ...actual.purchases.keys()])) {
    const e = expected.purchases.get(k);
    const a = actual.purchases.get(k);
    if (a === undefined) note('lost', `purchases_latest: order ${k} missing`);
    else if (e === undefined) note('doubled', `purchases_latest: order ${k} not expected`);
    else if (json(a) !== json(e)) note('different', `purchases_latest of ${k}: ${json(a)}, expected ${json(e)}`);
  }
  for (const table of ['orders', 'payments'] as const) {
    const e = expected.raw[table].events;
    const a = actual.raw[table].events;
    if (a < e) note('lost', `${table}: ${e - a} of ${e} events missing`);
    if (a > e) note('doubled', `${table}: ${a} distinct events, expected ${e}`);
  }
  return t;
}
