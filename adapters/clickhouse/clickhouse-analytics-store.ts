/**
 * The analytics store on ClickHouse (18.16 and current): validated rows in, JSONEachRow
 * inserts out, deduplicated reads through FINAL and the argMax views of the migrations.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { PaymentEvent } from '../../core/events.js';
import {
  analyticsRowViolation, customerColumnOf, type AnalyticsRows, type AnalyticsStore, type AnalyticsTable, type ModelRunRow, type OrderRow, type PurchaseRow, type SegmentFlowQuery,
  type SegmentFlowResult, type SegmentHourlyRevenue, type SegmentRevenueQuery, type SettlementCandidates, type SettlementCandidatesQuery, type CommerceVolumeQuery, type CommerceVolumes, type CommerceVolumeBucket,
} from '../../core/ports/analytics-store.js';
import { ClickHouseConnection, type ClickHouseConnectionOptions, type ClickHouseEndpoint } from './clickhouse-connection.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';
import { localTableOf, shardedMigration } from './sharded-migration.js';
import { ident, quoteIdentifier, sql, typed, type SqlFragment } from './sql.js';
import { fromClickHouseRow, insertColumns, selectColumns, toClickHouseRow } from './table-columns.js';

/** url, credentials, tlsCa: see ClickHouseEndpoint (`...clickhouseConnection(config)`). */
export interface ClickHouseAnalyticsStoreOptions extends ClickHouseEndpoint {
  /** Database of the analyst tables (config.clickhouseDatabase); created if missing. */
  database: string;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  /**
   * Sharded tables (config.clickhouseCluster): the migrations run on every shard
   * (sharded-migration.ts), and inserts into the Distributed tables wait until every shard
   * has its rows (insert_distributed_sync), so a committed sink batch is readable at once and
   * a shard that is down fails the insert (retried) instead of parking rows in a local queue;
   * an `IN (SELECT … FROM <Distributed>)` reads the whole table once (distributed_product_mode
   * global), not each shard's part on each shard.
   */
  cluster?: { name: string; shardUrls: readonly string[] } | null;
  requestTimeoutMs?: number;
}

/**
 * Current ClickHouse refuses an INSERT that touches more than 100 partitions
 * (max_partitions_per_insert_block); a batch of replayed history can span more months.
 */
const MAX_PARTITIONS_PER_INSERT = 100;

/**
 * Characters of references per lookup query. On 18.16 they travel as literals in the query
 * text, which max_query_size limits to 256 KiB by default; on 19.11+ as a parameter in the
 * URL. 100,000 characters stays well inside both.
 */
const REFERENCE_CHARS_PER_QUERY = 100_000;

/** What a shard's own connection shares with the store's: the same user, CA and timeout. */
type ShardAccess = Pick<ClickHouseConnectionOptions, 'credentials' | 'tlsCa' | 'requestTimeoutMs'>;
const shardAccessOf = (o: ClickHouseAnalyticsStoreOptions): ShardAccess => ({ credentials: o.credentials, tlsCa: o.tlsCa, requestTimeoutMs: o.requestTimeoutMs });

/**
 * The sharded migrations, each on every shard (through its own URL) before the next: a view
 * reading a Distributed table asks every shard for the local table when it is created.
 */
async function migrateShards(cluster: { name: string; shardUrls: readonly string[] }, database: string, access: ShardAccess): Promise<void> {
  const shards: ClickHouseConnection[] = [];
  try {
    for (const url of cluster.shardUrls) shards.push(await ClickHouseConnection.connect({ url, ...access }));
    for (const migration of migrations) {
      const sharded = shardedMigration(migration, cluster.name);
      for (const shard of shards) await migrate(shard, database, [sharded]);
    }
  } finally {
    await Promise.all(shards.map((s) => s.close()));
  }
}

/** The customer's rows deleted from each [table, physical table] pair; waits until the mutations are done. */
async function deleteCustomerRows(
  connection: ClickHouseConnection, database: string, tables: ReadonlyArray<[AnalyticsTable, string]>, customerId: string, options: { timeoutMs?: number; pollMs?: number },
): Promise<void> {
  for (const [table, physical] of tables) {
    await connection.command(sql`ALTER TABLE ${ident(database, physical)} DELETE WHERE ${ident(customerColumnOf[table] as string)} = ${customerId}`);
  }
  const names = tables.map(([, physical]) => physical);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const [pending] = await connection.select<{ pending: string | number }>(
      sql`SELECT count() AS pending FROM system.mutations WHERE database = ${database} AND has(${names}, table) AND is_done = 0`,
    );
    if (Number(pending?.pending ?? 0) === 0) return;
    if (Date.now() > deadline) {
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `ClickHouse has not finished deleting the rows of the customer within ${options.timeoutMs ?? 120_000} ms (system.mutations, database ${database}); they will go when the mutations finish — run the erasure again to check`, { retriable: true });
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
  }
}

export class ClickHouseAnalyticsStore implements AnalyticsStore {
  private constructor(
    readonly connection: ClickHouseConnection,
    readonly database: string,
    /** Sharded (options.cluster): each shard's URL, for what a Distributed table cannot do. */
    private readonly shardUrls: readonly string[] | null,
    private readonly shardAccess: ShardAccess,
  ) {}

  static async open(options: ClickHouseAnalyticsStoreOptions): Promise<ClickHouseAnalyticsStore> {
    quoteIdentifier(options.database);
    const cluster = options.cluster ?? null;
    const connection = await ClickHouseConnection.connect({
      url: options.url, credentials: options.credentials, tlsCa: options.tlsCa, requestTimeoutMs: options.requestTimeoutMs,
      ...(cluster !== null ? { settings: { insert_distributed_sync: 1, distributed_product_mode: 'global' } } : {}),
    });
    try {
      if ((options.migrate ?? true) && cluster === null) await migrate(connection, options.database);
      if ((options.migrate ?? true) && cluster !== null) await migrateShards(cluster, options.database, shardAccessOf(options));
    } catch (error) {
      await connection.close();
      throw error;
    }
    return new ClickHouseAnalyticsStore(connection, options.database, cluster?.shardUrls ?? null, shardAccessOf(options));
  }

  async insert<T extends AnalyticsTable>(table: T, rows: readonly AnalyticsRows[T][]): Promise<void> {
    if (rows.length === 0) return;
    const converted = rows.map((row) => {
      const problem = analyticsRowViolation(table, row);
      if (problem) throw new ClvError(ErrorCodes.INVALID_EVENT, `analytics row rejected: ${problem}`);
      return toClickHouseRow(table, row);
    });
    const target = ident(this.database, table);
    const columns = insertColumns(table);
    for (const chunk of byPartitionChunks(table, converted)) await this.connection.insert(target, columns, chunk);
  }

  async purchasesAsOf(asOfMs: number): Promise<PurchaseRow[]> {
    const raw = await this.connection.select<Record<string, unknown>>(
      sql`SELECT ${selectColumns('purchases')} FROM ${ident(this.database, 'purchases_latest')} WHERE event_time_ms <= ${asOfMs}`,
    );
    return raw.map((r) => fromClickHouseRow('purchases', r)).sort(
      (a, b) => compare(a.customer_id, b.customer_id) || a.event_time - b.event_time || compare(a.order_id, b.order_id),
    );
  }

  /**
   * Event time (epoch ms) of the newest score the sink has written, or null when there is
   * none yet (no table: the sink has not run here; or an empty one). For `clv status`.
   */
  async latestScoreTime(): Promise<number | null> {
    const tables = await this.connection.select<{ n: string | number }>(
      sql`SELECT count() AS n FROM system.tables WHERE database = ${this.database} AND name = 'clv_scores'`,
    );
    if (Number(tables[0]?.n ?? 0) === 0) return null;
    const rows = await this.connection.select<{ n: string | number; t: string | number }>(
      sql`SELECT count() AS n, max(event_time_ms) AS t FROM ${ident(this.database, 'clv_scores')}`,
    );
    return Number(rows[0]?.n ?? 0) === 0 ? null : Number(rows[0].t);
  }

  async modelRuns(): Promise<ModelRunRow[]> {
    const rows = await this.readAll('model_runs');
    return rows.sort((a, b) => a.trained_at - b.trained_at || compare(a.version, b.version));
  }

  /**
   * Members first (each customer's segment in their latest score by then, argMax over
   * (event_time_ms, event_id) as in clv_scores_latest), then their orders' latest revisions
   * summed per hour. 18.16-safe: GROUP BY and IN (subquery), no window functions. Int64s come
   * back as JSON strings, hence Number().
   */
  async segmentRevenueByHour(query: SegmentRevenueQuery): Promise<SegmentHourlyRevenue> {
    const asOf = query.membershipAsOfMs === null ? sql`` : sql`WHERE event_time_ms <= ${query.membershipAsOfMs}`;
    const [rows, [seen]] = await Promise.all([
      this.connection.select<{ hour_index: string | number; net_minor: string | number }>(sql`
        SELECT intDiv(event_time_ms, 3600000) AS hour_index, sum(net_amount_minor) AS net_minor
        FROM ${ident(this.database, 'purchases_latest')}
        WHERE status = 'ACTIVE' AND event_time_ms >= ${query.fromMs} AND event_time_ms < ${query.toMs}
          AND customer_id IN (
            SELECT customer_id FROM (
              SELECT customer_id, argMax(segment, tuple(event_time_ms, event_id)) AS member_of
              FROM ${ident(this.database, 'clv_scores')} ${asOf} GROUP BY customer_id
            ) WHERE member_of = ${query.segment}
          )
        GROUP BY hour_index`),
      this.connection.select<{ orders: string | number; latest_ms: string | number }>(
        sql`SELECT count() AS orders, max(event_time_ms) AS latest_ms FROM ${ident(this.database, 'purchases')}`,
      ),
    ]);
    const hours = new Map<number, number>();
    for (const r of rows) hours.set(Number(r.hour_index), Number(r.net_minor));
    const latestOrderHourMs = seen === undefined || Number(seen.orders) === 0 ? null : Math.floor(Number(seen.latest_ms) / 3_600_000) * 3_600_000;
    return { hours, latestOrderHourMs };
  }

  /**
   * One `ALTER TABLE … DELETE WHERE` mutation per table (18.16 has them for the MergeTree
   * family), then waits until system.mutations shows none of them pending: ClickHouse runs
   * mutations in the background, and the erasure is reported only once the rows are gone.
   * Sharded: a Distributed table has no mutations, so each shard's local tables get them,
   * shard by shard (dead letters are not sharded by customer).
   */
  async forgetCustomer(customerId: string, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<AnalyticsTable[]> {
    const tables = Object.keys(customerColumnOf) as AnalyticsTable[];
    if (this.shardUrls === null) {
      await deleteCustomerRows(this.connection, this.database, tables.map((t) => [t, t]), customerId, options);
      return tables;
    }
    for (const url of this.shardUrls) {
      const shard = await ClickHouseConnection.connect({ url, ...this.shardAccess });
      try {
        await deleteCustomerRows(shard, this.database, tables.map((t) => [t, localTableOf(t)]), customerId, options);
      } finally {
        await shard.close();
      }
    }
    return tables;
  }

  /**
   * The captures and refunds of the expected_settlements view (migration 008) and the order
   * events of the orders selected: first those with a capture or refund in the period, then
   * those under the references the period did not cover (late settlements of older captures,
   * or references the stream does not know), in as few lookups as the query size allows.
   */
  async settlementCandidates(query: SettlementCandidatesQuery): Promise<SettlementCandidates> {
    const payments = new Map<string, PaymentEvent>();
    const orders = new Map<string, OrderRow>();
    // The selection reads the raw table: a set of order ids needs no deduplication.
    const raw = ident(this.database, 'payments');
    const settling = sql`type IN ('PAYMENT_CAPTURED', 'PAYMENT_REFUNDED')`;
    const readOrders = async (selection: SqlFragment) => {
      const [p, o] = await Promise.all([
        this.connection.select<Record<string, unknown>>(sql`
          SELECT event_id, event_time_ms AS event_time, customer_id, type, order_id, reference AS payment_id, amount_minor, currency
          FROM ${ident(this.database, 'expected_settlements')} WHERE order_id IN (${selection})`),
        this.connection.select<Record<string, unknown>>(sql`SELECT ${selectColumns('orders')} FROM ${ident(this.database, 'orders')} FINAL WHERE order_id IN (${selection})`),
      ]);
      for (const r of p) payments.set(r.event_id as string, fromClickHouseRow('payments', r));
      for (const r of o) orders.set(r.event_id as string, fromClickHouseRow('orders', r));
    };
    await readOrders(sql`SELECT order_id FROM ${raw} WHERE ${settling} AND event_time_ms >= ${query.fromMs} AND event_time_ms < ${query.toMs}`);
    const covered = new Set([...payments.values()].map((p) => p.payment_id));
    const missing = [...new Set(query.references)].filter((r) => !covered.has(r));
    for (const chunk of chunksByLength(missing, REFERENCE_CHARS_PER_QUERY)) {
      await readOrders(sql`SELECT order_id FROM ${raw} WHERE ${settling} AND has(${typed(chunk, 'Array(String)')}, payment_id)`);
    }
    const byOrder = (a: { order_id: string; event_time: number; event_id: string }, b: typeof a) =>
      compare(a.order_id, b.order_id) || a.event_time - b.event_time || compare(a.event_id, b.event_id);
    return { payments: [...payments.values()].sort(byOrder), orders: [...orders.values()].sort(byOrder) };
  }

  /**
   * Per quarter hour, orders placed and payments captured, each event once (GROUP BY event_id
   * over identical redelivered rows), and each table's latest counted event time. 18.16-safe.
   */
  async commerceVolumes(query: CommerceVolumeQuery): Promise<CommerceVolumes> {
    const counted = sql`currency = ${query.currency} AND amount_minor >= 0 AND customer_id != '' AND event_time_ms < ${query.toMs}`;
    const perQuarterHour = (table: 'orders' | 'payments', type: string) => this.connection.select<{ q: string | number; n: string | number; v: string | number }>(sql`
      SELECT intDiv(t, 900000) AS q, count() AS n, sum(a) AS v FROM (
        SELECT event_id, any(event_time_ms) AS t, any(amount_minor) AS a FROM ${ident(this.database, table)}
        WHERE type = ${type} AND event_time_ms >= ${query.fromMs} AND ${counted} GROUP BY event_id
      ) GROUP BY q`);
    const latest = (table: 'orders' | 'payments') =>
      this.connection.select<{ n: string | number; latest: string | number }>(sql`SELECT count() AS n, max(event_time_ms) AS latest FROM ${ident(this.database, table)} WHERE ${counted}`);
    const [orders, payments, [lo], [lp]] = await Promise.all([perQuarterHour('orders', 'ORDER_PLACED'), perQuarterHour('payments', 'PAYMENT_CAPTURED'), latest('orders'), latest('payments')]);
    const buckets = new Map<number, CommerceVolumeBucket>();
    const bucketOf = (q: string | number) => {
      const startMs = Number(q) * 900_000;
      let b = buckets.get(startMs);
      if (!b) buckets.set(startMs, (b = { startMs, orders: 0, orderValueMinor: 0, payments: 0, paymentValueMinor: 0 }));
      return b;
    };
    for (const r of orders) Object.assign(bucketOf(r.q), { orders: Number(r.n), orderValueMinor: Number(r.v) });
    for (const r of payments) Object.assign(bucketOf(r.q), { payments: Number(r.n), paymentValueMinor: Number(r.v) });
    const latestOf = (r: { n: string | number; latest: string | number } | undefined) => (r === undefined || Number(r.n) === 0 ? null : Number(r.latest));
    return { quarterHours: [...buckets.values()].sort((a, b) => a.startMs - b.startMs), latestOrderMs: latestOf(lo), latestPaymentMs: latestOf(lp) };
  }

  /**
   * One pass over segment_changes up to toMs, grouped by customer: the latest change by
   * fromMs (argMaxIf; `scored_then` tells "none" from a segment) and by toMs, ordered by
   * (event_time_ms, event_id) as clv_scores_latest is; then counted per pair. Duplicates
   * (before a merge) change no argMax, so no FINAL. The examples of a move are sorted and cut
   * in an array (arraySort, arraySlice): LIMIT n BY would need n in the query text, and
   * query parameters in LIMIT are not accepted by every server version. 18.16-safe.
   * Customers whose latest score by toMs (as clv_scores_latest picks it) is withdrawn hold no
   * segment then: a withdrawal changes the score, not the segment.
   */
  async segmentFlows(query: SegmentFlowQuery): Promise<SegmentFlowResult> {
    const order = sql`tuple(event_time_ms, event_id)`;
    const [rows, [seen]] = await Promise.all([
      this.connection.select<{ scored_then: number | string; from_segment: string; to_segment: string; customers: string | number; examples: [string, string | number][] }>(sql`
        SELECT scored_then, from_segment, to_segment, count() AS customers,
          arraySlice(arraySort(x -> tuple(-tupleElement(x, 2), tupleElement(x, 1)),
            groupArrayIf(tuple(customer_id, clv_minor), NOT (scored_then AND from_segment = to_segment))), 1, ${query.examplesPerFlow}) AS examples
        FROM (
          SELECT customer_id,
            countIf(event_time_ms <= ${query.fromMs}) > 0 AS scored_then,
            argMaxIf(segment, ${order}, event_time_ms <= ${query.fromMs}) AS from_segment,
            argMax(segment, ${order}) AS to_segment,
            argMax(clv_minor, ${order}) AS clv_minor
          FROM ${ident(this.database, 'segment_changes')} WHERE event_time_ms <= ${query.toMs}
            AND customer_id NOT IN (
              SELECT customer_id FROM ${ident(this.database, 'clv_scores')} WHERE event_time_ms <= ${query.toMs}
              GROUP BY customer_id HAVING argMax(segment, tuple(sequence, event_time_ms, event_id)) = ''
            )
          GROUP BY customer_id
        )
        GROUP BY scored_then, from_segment, to_segment`),
      this.connection.select<{ changes: string | number; latest_ms: string | number }>(
        sql`SELECT count() AS changes, max(event_time_ms) AS latest_ms FROM ${ident(this.database, 'segment_changes')}`,
      ),
    ]);
    return {
      flows: rows.map((r) => ({
        fromSegment: Number(r.scored_then) ? r.from_segment : null,
        toSegment: r.to_segment,
        customers: Number(r.customers),
        examples: r.examples.map(([customerId, clv]) => ({ customerId, clvMinor: Number(clv) })),
      })),
      latestChangeMs: seen === undefined || Number(seen.changes) === 0 ? null : Number(seen.latest_ms),
    };
  }

  /** Every row of a table, deduplicated (FINAL), in no particular order: for tests and tools. */
  async readAll<T extends AnalyticsTable>(table: T): Promise<AnalyticsRows[T][]> {
    const raw = await this.connection.select<Record<string, unknown>>(sql`SELECT ${selectColumns(table)} FROM ${ident(this.database, table)} FINAL`);
    return raw.map((r) => fromClickHouseRow(table, r));
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Consecutive runs of `items` whose lengths add up to at most `maxChars` (at least one item each). */
function chunksByLength(items: readonly string[], maxChars: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const item of items) {
    if (current.length > 0 && chars + item.length > maxChars) {
      chunks.push(current);
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += item.length + 4; // quotes, comma, space
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Splits rows so that no insert spans more than MAX_PARTITIONS_PER_INSERT months. */
function byPartitionChunks(table: AnalyticsTable, rows: Record<string, unknown>[]): Record<string, unknown>[][] {
  const column = table === 'model_runs' ? 'trained_at' : 'event_time';
  const monthOf = (r: Record<string, unknown>) => {
    const d = new Date((r[column] as number) * 1000);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  };
  const months = new Map<number, Record<string, unknown>[]>();
  for (const r of rows) {
    const m = monthOf(r);
    const list = months.get(m);
    if (list) list.push(r);
    else months.set(m, [r]);
  }
  if (months.size <= MAX_PARTITIONS_PER_INSERT) return [rows];
  const chunks: Record<string, unknown>[][] = [];
  let current: Record<string, unknown>[] = [];
  let count = 0;
  for (const list of months.values()) {
    if (count === MAX_PARTITIONS_PER_INSERT) {
      chunks.push(current);
      current = [];
      count = 0;
    }
    for (const r of list) current.push(r);
    count++;
  }
  chunks.push(current);
  return chunks;
}
