/**
 * A ClickHouse database dumped table by table as `SELECT … FORMAT Native` files, and loaded
 * back with `INSERT … FORMAT Native`: over HTTP only, so it works on a server whose disk we
 * cannot reach (a managed one, or a shared one), and per database.
 *
 * Why not `ALTER TABLE … FREEZE` + `ATTACH PARTITION`: 18.16 runs FREEZE, but the hard links
 * land in the server's own `shadow/` directory (one numbered directory for every database
 * frozen at once), and attaching means copying parts into the table's `detached/` directory:
 * both need the server's file system and its user. Native is ClickHouse's own column format,
 * so every value (Float64, Nullable, Array, DateTime) comes back bit for bit.
 *
 * Counts: ReplacingMergeTree tables merge duplicates away in the background, so a raw
 * `count()` may drop between the dump and the check; what a merge never changes is the count
 * with FINAL (one row per sorting key), which is what is recorded and checked. A table written
 * while it is dumped is dumped again (the count with FINAL before and after must agree).
 * Views hold no data: their definitions come back with the schema (migrations).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { ident, joinSql, sql } from './sql.js';

export interface DumpedColumn {
  name: string;
  type: string;
}

export interface DumpedTable {
  table: string;
  engine: string;
  /** The columns in the file, in order (ALIAS and MATERIALIZED columns are recomputed, not dumped). */
  columns: DumpedColumn[];
  /** Rows counted with FINAL where the engine collapses rows, plain `count()` otherwise. */
  rows: number;
  /** The file under the dump directory. */
  file: string;
  /** `create_table_query` from system.tables, for reading and for a restore by hand. */
  createQuery: string;
}

export interface DumpedView {
  table: string;
  createQuery: string;
}

export interface DatabaseDump {
  database: string;
  serverVersion: string;
  tables: DumpedTable[];
  views: DumpedView[];
}

/** Engines whose rows merge into fewer rows, where FINAL gives the count that merges keep. */
const COLLAPSING = /^(Replacing|Collapsing|VersionedCollapsing|Summing|Aggregating)MergeTree$/;
const VIEW = /^(View|MaterializedView|LiveView)$/;
const DUMP_ATTEMPTS = 3;

/** Dumps every table of `database` into `dir` (which must exist). */
export async function dumpDatabase(connection: ClickHouseConnection, database: string, dir: string): Promise<DatabaseDump> {
  const tables = await connection.select<{ name: string; engine: string; create_table_query: string }>(
    sql`SELECT name, engine, create_table_query FROM system.tables WHERE database = ${database} ORDER BY name`,
  );
  if (tables.length === 0) throw new ClvError(ErrorCodes.INVALID_CONFIG, `ClickHouse database ${database} has no tables (CLV_CLICKHOUSE_DATABASE): nothing to back up`);
  const dump: DatabaseDump = { database, serverVersion: connection.serverVersion, tables: [], views: [] };
  for (const t of tables) {
    if (VIEW.test(t.engine)) {
      dump.views.push({ table: t.name, createQuery: t.create_table_query });
      continue;
    }
    const columns = await dumpableColumns(connection, database, t.name);
    const file = `${t.name}.native`;
    const rows = await dumpTable(connection, database, t.name, t.engine, columns, join(dir, file));
    dump.tables.push({ table: t.name, engine: t.engine, columns, rows, file, createQuery: t.create_table_query });
  }
  return dump;
}

/** Rows of a table as `rows` in DumpedTable counts them. */
export async function countRows(connection: ClickHouseConnection, database: string, table: string, engine: string): Promise<number> {
  const target = ident(database, table);
  const [row] = await connection.select<{ n: string | number }>(COLLAPSING.test(engine) ? sql`SELECT count() AS n FROM ${target} FINAL` : sql`SELECT count() AS n FROM ${target}`);
  return Number(row?.n ?? 0);
}

/** Raw rows (merged or not): zero means the table is empty. */
export async function rawRowCount(connection: ClickHouseConnection, database: string, table: string): Promise<number> {
  const [row] = await connection.select<{ n: string | number }>(sql`SELECT count() AS n FROM ${ident(database, table)}`);
  return Number(row?.n ?? 0);
}

/** The tables of `database` (not views), with their engines. */
export async function tablesOf(connection: ClickHouseConnection, database: string): Promise<Map<string, string>> {
  const rows = await connection.select<{ name: string; engine: string }>(sql`SELECT name, engine FROM system.tables WHERE database = ${database}`);
  return new Map(rows.filter((r) => !VIEW.test(r.engine)).map((r) => [r.name, r.engine]));
}

/**
 * Loads a dumped table into `database`.`table.table`, which must exist and hold every dumped
 * column (a newer schema may have more: they take their defaults).
 */
export async function loadTable(connection: ClickHouseConnection, database: string, table: DumpedTable, dir: string): Promise<void> {
  const present = new Map((await dumpableColumns(connection, database, table.table)).map((c) => [c.name, c.type]));
  for (const c of table.columns) {
    const type = present.get(c.name);
    if (type === undefined) throw new ClvError(ErrorCodes.INVALID_CONFIG, `cannot restore ${database}.${table.table}: the backup has column ${c.name}, this schema does not`);
    if (type !== c.type) throw new ClvError(ErrorCodes.INVALID_CONFIG, `cannot restore ${database}.${table.table}: column ${c.name} is ${c.type} in the backup, ${type} here`);
  }
  const columns = joinSql(table.columns.map((c) => ident(c.name)), ', ');
  await connection.importRaw(sql`INSERT INTO ${ident(database, table.table)} (${columns}) FORMAT Native`, createReadStream(join(dir, table.file)));
}

async function dumpableColumns(connection: ClickHouseConnection, database: string, table: string): Promise<DumpedColumn[]> {
  // system.columns lists a table's columns in their declared order.
  const rows = await connection.select<{ name: string; type: string; default_kind: string }>(
    sql`SELECT name, type, default_kind FROM system.columns WHERE database = ${database} AND table = ${table}`,
  );
  return rows.filter((r) => r.default_kind !== 'ALIAS' && r.default_kind !== 'MATERIALIZED').map(({ name, type }) => ({ name, type }));
}

async function dumpTable(connection: ClickHouseConnection, database: string, table: string, engine: string, columns: DumpedColumn[], path: string): Promise<number> {
  const select = sql`SELECT ${joinSql(columns.map((c) => ident(c.name)), ', ')} FROM ${ident(database, table)} FORMAT Native`;
  for (let attempt = 1; attempt <= DUMP_ATTEMPTS; attempt++) {
    const before = await countRows(connection, database, table, engine);
    await connection.exportRaw(select, createWriteStream(path));
    const after = await countRows(connection, database, table, engine);
    if (before === after) return after;
  }
  throw new ClvError(
    ErrorCodes.DEPENDENCY_FAILED,
    `${database}.${table} kept changing while it was dumped (${DUMP_ATTEMPTS} attempts): stop the ClickHouse sink (clv run sink) for the backup; it catches up from Kafka afterwards`,
    { retriable: true },
  );
}
