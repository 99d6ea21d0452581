/**
 * The analytics store in process memory, for embedded mode and unit tests: one map per table
 * keyed by row identity, so it deduplicates exactly as ClickHouse's ReplacingMergeTree + FINAL
 * do, and keeps times with the same precision (event_time in ms, other times in seconds).
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import {
  analyticsColumns, analyticsRowViolation, customerColumnOf, type AnalyticsRows, type AnalyticsStore, type AnalyticsTable, type ColumnKind, type CommerceVolumeBucket,
  type CommerceVolumeQuery, type CommerceVolumes, type ModelRunRow, type PurchaseRow, type OrderRow, type SegmentFlowQuery, type SegmentFlowResult, type SegmentFlowRow,
  type SegmentHourlyRevenue, type SegmentRevenueQuery, type SettlementCandidates, type SettlementCandidatesQuery,
} from '../../core/ports/analytics-store.js';
import type { PaymentEvent } from '../../core/events.js';
import { latestScoreRows } from '../../core/analyst-latest.js';

type Row = Record<string, unknown>;

const MS_PER_HOUR = 3_600_000;
const MS_PER_QUARTER_HOUR = 900_000;

/** The identity under which a row replaces an equal one (the ClickHouse sorting key's role). */
function identity(table: AnalyticsTable, row: Row): string {
  if (table === 'order_line_items') return `${row.event_id as string}\u0000${row.line_no as number}`;
  if (table === 'model_runs') return row.version as string;
  return row.event_id as string;
}

export class InMemoryAnalyticsStore implements AnalyticsStore {
  private readonly tables = new Map<AnalyticsTable, Map<string, Row>>();

  async insert<T extends AnalyticsTable>(table: T, rows: readonly AnalyticsRows[T][]): Promise<void> {
    // Validate the whole call first: a bad row writes nothing, as in the ClickHouse store.
    for (const row of rows) {
      const problem = analyticsRowViolation(table, row);
      if (problem) throw new ClvError(ErrorCodes.INVALID_EVENT, `analytics row rejected: ${problem}`);
    }
    let stored = this.tables.get(table);
    if (!stored) this.tables.set(table, (stored = new Map()));
    for (const row of rows) {
      const copy = storedCopy(table, row as unknown as Row);
      const key = identity(table, copy);
      const existing = stored.get(key);
      // Model runs: the greatest updated_at wins, the last written on a tie (ReplacingMergeTree(updated_at)).
      if (table === 'model_runs' && existing && (existing.updated_at as number) > (copy.updated_at as number)) continue;
      stored.set(key, copy);
    }
  }

  async purchasesAsOf(asOfMs: number): Promise<PurchaseRow[]> {
    const latest = new Map<string, PurchaseRow>();
    for (const p of this.rows('purchases')) {
      const key = `${p.customer_id}\u0000${p.order_id}`;
      const current = latest.get(key);
      if (!current || p.revision > current.revision) latest.set(key, p);
    }
    return [...latest.values()]
      .filter((p) => p.event_time <= asOfMs)
      .sort((a, b) => compare(a.customer_id, b.customer_id) || a.event_time - b.event_time || compare(a.order_id, b.order_id));
  }

  async modelRuns(): Promise<ModelRunRow[]> {
    return this.rows('model_runs').sort((a, b) => a.trained_at - b.trained_at || compare(a.version, b.version));
  }

  async segmentRevenueByHour(query: SegmentRevenueQuery): Promise<SegmentHourlyRevenue> {
    // Each customer's latest score by then, by (event_time, event_id): the ClickHouse argMax's order.
    const latest = new Map<string, { time: number; id: string; segment: string }>();
    for (const s of this.stored('clv_scores')) {
      if (query.membershipAsOfMs !== null && s.event_time > query.membershipAsOfMs) continue;
      const best = latest.get(s.customer_id);
      if (!best || s.event_time > best.time || (s.event_time === best.time && s.event_id > best.id)) {
        latest.set(s.customer_id, { time: s.event_time, id: s.event_id, segment: s.segment });
      }
    }
    const hours = new Map<number, number>();
    let latestOrderHourMs: number | null = null;
    for (const p of await this.purchasesAsOf(Infinity)) {
      const hourMs = Math.floor(p.event_time / MS_PER_HOUR) * MS_PER_HOUR;
      latestOrderHourMs = Math.max(latestOrderHourMs ?? hourMs, hourMs);
      if (p.status !== 'ACTIVE' || p.event_time < query.fromMs || p.event_time >= query.toMs) continue;
      if (latest.get(p.customer_id)?.segment !== query.segment) continue;
      const h = hourMs / MS_PER_HOUR;
      hours.set(h, (hours.get(h) ?? 0) + p.net_amount_minor);
    }
    return { hours, latestOrderHourMs };
  }

  async forgetCustomer(customerId: string): Promise<AnalyticsTable[]> {
    const tables = Object.keys(customerColumnOf) as AnalyticsTable[];
    for (const table of tables) {
      const column = customerColumnOf[table] as string;
      const stored = this.tables.get(table);
      if (!stored) continue;
      for (const [key, row] of stored) if (row[column] === customerId) stored.delete(key);
    }
    return tables;
  }

  async settlementCandidates(query: SettlementCandidatesQuery): Promise<SettlementCandidates> {
    const settles = (p: PaymentEvent) => p.type === 'PAYMENT_CAPTURED' || p.type === 'PAYMENT_REFUNDED';
    const references = new Set(query.references);
    const orders = new Set<string>();
    for (const p of this.stored('payments')) {
      if (settles(p) && ((p.event_time >= query.fromMs && p.event_time < query.toMs) || references.has(p.payment_id))) orders.add(p.order_id);
    }
    const byOrder = (a: { order_id: string; event_time: number; event_id: string }, b: typeof a) =>
      compare(a.order_id, b.order_id) || a.event_time - b.event_time || compare(a.event_id, b.event_id);
    return {
      payments: this.rows('payments').filter((p) => settles(p) && orders.has(p.order_id)).sort(byOrder),
      orders: this.rows('orders').filter((o: OrderRow) => orders.has(o.order_id)).sort(byOrder),
    };
  }

  async commerceVolumes(query: CommerceVolumeQuery): Promise<CommerceVolumes> {
    const counted = (e: { currency: string; amount_minor: number; customer_id: string; event_time: number }) =>
      e.currency === query.currency && e.amount_minor >= 0 && e.customer_id !== '' && e.event_time < query.toMs;
    const buckets = new Map<number, CommerceVolumeBucket>();
    const bucketOf = (t: number) => {
      const startMs = Math.floor(t / MS_PER_QUARTER_HOUR) * MS_PER_QUARTER_HOUR;
      let b = buckets.get(startMs);
      if (!b) buckets.set(startMs, (b = { startMs, orders: 0, orderValueMinor: 0, payments: 0, paymentValueMinor: 0 }));
      return b;
    };
    let latestOrderMs: number | null = null;
    let latestPaymentMs: number | null = null;
    for (const o of this.stored('orders')) {
      if (!counted(o)) continue;
      latestOrderMs = Math.max(latestOrderMs ?? o.event_time, o.event_time);
      if (o.type !== 'ORDER_PLACED' || o.event_time < query.fromMs) continue;
      const b = bucketOf(o.event_time);
      b.orders++;
      b.orderValueMinor += o.amount_minor;
    }
    for (const p of this.stored('payments')) {
      if (!counted(p)) continue;
      latestPaymentMs = Math.max(latestPaymentMs ?? p.event_time, p.event_time);
      if (p.type !== 'PAYMENT_CAPTURED' || p.event_time < query.fromMs) continue;
      const b = bucketOf(p.event_time);
      b.payments++;
      b.paymentValueMinor += p.amount_minor;
    }
    return { quarterHours: [...buckets.values()].sort((a, b) => a.startMs - b.startMs), latestOrderMs, latestPaymentMs };
  }

  async segmentFlows(query: SegmentFlowQuery): Promise<SegmentFlowResult> {
    type Change = { time: number; id: string; segment: string; clv: number };
    const later = (a: Change, b: Change | undefined) => !b || a.time > b.time || (a.time === b.time && a.id > b.id);
    // Each customer's latest change by fromMs and by toMs.
    const then = new Map<string, Change>();
    const now = new Map<string, Change>();
    let latestChangeMs: number | null = null;
    for (const c of this.stored('segment_changes')) {
      latestChangeMs = Math.max(latestChangeMs ?? c.event_time, c.event_time);
      if (c.event_time > query.toMs) continue;
      const change = { time: c.event_time, id: c.event_id, segment: c.segment, clv: c.clv_minor };
      if (later(change, now.get(c.customer_id))) now.set(c.customer_id, change);
      if (c.event_time <= query.fromMs && later(change, then.get(c.customer_id))) then.set(c.customer_id, change);
    }
    // A customer whose score was withdrawn by toMs (every order voided) holds no segment then,
    // whatever their last segment change said: withdrawals change the score, not the segment.
    const scoresByTo = [...this.stored('clv_scores')].filter((r) => r.event_time <= query.toMs);
    const scoredAtTo = latestScoreRows(scoresByTo);
    const withdrawn = new Set(scoresByTo.map((r) => r.customer_id).filter((id) => !scoredAtTo.has(id)));
    const flows = new Map<string, SegmentFlowRow>();
    for (const [customerId, to] of now) {
      if (withdrawn.has(customerId)) continue;
      const from = then.get(customerId)?.segment ?? null;
      const key = `${from ?? ''}\u0000${from === null ? 0 : 1}\u0000${to.segment}`;
      let row = flows.get(key);
      if (!row) flows.set(key, (row = { fromSegment: from, toSegment: to.segment, customers: 0, examples: [] }));
      row.customers++;
      if (from !== to.segment) row.examples.push({ customerId, clvMinor: to.clv });
    }
    for (const row of flows.values()) {
      row.examples.sort((a, b) => b.clvMinor - a.clvMinor || Buffer.compare(Buffer.from(a.customerId), Buffer.from(b.customerId)));
      row.examples.length = Math.min(row.examples.length, query.examplesPerFlow);
    }
    return { flows: [...flows.values()], latestChangeMs };
  }

  /** Every (deduplicated) row of a table, as copies: for the embedded demo's reports and tests. */
  rows<T extends AnalyticsTable>(table: T): AnalyticsRows[T][] {
    return [...(this.tables.get(table)?.values() ?? [])].map((r) => structuredClone(r) as unknown as AnalyticsRows[T]);
  }

  /** How many (deduplicated) rows a table holds, without copying them. */
  rowCount(table: AnalyticsTable): number {
    return this.tables.get(table)?.size ?? 0;
  }

  async close(): Promise<void> {}

  /** The stored rows themselves, not copies: for reads that only look. */
  private stored<T extends AnalyticsTable>(table: T): Iterable<AnalyticsRows[T]> {
    return (this.tables.get(table)?.values() ?? []) as Iterable<AnalyticsRows[T]>;
  }
}

/** A copy that shares nothing with the caller, times other than event_time cut to the second. */
function storedCopy(table: AnalyticsTable, row: Row): Row {
  const copy = structuredClone(row);
  const columns = analyticsColumns[table] as Readonly<Record<string, ColumnKind>>;
  for (const name in columns) {
    if (columns[name] === 'time' && name !== 'event_time') copy[name] = Math.floor((copy[name] as number) / 1000) * 1000;
  }
  return copy;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
