/**
 * How the port's rows (analyticsColumns) become ClickHouse columns and back.
 *
 * A `time` column is a DateTime('UTC') (seconds: what analysts filter and group on); the
 * row's `event_time` additionally keeps its milliseconds in `event_time_ms`, so that as-of
 * reads are exact. `int64` values leave as JSON numbers (they are safe integers) and come
 * back as strings (ClickHouse quotes 64-bit integers in JSON), parsed strictly here.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { analyticsColumns, type AnalyticsRows, type AnalyticsTable, type ColumnKind } from '../../core/ports/analytics-store.js';
import { ident, joinSql, sql, type SqlFragment } from './sql.js';

const CLICKHOUSE_TYPES: Record<ColumnKind, string> = {
  string: 'String', nullable_string: 'Nullable(String)', strings: 'Array(String)', time: "DateTime('UTC')", int32: 'Int32', int64: 'Int64', float: 'Float64',
  nullable_int64: 'Nullable(Int64)', nullable_float: 'Nullable(Float64)',
};

// Computed once per table: toClickHouseRow runs for every row written (500k rows ≈ 0.1 s).
const kindsByTable = new Map<AnalyticsTable, [string, ColumnKind][]>();

function kinds(table: AnalyticsTable): [string, ColumnKind][] {
  let list = kindsByTable.get(table);
  if (!list) kindsByTable.set(table, (list = Object.entries(analyticsColumns[table] as Record<string, ColumnKind>)));
  return list;
}

const hasEventTimeMs = (table: AnalyticsTable) => 'event_time' in analyticsColumns[table];

/** Column name → ClickHouse type, as the migrations create them (checked by the integration suite). */
export function clickhouseColumns(table: AnalyticsTable): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, kind] of kinds(table)) {
    out[name] = CLICKHOUSE_TYPES[kind];
    if (name === 'event_time') out.event_time_ms = 'Int64';
  }
  return out;
}

/** Column names for INSERT, in the order `toClickHouseRow` fills. */
export function insertColumns(table: AnalyticsTable): string[] {
  return Object.keys(clickhouseColumns(table));
}

/** A validated port row as a JSONEachRow object (keys are the bare column names). */
export function toClickHouseRow(table: AnalyticsTable, row: object): Record<string, unknown> {
  const source = row as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, kind] of kinds(table)) {
    const v = source[name];
    if (kind === 'time') {
      out[name] = Math.floor((v as number) / 1000);
      if (name === 'event_time') out.event_time_ms = v;
    } else {
      out[name] = v;
    }
  }
  return out;
}

/** SELECT list that reads a table's columns back in the port's shape (times as epoch ms). */
export function selectColumns(table: AnalyticsTable, alias?: string): SqlFragment {
  return joinSql(kinds(table).map(([name, kind]) => {
    const col = alias ? ident(alias, name) : ident(name);
    if (name === 'event_time' && hasEventTimeMs(table)) return sql`${alias ? ident(alias, 'event_time_ms') : ident('event_time_ms')} AS ${ident(name)}`;
    if (kind === 'time') return sql`toInt64(toUInt32(${col})) * 1000 AS ${ident(name)}`;
    return sql`${col} AS ${ident(name)}`;
  }), ', ');
}

/** A JSONEachRow result row back into the port's row type. */
export function fromClickHouseRow<T extends AnalyticsTable>(table: T, raw: Record<string, unknown>): AnalyticsRows[T] {
  const out: Record<string, unknown> = {};
  for (const [name, kind] of kinds(table)) {
    const v = raw[name];
    out[name] = kind === 'time' || kind === 'int64' || (kind === 'nullable_int64' && v !== null) ? parseInt64(v, `${table}.${name}`) : v;
  }
  return out as unknown as AnalyticsRows[T];
}

/** A ClickHouse (U)Int64 from JSON (string or number) as a safe JS integer. */
export function parseInt64(v: unknown, what: string): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `ClickHouse returned ${JSON.stringify(v)} for ${what}: not a safe integer`);
  }
  return n;
}
