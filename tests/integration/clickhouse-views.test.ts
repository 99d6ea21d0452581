import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ident, sql } from '../../adapters/clickhouse/sql.js';
import { latestFeaturesRows, latestScoreRows } from '../../core/analyst-latest.js';
import type { ClvScoreEvent } from '../../core/events.js';
import type { CustomerFeaturesRow, PurchaseRow } from '../../core/ports/analytics-store.js';
import { openTestDatabase, type TestDatabase } from './clickhouse-test-database.js';

const at = (month: number, day: number) => Date.UTC(1997, month - 1, day, 12);

function purchase(customer: string, order: string, revision: number, time: number, status: PurchaseRow['status'], net: number): PurchaseRow {
  return { event_id: `${order}:${revision}`, event_time: time, customer_id: customer, order_id: order, revision, status, net_amount_minor: net, currency: 'USD', categories: [] };
}

function features(customer: string, id: string, asOf: number, last: number, days: number, total: number): CustomerFeaturesRow {
  return {
    event_id: id, event_time: asOf, customer_id: customer, first_purchase_time: at(1, 10), last_purchase_time: last, purchase_days: days,
    repeat_purchase_days: days - 1, repeat_value_minor: 0, total_value_minor: total, currency: 'USD',
  };
}

function score(customer: string, time: number, clv: number, segment: string): ClvScoreEvent {
  return {
    event_id: `${customer}@${time}`, event_time: time, customer_id: customer, model_version: 'v1', model_kind: 'bgnbd-gamma-gamma', clv_minor: clv, p_alive: 0.5,
    expected_purchases: 1, expected_avg_value_minor: 100, horizon_days: 365, segment, action: 'none', currency: 'USD',
    recommended_categories: [], recommendation_reason: '', recommended_min_unit_price_minor: 0,
    clv_lower_minor: null, clv_upper_minor: null, clv_interval_level: null, sequence: 0,
  };
}

/** Three customers; a partial refund, a voided order, an outdated features snapshot and score. */
const purchases = [
  purchase('A', 'O1', 1, at(1, 10), 'ACTIVE', 10_000), purchase('A', 'O1', 2, at(1, 10), 'ACTIVE', 7_000),
  purchase('A', 'O2', 1, at(2, 15), 'ACTIVE', 5_000),
  purchase('A', 'O3', 1, at(3, 1), 'ACTIVE', 2_000), purchase('A', 'O3', 2, at(3, 1), 'VOIDED', 0),
  purchase('B', 'O4', 1, at(1, 10), 'ACTIVE', 4_000), purchase('B', 'O5', 1, at(3, 20), 'ACTIVE', 6_000),
  purchase('C', 'O6', 1, at(2, 15), 'ACTIVE', 1_234),
];
const snapshots = [
  features('A', 'A@1', at(2, 15), at(1, 10), 1, 7_000), features('A', 'A@2', at(3, 1), at(2, 15), 2, 12_000),
  features('B', 'B@1', at(3, 20), at(3, 20), 2, 10_000), features('C', 'C@1', at(2, 15), at(2, 15), 1, 1_234),
];
const scores = [
  score('A', at(2, 15), 900, 'low'),
  { ...score('A', at(3, 1), 2_500, 'high'), clv_lower_minor: 0, clv_upper_minor: 6_100, clv_interval_level: 0.8, recommended_categories: ['books', 'music'], recommendation_reason: 'bought together' },
  score('B', at(3, 20), 1_000, 'medium'),
];

async function view(db: TestDatabase, name: string, order: string): Promise<Array<Record<string, unknown>>> {
  const rows = await db.store.connection.select<Record<string, unknown>>(sql`SELECT * FROM ${ident(db.database, name)} ORDER BY ${ident(order)}`);
  // 64-bit integers arrive as strings; compare numbers.
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v])));
}

async function readViews(db: TestDatabase) {
  return {
    daily: await view(db, 'daily_revenue', 'day'),
    cohorts: await view(db, 'cohort_retention', 'cohort_month'),
    rfm: await view(db, 'rfm_distribution', 'recency_bucket_days'),
    latestScores: (await view(db, 'clv_scores_latest', 'customer_id')).map((s) => [s.customer_id, s.clv_minor, s.segment]),
    latestDetails: (await view(db, 'clv_scores_latest', 'customer_id')).map((s) => [s.customer_id, s.clv_lower_minor, s.clv_upper_minor, s.clv_interval_level, s.recommended_categories, s.recommendation_reason]),
    latestOrders: (await view(db, 'purchases_latest', 'order_id')).map((p) => [p.order_id, p.revision, p.status, p.net_amount_minor]),
  };
}

test('clickhouse views: known numbers on a small dataset, unchanged when every row is written again', async () => {
  const db = await openTestDatabase('clv_views');
  try {
    const writeAll = async () => {
      await db.store.insert('purchases', purchases);
      await db.store.insert('customer_features', snapshots);
      await db.store.insert('clv_scores', scores);
    };
    await writeAll();
    const first = await readViews(db);
    assert.deepEqual(first.daily, [
      { day: '1997-01-10', currency: 'USD', orders: 2, customers: 2, revenue_minor: 11_000 },
      { day: '1997-02-15', currency: 'USD', orders: 2, customers: 2, revenue_minor: 6_234 },
      { day: '1997-03-20', currency: 'USD', orders: 1, customers: 1, revenue_minor: 6_000 },
    ]);
    assert.deepEqual(first.cohorts.map((c) => [c.cohort_month, c.months_since, c.active_customers, c.cohort_customers, c.retention]).sort(), [
      ['1997-01-01', 0, 2, 2, 1], ['1997-01-01', 1, 1, 2, 0.5], ['1997-01-01', 2, 1, 2, 0.5], ['1997-02-01', 0, 1, 1, 1],
    ]);
    assert.deepEqual(first.rfm.map((r) => [r.recency_bucket_days, r.frequency_bucket, r.monetary_decade, r.customers, r.value_minor]).sort(), [
      [0, 1, 3, 1, 10_000], [31, 0, 3, 1, 1_234], [31, 1, 3, 1, 12_000],
    ]);
    assert.deepEqual(first.latestScores, [['A', 2_500, 'high'], ['B', 1_000, 'medium']]);
    // The newest score's interval and recommendation; none on a point-estimate score.
    assert.deepEqual(first.latestDetails, [['A', 0, 6_100, 0.8, ['books', 'music'], 'bought together'], ['B', null, null, null, [], '']]);
    assert.deepEqual(first.latestOrders, [['O1', 2, 'ACTIVE', 7_000], ['O2', 1, 'ACTIVE', 5_000], ['O3', 2, 'VOIDED', 0], ['O4', 1, 'ACTIVE', 4_000], ['O5', 1, 'ACTIVE', 6_000], ['O6', 1, 'ACTIVE', 1_234]]);

    await writeAll();
    const raw = await db.store.connection.select<{ n: string }>(sql`SELECT count() AS n FROM ${ident(db.database, 'purchases')}`);
    assert.ok(Number(raw[0].n) >= purchases.length, 'duplicates may sit in unmerged parts');
    assert.deepEqual(await readViews(db), first);
  } finally {
    await db.close();
  }
});

test('expected_settlements: each capture and refund once, signed as a statement line, failures left out', async () => {
  const db = await openTestDatabase('clv_views');
  try {
    const pay = (id: string, type: string, amount: number, time: number) =>
      ({ event_id: id, event_time: time, type, customer_id: 'A', order_id: 'O1', payment_id: 'P1', amount_minor: amount, currency: 'USD' }) as const;
    const rows = [pay('e1', 'PAYMENT_FAILED', 5_000, at(1, 10)), pay('e2', 'PAYMENT_CAPTURED', 5_000, at(1, 10) + 60_000), pay('e3', 'PAYMENT_REFUNDED', 1_250, at(1, 20))] as const;
    await db.store.insert('payments', rows.map((r) => ({ ...r })) as never[]);
    await db.store.insert('payments', rows.map((r) => ({ ...r })) as never[]); // redelivered
    const settlements = (await view(db, 'expected_settlements', 'event_time_ms')).map((s) => [s.reference, s.type, s.order_id, s.day, s.amount_minor, s.settlement_minor, s.currency]);
    assert.deepEqual(settlements, [['P1', 'PAYMENT_CAPTURED', 'O1', '1997-01-10', 5_000, 5_000, 'USD'], ['P1', 'PAYMENT_REFUNDED', 'O1', '1997-01-20', 1_250, -1_250, 'USD']]);
  } finally {
    await db.close();
  }
});

test('latest features and scores by version, not as-of: a voided latest order moves them back; no active order, no row; the in-memory rule agrees', async () => {
  const db = await openTestDatabase('clv_views');
  try {
    const v = (orders: number, revisions: number) => `${String(orders).padStart(12, '0')}.${String(revisions).padStart(12, '0')}`;
    const versioned = [
      // D's latest order (3/1) voided afterwards: the newer snapshot is as of the order before.
      features('D', `D@${v(2, 2)}`, at(3, 1), at(3, 1), 2, 9_000), features('D', `D@${v(2, 3)}`, at(2, 1), at(2, 1), 1, 4_000),
      // E's only order voided: no purchase days left.
      features('E', `E@${v(1, 1)}`, at(2, 1), at(2, 1), 1, 3_000), { ...features('E', `E@${v(1, 2)}`, at(2, 1), at(2, 1), 0, 0), repeat_purchase_days: 0 },
    ];
    const scored = [
      { ...score('D', at(3, 1), 2_000, 'high'), sequence: 1 }, { ...score('D', at(2, 1), 500, 'low'), sequence: 2 },
      { ...score('E', at(2, 1), 800, 'new'), sequence: 1 },
      { ...score('E', at(2, 1), 0, ''), event_id: 'E@withdrawn', model_version: '', action: '', sequence: 2 },
    ];
    await db.store.insert('customer_features', versioned);
    await db.store.insert('clv_scores', scored);
    const inClickHouse = {
      features: (await view(db, 'customer_features_latest', 'customer_id')).map((f) => [f.customer_id, f.event_id, f.purchase_days, f.total_value_minor]),
      scores: (await view(db, 'clv_scores_latest', 'customer_id')).map((s) => [s.customer_id, s.sequence, s.clv_minor, s.segment]),
    };
    assert.deepEqual(inClickHouse, { features: [['D', `D@${v(2, 3)}`, 1, 4_000]], scores: [['D', 2, 500, 'low']] });
    const inMemory = {
      features: [...latestFeaturesRows(versioned).values()].map((f) => [f.customer_id, f.event_id, f.purchase_days, f.total_value_minor]),
      scores: [...latestScoreRows(scored).values()].map((s) => [s.customer_id, s.sequence, s.clv_minor, s.segment]),
    };
    assert.deepEqual(inMemory, inClickHouse);
  } finally {
    await db.close();
  }
});
