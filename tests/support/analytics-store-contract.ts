/**
 * The AnalyticsStore port's contract, as one suite that every adapter runs: in-memory in
 * the unit tests, ClickHouse 18.16 in the integration suite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { PaymentEvent } from '../../core/events.js';
import type { AnalyticsRows, AnalyticsStore, AnalyticsTable, ModelRunRow, OrderRow, PurchaseRow } from '../../core/ports/analytics-store.js';

export interface AnalyticsStoreHarness {
  store: AnalyticsStore;
  /** Every stored row of a table, deduplicated as readers see it, any order. */
  readAll<T extends AnalyticsTable>(table: T): Promise<AnalyticsRows[T][]>;
  close(): Promise<void>;
}

/** Event times carry milliseconds; other times are whole seconds (stored to the second). */
const T0 = Date.UTC(1997, 0, 1, 12, 0, 0, 123);
const SEC = Date.UTC(1997, 0, 1, 12, 0, 0);
const DAY = 86_400_000;

/** Strings that break naive quoting, or encodings. */
export const nastyStrings = [
  "O'Brien", "'; DROP TABLE orders; --", 'back\\slash', 'trailing\\', "\\'", 'nul\u0000byte', 'line\nfeed\r\ttab',
  'café ☕ 𝄞 客户', '', ' ', '{p0:String}', '`ident`', '"double"', '\u2028\u2029',
];

export function sampleRows(id = 'e1', customer = 'C1'): { [T in AnalyticsTable]: AnalyticsRows[T] } {
  return {
    orders: { event_id: id, event_time: T0, type: 'ORDER_PLACED', customer_id: customer, order_id: 'O1', amount_minor: 12_345, currency: 'USD', line_item_count: 2 },
    order_line_items: { event_id: id, event_time: T0, customer_id: customer, order_id: 'O1', line_no: 1, sku: 'sku-1', category: 'music', quantity: 3, unit_price_minor: 999 },
    payments: { event_id: id, event_time: T0, type: 'PAYMENT_CAPTURED', customer_id: customer, order_id: 'O1', payment_id: 'P1', amount_minor: 12_345, currency: 'USD' },
    purchases: { event_id: id, event_time: T0, customer_id: customer, order_id: 'O1', revision: 1, status: 'ACTIVE', net_amount_minor: 12_345, currency: 'USD', categories: ['music', 'books'] },
    customer_features: {
      event_id: id, event_time: T0, customer_id: customer, first_purchase_time: SEC - 30 * DAY, last_purchase_time: SEC, purchase_days: 3,
      repeat_purchase_days: 2, repeat_value_minor: 5_000, total_value_minor: 9_007_199_254_740_991, currency: 'USD',
    },
    clv_scores: {
      event_id: id, event_time: T0, customer_id: customer, model_version: 'v1', model_kind: 'bgnbd-gamma-gamma', clv_minor: -1, p_alive: 0.123456789012345,
      expected_purchases: 1e-9, expected_avg_value_minor: 2_500, horizon_days: 365, segment: 'high', action: 'upsell', currency: 'USD',
      recommended_categories: ['books', 'music'], recommendation_reason: 'Favourite category books: next tier', recommended_min_unit_price_minor: 1_500,
      clv_lower_minor: 0, clv_upper_minor: 9_007_199_254_740_991, clv_interval_level: 0.8, sequence: 1,
    },
    segment_changes: { event_id: id, event_time: T0, customer_id: customer, previous_segment: null, segment: 'new', clv_minor: 100, action: 'nurture', reason: 'first purchase', model_version: 'v1',
      recommended_categories: [], recommendation_reason: 'First purchase is recent', recommended_min_unit_price_minor: 0 },
    dead_letters: {
      event_id: id, event_time: T0, source_topic: 'commerce.orders.v1', source_partition: 3, source_offset: '18446744073709551615', key: null,
      payload_hex: Buffer.from([0, 1, 2, 255]).toString('hex'), payload_json: null, error_code: 'CLV_UNDECODABLE', reason: 'bad bytes',
    },
    model_runs: modelRun(id, 'challenger', SEC),
    commerce_anomalies: {
      event_id: id, event_time: T0, day: '1997-01-01', metric: 'order_value', direction: 'DROP', value: 0, baseline: 123_456.5, lower: 61_000.25, upper: 250_000.125,
      score: -12.5, history_weeks: 8, currency: 'USD', detector: 'same-weekday log median ± 5·MAD, 8 weeks',
    },
    erasures: { event_id: id, event_time: T0, customer_id: customer, requested_by: 'cli:ops', state_keys_deleted: 3, tombstoned_topics: ['clv.features.v1', 'clv.scores.v1'], analytics_tables: ['orders'] },
  };
}

function modelRun(version: string, status: ModelRunRow['status'], updatedAt: number, trainedAt = SEC): ModelRunRow {
  return {
    version, kind: 'bgnbd-gamma-gamma', trained_at: trainedAt, calibration_start: SEC - 365 * DAY, calibration_end: SEC - 90 * DAY, holdout_end: SEC,
    params_json: '{"r":0.243,"alpha":4.414}', metrics_json: '{"mape":0.12}', status, updated_at: updatedAt,
  };
}

function purchase(order: string, revision: number, at: number, status: PurchaseRow['status'] = 'ACTIVE', net = 1000, customer = 'C1'): PurchaseRow {
  return { event_id: `${order}:${revision}`, event_time: at, customer_id: customer, order_id: order, revision, status, net_amount_minor: net, currency: 'USD', categories: [] };
}

const tables = Object.keys(sampleRows()) as AnalyticsTable[];
const byId = (a: object, b: object) => JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;

export function analyticsStoreContract(adapter: string, open: () => Promise<AnalyticsStoreHarness>): void {
  const withStore = (name: string, body: (h: AnalyticsStoreHarness) => Promise<void>) =>
    test(`${adapter}: ${name}`, async () => {
      const h = await open();
      try {
        await body(h);
      } finally {
        await h.close();
      }
    });

  withStore('every table round-trips a row exactly', async (h) => {
    const rows = sampleRows();
    for (const table of tables) await h.store.insert(table, [rows[table]] as never[]);
    for (const table of tables) assert.deepEqual(await h.readAll(table), [rows[table]], table);
  });

  withStore('writing the same rows again (a redelivery) stores each once', async (h) => {
    for (const table of tables) {
      const first = ['a', 'b', 'c'].map((id) => sampleRows(id)[table]);
      await h.store.insert(table, first as never[]);
      await h.store.insert(table, [...first, sampleRows('d')[table]] as never[]);
      assert.equal((await h.readAll(table)).length, 4, table);
    }
  });

  withStore("forgetCustomer deletes the customer's rows from every table (dead letters by key), keeps others' and the audit trail, and may run again", async (h) => {
    const forgotten = "C1 'x";
    const rowsOf = (id: string, customer: string) => ({ ...sampleRows(id, customer), dead_letters: { ...sampleRows(id, customer).dead_letters, key: customer } });
    for (const table of tables) await h.store.insert(table, [rowsOf(`${table}-a`, forgotten)[table], rowsOf(`${table}-b`, 'C2')[table]] as never[]);
    const erased = await h.store.forgetCustomer(forgotten);
    assert.deepEqual([...erased].sort(), ['clv_scores', 'customer_features', 'dead_letters', 'order_line_items', 'orders', 'payments', 'purchases', 'segment_changes']);
    for (const table of tables) {
      const left = await h.readAll(table);
      // Model runs and commerce anomalies name no customer; the audit trail is kept on purpose.
      const kept = table === 'model_runs' || table === 'commerce_anomalies' || table === 'erasures' ? 2 : 1;
      assert.equal(left.length, kept, `${table}: ${JSON.stringify(left).slice(0, 200)}`);
      if (kept === 1) assert.equal((left[0] as { customer_id?: string; key?: string }).customer_id ?? (left[0] as { key?: string }).key, 'C2', table);
    }
    assert.deepEqual(await h.store.forgetCustomer(forgotten), erased, 'again: nothing left, no error');
  });

  withStore('purchasesAsOf returns the highest revision of each order placed by then', async (h) => {
    const asOf = T0 + 10 * DAY;
    await h.store.insert('purchases', [
      purchase('O2', 3, T0 + DAY, 'VOIDED', 0), purchase('O2', 1, T0 + DAY), purchase('O2', 2, T0 + DAY, 'ACTIVE', 400),
      purchase('O1', 1, T0), purchase('O3', 1, asOf, 'ACTIVE', 700, 'C0'), purchase('O4', 1, asOf + 1),
    ]);
    assert.deepEqual(await h.store.purchasesAsOf(asOf), [purchase('O3', 1, asOf, 'ACTIVE', 700, 'C0'), purchase('O1', 1, T0), purchase('O2', 3, T0 + DAY, 'VOIDED', 0)]);
    assert.deepEqual(await h.store.purchasesAsOf(T0 - 1), []);
  });

  withStore('modelRuns keeps the latest status of each version, by training time', async (h) => {
    await h.store.insert('model_runs', [modelRun('v2', 'challenger', SEC + 5000, SEC + 1000), modelRun('v1', 'champion', SEC)]);
    await h.store.insert('model_runs', [modelRun('v2', 'champion', SEC + 9000, SEC + 1000), modelRun('v1', 'retired', SEC + 9000)]);
    // A stale write (older updated_at) arriving late does not win.
    await h.store.insert('model_runs', [modelRun('v2', 'challenger', SEC + 5000, SEC + 1000)]);
    const runs = await h.store.modelRuns();
    assert.deepEqual(runs.map((r) => [r.version, r.status]), [['v1', 'retired'], ['v2', 'champion']]);
  });

  withStore('segmentRevenueByHour sums the orders of the customers in the segment as of a time, per hour', async (h) => {
    const HOUR = 3_600_000;
    const hourOf = (t: number) => Math.floor(t / HOUR);
    const asOf = T0 + 5 * DAY;
    const score = (id: string, customer: string, at: number, segment: string) => ({ ...sampleRows(id, customer).clv_scores, event_time: at, segment });
    await h.store.insert('clv_scores', [
      score('s1', 'C1', T0, 'high_value'), score('s2', 'C1', asOf + 1, 'lost'),
      // A tie on time goes to the greater event_id, as in clv_scores_latest.
      score('s3b', 'C2', T0, 'at_risk'), score('s3a', 'C2', T0, 'lost'),
      score('s4', 'C3', asOf + DAY, 'high_value'),
    ]);
    await h.store.insert('purchases', [
      purchase('O1', 1, T0, 'ACTIVE', 1000, 'C1'), purchase('O2', 1, T0 + 2 * HOUR, 'ACTIVE', 300, 'C1'), purchase('O2', 2, T0 + 2 * HOUR, 'ACTIVE', 250, 'C1'),
      purchase('O3', 1, T0 + 2 * HOUR, 'ACTIVE', 500, 'C1'), purchase('O3', 2, T0 + 2 * HOUR, 'VOIDED', 0, 'C1'),
      purchase('O4', 1, asOf + 2 * DAY, 'ACTIVE', 400, 'C1'), purchase('O5', 1, T0, 'ACTIVE', 700, 'C2'),
      purchase('O6', 1, T0 + DAY, 'ACTIVE', 50, 'C3'), purchase('O7', 1, T0 + 20 * DAY, 'ACTIVE', 900, 'C2'),
    ]);
    const of = async (segment: string, membershipAsOfMs: number | null, toMs = T0 + 10 * DAY) => {
      const r = await h.store.segmentRevenueByHour({ segment, membershipAsOfMs, fromMs: T0 - 1, toMs });
      return { hours: [...r.hours].sort((a, b) => a[0] - b[0]), latest: r.latestOrderHourMs };
    };
    const latest = hourOf(T0 + 20 * DAY) * HOUR;
    // C1's order after the as-of (and after their move to lost) still counts to high_value.
    assert.deepEqual(await of('high_value', asOf), { hours: [[hourOf(T0), 1000], [hourOf(T0) + 2, 250], [hourOf(asOf + 2 * DAY), 400]], latest });
    assert.deepEqual(await of('at_risk', asOf), { hours: [[hourOf(T0), 700]], latest });
    assert.deepEqual(await of('lost', asOf), { hours: [], latest }, 'C1 was not lost yet; C3 not scored');
    assert.deepEqual(await of('lost', null), { hours: [[hourOf(T0), 1000], [hourOf(T0) + 2, 250], [hourOf(asOf + 2 * DAY), 400]], latest }, 'null: latest scores');
    assert.deepEqual(await of('high_value', null), { hours: [[hourOf(T0 + DAY), 50]], latest });
    assert.deepEqual((await of('at_risk', asOf, T0)).hours, [], 'orders at or after toMs are left out');
    assert.deepEqual(await of('new', T0 - 1), { hours: [], latest });
  });

  withStore('settlementCandidates: every capture and refund of the orders with one in the period or under a reference, and their order events', async (h) => {
    const pay = (id: string, order: string, type: PaymentEvent['type'], at: number, amount = 1000, ref = `${order}-pay`): PaymentEvent =>
      ({ event_id: id, event_time: at, type, customer_id: 'C1', order_id: order, payment_id: ref, amount_minor: amount, currency: 'USD' });
    const order = (id: string, orderId: string, type: string, at: number, amount = 1000): OrderRow =>
      ({ event_id: id, event_time: at, type, customer_id: 'C1', order_id: orderId, amount_minor: amount, currency: 'USD', line_item_count: 1 });
    const from = T0;
    const to = T0 + 7 * DAY;
    const payments = [
      // O1: captured in the period, refunded after it, a failed attempt before: capture and refund.
      pay('p1f', 'O1', 'PAYMENT_FAILED', from - DAY, 1000, 'O1-try'), pay('p1c', 'O1', 'PAYMENT_CAPTURED', from + DAY), pay('p1r', 'O1', 'PAYMENT_REFUNDED', to + DAY, 400),
      // O2: captured before the period, under a reference asked for; a second capture (paid twice) under another.
      pay('p2c', 'O2', 'PAYMENT_CAPTURED', from - 30 * DAY), pay('p2d', 'O2', 'PAYMENT_CAPTURED', from - 29 * DAY, 1000, 'O2-again'),
      // O3: before the period, not asked for; O4: at the period's end, excluded ([from, to)).
      pay('p3c', 'O3', 'PAYMENT_CAPTURED', from - 1), pay('p4c', 'O4', 'PAYMENT_CAPTURED', to),
      // O5: only a refund in the period (its capture long before): both.
      pay('p5c', 'O5', 'PAYMENT_CAPTURED', from - 60 * DAY), pay('p5r', 'O5', 'PAYMENT_REFUNDED', to - 1, 300),
      // O6: only a failure in the period: failures never settle.
      pay('p6f', 'O6', 'PAYMENT_FAILED', from + DAY),
    ];
    await h.store.insert('payments', payments);
    await h.store.insert('payments', [payments[1]]); // redelivered
    const orders = [order('o1', 'O1', 'ORDER_PLACED', from), order('o1x', 'O1', 'ORDER_CANCELLED', from + 2 * DAY), order('o2', 'O2', 'ORDER_PLACED', from - 30 * DAY),
      order('o3', 'O3', 'ORDER_PLACED', from - 1), order('o7', 'O7', 'ORDER_PLACED', from + DAY)];
    await h.store.insert('orders', orders);
    // More references than one lookup takes, the one that matters last; and one nobody has.
    const references = [...Array.from({ length: 12_000 }, (_, i) => `unknown-reference-${i}`), 'O2-pay'];
    const got = await h.store.settlementCandidates({ fromMs: from, toMs: to, references });
    const byId = new Map(payments.map((p) => [p.event_id, p]));
    assert.deepEqual(got.payments, ['p1c', 'p1r', 'p2c', 'p2d', 'p5c', 'p5r'].map((id) => byId.get(id)));
    assert.deepEqual(got.orders, [orders[0], orders[1], orders[2]]);
    const none = await h.store.settlementCandidates({ fromMs: to + 10 * DAY, toMs: to + 20 * DAY, references: [] });
    assert.deepEqual(none, { payments: [], orders: [] });
  });

  withStore('commerceVolumes: orders placed and payments captured per quarter hour, each once, what the pipeline rejects left out; how far each table reaches', async (h) => {
    const Q = 900_000;
    const q0 = Math.floor(T0 / Q) * Q;
    const order = (id: string, at: number, amount: number, over: Partial<OrderRow> = {}): OrderRow =>
      ({ event_id: id, event_time: at, type: 'ORDER_PLACED', customer_id: 'C1', order_id: id, amount_minor: amount, currency: 'USD', line_item_count: 1, ...over });
    const pay = (id: string, at: number, amount: number, over: Partial<PaymentEvent> = {}): PaymentEvent =>
      ({ event_id: id, event_time: at, type: 'PAYMENT_CAPTURED', customer_id: 'C1', order_id: id, payment_id: id, amount_minor: amount, currency: 'USD', ...over });
    const orders = [
      order('o1', q0, 100), order('o2', q0 + Q - 1, 250), order('o3', q0 + Q, 50),
      order('o4', q0 + 2 * Q, 70, { type: 'ORDER_CANCELLED' }), order('o5', q0, 999, { currency: 'EUR' }), order('o6', q0, -5), order('o7', q0, 1, { customer_id: '' }),
      order('o8', q0 - 1, 11), order('o9', q0 + 10 * Q, 1_000_000),
    ];
    await h.store.insert('orders', orders);
    await h.store.insert('orders', orders.slice(0, 2)); // redelivered
    await h.store.insert('payments', [pay('p1', q0 + 5, 100), pay('p2', q0 + 6, 100, { type: 'PAYMENT_FAILED' }), pay('p3', q0 + 2 * Q + 1, 300), pay('p4', q0 + 3 * Q, 40, { type: 'PAYMENT_REFUNDED' })]);
    const got = await h.store.commerceVolumes({ fromMs: q0, toMs: q0 + 10 * Q, currency: 'USD' });
    assert.deepEqual(got.quarterHours, [
      { startMs: q0, orders: 2, orderValueMinor: 350, payments: 1, paymentValueMinor: 100 },
      { startMs: q0 + Q, orders: 1, orderValueMinor: 50, payments: 0, paymentValueMinor: 0 },
      { startMs: q0 + 2 * Q, orders: 0, orderValueMinor: 0, payments: 1, paymentValueMinor: 300 },
    ]);
    // The cancellation and the refund count for how far the tables reach; o9 is at toMs, past it.
    assert.equal(got.latestOrderMs, q0 + 2 * Q);
    assert.equal(got.latestPaymentMs, q0 + 3 * Q);
    assert.deepEqual(await h.store.commerceVolumes({ fromMs: 0, toMs: 1, currency: 'USD' }), { quarterHours: [], latestOrderMs: null, latestPaymentMs: null });
  });

  withStore('segmentFlows counts each customer by their segment as of from and as of to, with the biggest movers as examples', async (h) => {
    const fromMs = T0 + 5 * DAY;
    const toMs = T0 + 12 * DAY;
    const change = (id: string, customer: string, at: number, previous: string | null, segment: string, clv: number) =>
      ({ ...sampleRows(id, customer).segment_changes, event_time: at, previous_segment: previous, segment, clv_minor: clv });
    const changes = [
      change('c1a', 'C1', T0, null, 'new', 100), change('c1b', 'C1', T0 + 7 * DAY, 'new', 'high_value', 5000),
      change('c2a', 'C2', T0, null, 'high_value', 3000), change('c2b', 'C2', T0 + 8 * DAY, 'high_value', 'at_risk', 1200),
      change('c3a', 'C3', T0, null, 'high_value', 4000), change('c3b', 'C3', T0 + 9 * DAY, 'high_value', 'at_risk', 2500),
      change('c9a', 'C9', T0, null, 'high_value', 4000), change('c9b', 'C9', T0 + 9 * DAY, 'high_value', 'at_risk', 2500),
      // Away and back within the window: a stay.
      change('c4a', 'C4', T0, null, 'high_value', 9000), change('c4b', 'C4', T0 + 6 * DAY, 'high_value', 'at_risk', 800), change('c4c', 'C4', T0 + 10 * DAY, 'at_risk', 'high_value', 7000),
      change('c5a', 'C5', T0 + 6 * DAY, null, 'new', 150),
      change('c6a', 'C6', T0 + 20 * DAY, null, 'lost', 10),
      change('c7a', 'C7', T0 + DAY, null, 'lost', 50),
      // A tie on time goes to the greater event_id, as in clv_scores_latest.
      change('c8b', 'C8', T0 + 2 * DAY, null, 'lost', 40), change('c8a', 'C8', T0 + 2 * DAY, null, 'at_risk', 40),
      // A change at fromMs itself is "by fromMs".
      change('c11', 'C11', fromMs, null, 'medium_value', 700),
    ];
    assert.deepEqual(await h.store.segmentFlows({ fromMs, toMs, examplesPerFlow: 2 }), { flows: [], latestChangeMs: null }, 'empty');
    await h.store.insert('segment_changes', changes);
    await h.store.insert('segment_changes', changes.slice(2, 4)); // a redelivery
    const flows = async (examplesPerFlow: number) => {
      const r = await h.store.segmentFlows({ fromMs, toMs, examplesPerFlow });
      return { latest: r.latestChangeMs, flows: r.flows.sort((a, b) => `${a.fromSegment}>${a.toSegment}`.localeCompare(`${b.fromSegment}>${b.toSegment}`)) };
    };
    const ex = (customerId: string, clvMinor: number) => ({ customerId, clvMinor });
    assert.deepEqual(await flows(2), {
      latest: T0 + 20 * DAY,
      flows: [
        { fromSegment: 'high_value', toSegment: 'at_risk', customers: 3, examples: [ex('C3', 2500), ex('C9', 2500)] },
        { fromSegment: 'high_value', toSegment: 'high_value', customers: 1, examples: [] },
        { fromSegment: 'lost', toSegment: 'lost', customers: 2, examples: [] },
        { fromSegment: 'medium_value', toSegment: 'medium_value', customers: 1, examples: [] },
        { fromSegment: 'new', toSegment: 'high_value', customers: 1, examples: [ex('C1', 5000)] },
        { fromSegment: null, toSegment: 'new', customers: 1, examples: [ex('C5', 150)] },
      ],
    });
    const none = await flows(0);
    assert.ok(none.flows.every((f) => f.examples.length === 0));
    assert.equal((await flows(10)).flows[0].examples.length, 3);
    // Before anyone moved: everyone scored by then stays where they were.
    const early = await h.store.segmentFlows({ fromMs: T0 + 2 * DAY, toMs: T0 + 3 * DAY, examplesPerFlow: 1 });
    assert.equal(early.flows.reduce((n, f) => n + f.customers, 0), 7, 'C1, C2, C3, C4, C7, C8, C9');
    assert.ok(early.flows.every((f) => f.fromSegment === f.toSegment), JSON.stringify(early.flows));
    // C5's score withdrawn by toMs (every order voided; a greater sequence, an earlier as-of): no
    // segment at toMs, whatever its last change said. C1's withdrawal after toMs changes nothing.
    const score = (id: string, customer: string, at: number, segment: string, sequence: number) =>
      ({ ...sampleRows(id, customer).clv_scores, event_time: at, segment, sequence });
    await h.store.insert('clv_scores', [
      score('s5a', 'C5', T0 + 6 * DAY, 'new', 1), score('s5b', 'C5', T0 + 5 * DAY, '', 2),
      score('s1a', 'C1', T0 + 7 * DAY, 'high_value', 1), score('s1b', 'C1', T0 + 13 * DAY, '', 2),
    ]);
    const after = await flows(2);
    assert.deepEqual(after.flows.filter((f) => f.fromSegment === null), [], 'C5 withdrawn');
    assert.deepEqual(after.flows.find((f) => f.fromSegment === 'new'), { fromSegment: 'new', toSegment: 'high_value', customers: 1, examples: [ex('C1', 5000)] });
  });

  withStore('one bad row rejects the whole insert and writes nothing', async (h) => {
    const good = sampleRows('ok').clv_scores;
    const bad: Array<[string, object]> = [
      ['NaN', { p_alive: NaN }], ['Infinity', { expected_purchases: Infinity }], ['fractional money', { clv_minor: 1.5 }],
      ['unsafe integer', { clv_minor: 2 ** 53 }], ['time before 1970', { event_time: -1 }], ['missing column', { segment: undefined }],
      ['lone surrogate', { segment: 'x\uD800' }], ['unknown column', { extra: 1 }], ['number as string', { horizon_days: '365' }],
    ];
    for (const [what, change] of bad) {
      await assert.rejects(h.store.insert('clv_scores', [good, { ...good, event_id: 'bad', ...change } as never]),
        (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INVALID_EVENT && !e.retriable, what);
    }
    assert.deepEqual(await h.readAll('clv_scores'), []);
  });

  withStore('strings keep quotes, backslashes, NUL, newlines and unicode', async (h) => {
    const rows = nastyStrings.map((s, i) => ({ ...sampleRows(`n${i}`).dead_letters, reason: s, key: s, payload_json: s }));
    await h.store.insert('dead_letters', rows);
    const purchases = nastyStrings.map((s, i) => ({ ...purchase(`O${i}`, 1, T0), customer_id: s, categories: [s, s + s] }));
    await h.store.insert('purchases', purchases);
    assert.deepEqual((await h.readAll('dead_letters')).sort(byId), rows.sort(byId));
    assert.deepEqual((await h.readAll('purchases')).sort(byId), purchases.sort(byId));
  });

  withStore('an empty insert is a no-op', async (h) => {
    await h.store.insert('orders', []);
    assert.deepEqual(await h.readAll('orders'), []);
    assert.deepEqual(await h.store.modelRuns(), []);
  });
}
