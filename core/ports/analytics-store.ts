/**
 * The analytics store port: append-only analyst tables (ClickHouse in production, in-memory
 * tables in embedded mode), written by the sink consumer and read back by training and
 * rebuilds, and by the API for what only the score history knows (per-segment revenue).
 * Nothing else: analysts query ClickHouse directly (see docs/analytics.md).
 *
 * Contract:
 * - `insert` is idempotent per row identity: each row is identified by its `event_id`
 *   (`(event_id, line_no)` for line items, `version` for model runs), and writing a row that
 *   is already stored changes nothing readers can see. Redelivered batches are therefore safe
 *   to write again, and a failed insert may be retried whole even if part of it landed.
 * - A model run is the one exception to "rows never change": a later row for the same
 *   `version` with a greater or equal `updated_at` replaces it (status changes).
 * - Rows are validated with `analyticsRowViolation` before anything is written; one bad row
 *   rejects the call with ClvError(INVALID_EVENT) and writes nothing. Store failures reject
 *   with ClvError(DEPENDENCY_FAILED), `retriable` when a retry may succeed.
 * - Rows are readable as soon as `insert` resolves.
 * - Times are epoch milliseconds, UTC. `event_time` is kept to the millisecond; other times
 *   (first_purchase_time, trained_at…) to the second (ClickHouse DateTime).
 */
import type { ClvScoreEvent, CommerceAnomalyEvent, CustomerErasedEvent, CustomerFeaturesEvent, EpochMs, MinorUnits, PaymentEvent, PurchaseEvent, SegmentChangedEvent } from '../events.js';

/** An order event without its line items (they have their own table). */
export interface OrderRow {
  event_id: string;
  event_time: EpochMs;
  type: string;
  customer_id: string;
  order_id: string;
  amount_minor: MinorUnits;
  currency: string;
  line_item_count: number;
}

/** One line of an order event; `line_no` counts from 0 in the event's order. */
export interface OrderLineItemRow {
  event_id: string;
  event_time: EpochMs;
  customer_id: string;
  order_id: string;
  line_no: number;
  sku: string;
  category: string;
  quantity: number;
  unit_price_minor: MinorUnits;
}

/** A dead-lettered input; the original bytes as hex (`unhex(payload_hex)` restores them, on 18.16 too). */
export interface DeadLetterRow {
  event_id: string;
  event_time: EpochMs;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  key: string | null;
  payload_hex: string;
  payload_json: string | null;
  error_code: string;
  reason: string;
}

export type ModelRunStatus = 'champion' | 'challenger' | 'retired';

/** One trained model version, auditable: data window, parameters and holdout metrics. */
export interface ModelRunRow {
  version: string;
  /** e.g. 'bgnbd-gamma-gamma', 'lstm', 'prophet'. */
  kind: string;
  trained_at: EpochMs;
  /** Calibration data window [calibration_start, calibration_end]. */
  calibration_start: EpochMs;
  calibration_end: EpochMs;
  /** End of the holdout period the metrics were measured on. */
  holdout_end: EpochMs;
  params_json: string;
  metrics_json: string;
  status: ModelRunStatus;
  /** When this row was written; the latest per version wins. */
  updated_at: EpochMs;
}

/** A purchase without its line items: they are in order_line_items, by order_id. */
export type PurchaseRow = Omit<PurchaseEvent, 'line_items'>;

/**
 * A features event without its category summary (derivable from order_line_items) and its
 * recent purchase days (the sequence model's input, derivable from purchases).
 */
export type CustomerFeaturesRow = Omit<CustomerFeaturesEvent, 'category_summary' | 'recent_purchase_days'>;

/** Row type of each table. Purchases, features, scores and segment changes are their events (nested lists aside). */
export interface AnalyticsRows {
  orders: OrderRow;
  order_line_items: OrderLineItemRow;
  payments: PaymentEvent;
  purchases: PurchaseRow;
  customer_features: CustomerFeaturesRow;
  clv_scores: ClvScoreEvent;
  segment_changes: SegmentChangedEvent;
  dead_letters: DeadLetterRow;
  model_runs: ModelRunRow;
  commerce_anomalies: CommerceAnomalyEvent;
  /** The audit trail of erasures: kept when the customer's other rows go. */
  erasures: CustomerErasedEvent;
}

export type AnalyticsTable = keyof AnalyticsRows;

/** Which customers, and which orders of theirs, `segmentRevenueByHour` sums. */
export interface SegmentRevenueQuery {
  /** A segment name as scores carry it (core/segmentation.ts). */
  segment: string;
  /**
   * Membership is each customer's segment in their latest score at or before this time
   * (clv_scores, latest by event_time then event_id); null: in their latest score of all.
   */
  membershipAsOfMs: EpochMs | null;
  /** Orders placed in [fromMs, toMs). */
  fromMs: EpochMs;
  toMs: EpochMs;
}

export interface SegmentHourlyRevenue {
  /** Hour index since the epoch (UTC) → net revenue of the members' orders placed in it, minor units; hours without any absent. */
  hours: Map<number, MinorUnits>;
  /** Start of the latest hour with an order of anyone (how far the store has seen), or null without orders. */
  latestOrderHourMs: EpochMs | null;
}

/** Which payments a reconciliation reads (`settlementCandidates`). */
export interface SettlementCandidatesQuery {
  /** Orders with a capture or refund whose event_time is in [fromMs, toMs) … */
  fromMs: EpochMs;
  toMs: EpochMs;
  /** … or with a capture or refund under one of these payment ids (a statement's references; any number). */
  references: readonly string[];
}

/** The stream side of a reconciliation: what reconciliation/reconcile-settlements.ts matches a statement against. */
export interface SettlementCandidates {
  /**
   * Every capture and refund (PAYMENT_CAPTURED / PAYMENT_REFUNDED; failures never settle) of
   * every order the query selects, each event once, whenever it happened — the query selects
   * orders, so an order paid twice shows both captures even if one is outside the period.
   * Sorted by order_id, event_time, event_id. The `expected_settlements` view in ClickHouse.
   */
  payments: PaymentEvent[];
  /** Every order event (placed and cancelled) of those orders, each once, sorted by order_id, event_time, event_id. */
  orders: OrderRow[];
}

/** Which orders and payments `commerceVolumes` counts. */
export interface CommerceVolumeQuery {
  /** Orders placed and payments captured with event_time in [fromMs, toMs) … */
  fromMs: EpochMs;
  toMs: EpochMs;
  /**
   * … in this currency (the shop's). What the pipeline dead-letters is not counted: another
   * currency, a negative amount, an empty customer id (core/event-validation.ts).
   */
  currency: string;
}

/** Orders placed and payments captured in one quarter hour. */
export interface CommerceVolumeBucket {
  /** Start of the quarter hour, epoch ms (a multiple of 900,000): every time zone's midnight falls on one. */
  startMs: EpochMs;
  orders: number;
  orderValueMinor: MinorUnits;
  payments: number;
  paymentValueMinor: MinorUnits;
}

export interface CommerceVolumes {
  /** Quarter hours with an order placed or a payment captured, sorted by start; each event counted once (by event_id). */
  quarterHours: CommerceVolumeBucket[];
  /**
   * The latest event_time before toMs of any order event / payment event the query's rules
   * would count (any type, any time before toMs, not only from fromMs), or null: how far in
   * event time each table has been filled — the anomaly watch's watermark.
   */
  latestOrderMs: EpochMs | null;
  latestPaymentMs: EpochMs | null;
}

/** The window `segmentFlows` compares: each customer's segment as of `fromMs`, and as of `toMs`. */
export interface SegmentFlowQuery {
  fromMs: EpochMs;
  toMs: EpochMs;
  /** Most customers listed per move (≥ 0). */
  examplesPerFlow: number;
}

/** The customers whose segment was `fromSegment` as of the query's fromMs and `toSegment` as of its toMs. */
export interface SegmentFlowRow {
  /** Null: no segment change by fromMs (not scored then). */
  fromSegment: string | null;
  toSegment: string;
  customers: number;
  /** Moves (fromSegment ≠ toSegment) only, else []: up to examplesPerFlow customers, highest clv_minor first, then by customer_id. */
  examples: { customerId: string; clvMinor: MinorUnits }[];
}

export interface SegmentFlowResult {
  /** One row per (fromSegment, toSegment) pair with customers, in no particular order. */
  flows: SegmentFlowRow[];
  /** The latest event_time in segment_changes, or null when it is empty. */
  latestChangeMs: EpochMs | null;
}

export interface AnalyticsStore {
  /** Appends rows to one table (idempotent per row identity; see the contract above). */
  insert<T extends AnalyticsTable>(table: T, rows: readonly AnalyticsRows[T][]): Promise<void>;
  /**
   * The latest revision of every order placed at or before `asOfMs` (ACTIVE and VOIDED),
   * sorted by customer_id, event_time, order_id: what training and feature rebuilds read.
   * A revision is "latest" among all stored, not as known at `asOfMs` — purchase events do
   * not record when a refund happened, only when the order was placed.
   */
  purchasesAsOf(asOfMs: EpochMs): Promise<PurchaseRow[]>;
  /** Every model version in its latest state, sorted by trained_at then version. */
  modelRuns(): Promise<ModelRunRow[]>;
  /**
   * Net revenue per hour of order placement of one segment's members (see SegmentRevenueQuery):
   * the latest revision of each order, ACTIVE ones only, as `purchasesAsOf` reads them. Members
   * are fixed as of `membershipAsOfMs`, so a customer who changes segment later keeps their
   * revenue where it was; a customer with no score by then is in no segment. For the API's
   * per-segment actuals, set against a forecast of the same customers.
   */
  segmentRevenueByHour(query: SegmentRevenueQuery): Promise<SegmentHourlyRevenue>;
  /**
   * Deletes every row of the customer: the rows of every table with a `customer_id` (the
   * erasure audit trail excepted) and the dead letters whose message key is the customer.
   * Resolves once the rows are gone for readers; returns the tables it deleted from.
   * Idempotent.
   */
  forgetCustomer(customerId: string): Promise<AnalyticsTable[]>;
  /**
   * Net movements between segments (see SegmentFlowQuery), from segment_changes: a customer's
   * segment as of a time is that of their latest change at or before it, latest by
   * (event_time, event_id) as clv_scores_latest orders scores; every score that changes a
   * segment is a change, so this is the segment of their latest score by then. Customers with
   * no change by toMs are left out. A move's examples carry the clv_minor of the customer's
   * latest change by toMs; ties are broken by customer_id in byte order (UTF-8).
   */
  segmentFlows(query: SegmentFlowQuery): Promise<SegmentFlowResult>;
  /** The captures, refunds and orders a settlement statement is reconciled against (see SettlementCandidates). */
  settlementCandidates(query: SettlementCandidatesQuery): Promise<SettlementCandidates>;
  /** Orders placed and payments captured per quarter hour, and how far each table reaches (see CommerceVolumes). */
  commerceVolumes(query: CommerceVolumeQuery): Promise<CommerceVolumes>;
  close(): Promise<void>;
}

/**
 * What a column may hold: `time` is epoch ms within ClickHouse DateTime's range
 * [1970-01-01, 2106-02-07); `int32`/`int64` are integers (int64 within JS's exact range);
 * `float` is finite; strings are well-formed UTF-16 (a lone surrogate cannot be stored);
 * `nullable_…` kinds also take null.
 */
export type ColumnKind = 'string' | 'nullable_string' | 'strings' | 'time' | 'int32' | 'int64' | 'float' | 'nullable_int64' | 'nullable_float';

const eventColumns = { event_id: 'string', event_time: 'time', customer_id: 'string' } as const;

/** The columns of every table and what they may hold; both stores validate against it. */
export const analyticsColumns: { readonly [T in AnalyticsTable]: { readonly [C in keyof AnalyticsRows[T]]-?: ColumnKind } } = {
  orders: { ...eventColumns, type: 'string', order_id: 'string', amount_minor: 'int64', currency: 'string', line_item_count: 'int32' },
  order_line_items: { ...eventColumns, order_id: 'string', line_no: 'int32', sku: 'string', category: 'string', quantity: 'int32', unit_price_minor: 'int64' },
  payments: { ...eventColumns, type: 'string', order_id: 'string', payment_id: 'string', amount_minor: 'int64', currency: 'string' },
  purchases: { ...eventColumns, order_id: 'string', revision: 'int32', status: 'string', net_amount_minor: 'int64', currency: 'string', categories: 'strings' },
  customer_features: {
    ...eventColumns, first_purchase_time: 'time', last_purchase_time: 'time', purchase_days: 'int32', repeat_purchase_days: 'int32',
    repeat_value_minor: 'int64', total_value_minor: 'int64', currency: 'string',
  },
  clv_scores: {
    ...eventColumns, model_version: 'string', clv_minor: 'int64', p_alive: 'float', expected_purchases: 'float',
    expected_avg_value_minor: 'int64', horizon_days: 'int32', segment: 'string', action: 'string', currency: 'string',
    recommended_categories: 'strings', recommendation_reason: 'string', recommended_min_unit_price_minor: 'int64',
    clv_lower_minor: 'nullable_int64', clv_upper_minor: 'nullable_int64', clv_interval_level: 'nullable_float', model_kind: 'string', sequence: 'int64',
  },
  segment_changes: {
    ...eventColumns, previous_segment: 'nullable_string', segment: 'string', clv_minor: 'int64', action: 'string', reason: 'string', model_version: 'string',
    recommended_categories: 'strings', recommendation_reason: 'string', recommended_min_unit_price_minor: 'int64',
  },
  dead_letters: {
    event_id: 'string', event_time: 'time', source_topic: 'string', source_partition: 'int32', source_offset: 'string', key: 'nullable_string',
    payload_hex: 'string', payload_json: 'nullable_string', error_code: 'string', reason: 'string',
  },
  model_runs: {
    version: 'string', kind: 'string', trained_at: 'time', calibration_start: 'time', calibration_end: 'time', holdout_end: 'time',
    params_json: 'string', metrics_json: 'string', status: 'string', updated_at: 'time',
  },
  commerce_anomalies: {
    event_id: 'string', event_time: 'time', day: 'string', metric: 'string', direction: 'string', value: 'int64', baseline: 'float', lower: 'float', upper: 'float', score: 'float',
    history_weeks: 'int32', currency: 'string', detector: 'string',
  },
  erasures: { ...eventColumns, requested_by: 'string', state_keys_deleted: 'int32', tombstoned_topics: 'strings', analytics_tables: 'strings' },
};

/** The tables `forgetCustomer` deletes from, and the column that names the customer in each. */
export const customerColumnOf: Readonly<Partial<Record<AnalyticsTable, 'customer_id' | 'key'>>> = {
  orders: 'customer_id', order_line_items: 'customer_id', payments: 'customer_id', purchases: 'customer_id',
  customer_features: 'customer_id', clv_scores: 'customer_id', segment_changes: 'customer_id', dead_letters: 'key',
};

/** Exclusive upper bound of ClickHouse DateTime (UInt32 seconds), in ms. */
export const MAX_TIME_MS = 2 ** 32 * 1000;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `row` cannot go into `table`, or null when it can. */
export function analyticsRowViolation(table: AnalyticsTable, row: object): string | null {
  const columns = analyticsColumns[table] as Readonly<Record<string, ColumnKind>>;
  const values = row as Record<string, unknown>;
  for (const name in columns) {
    const problem = kindViolation(columns[name], values[name]);
    if (problem) return `${table}.${name}: ${problem}`;
  }
  for (const name in values) if (!(name in columns)) return `${table}: unknown column ${name}`;
  return null;
}

// This runs for every row the sink writes: the cheap test first, the lookaround only when
// the string has surrogates at all (rare outside emoji and rare scripts).
function isString(s: unknown): boolean {
  return typeof s === 'string' && (!SURROGATE.test(s) || !LONE_SURROGATE.test(s));
}

function kindViolation(kind: ColumnKind, v: unknown): string | null {
  switch (kind) {
    case 'string': return isString(v) ? null : 'expected a well-formed string';
    case 'nullable_string': return v === null || isString(v) ? null : 'expected null or a well-formed string';
    case 'strings': return Array.isArray(v) && v.every(isString) ? null : 'expected an array of well-formed strings';
    case 'time': return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < MAX_TIME_MS ? null : 'expected epoch ms within 1970..2106';
    case 'int32': return Number.isInteger(v) && Math.abs(v as number) < 2 ** 31 ? null : 'expected a 32-bit integer';
    case 'int64': return Number.isSafeInteger(v) ? null : 'expected a safe integer';
    case 'float': return Number.isFinite(v) ? null : 'expected a finite number';
    case 'nullable_int64': return v === null || Number.isSafeInteger(v) ? null : 'expected null or a safe integer';
    case 'nullable_float': return v === null || Number.isFinite(v) ? null : 'expected null or a finite number';
  }
}
