/**
 * The migrations for analyst tables sharded over a ClickHouse cluster (CLV_CLICKHOUSE_CLUSTER):
 * each migration of migrations/ rewritten, with the same version and name, so that on every
 * shard
 *
 *   CREATE TABLE IF NOT EXISTS db.t (…) ENGINE = …MergeTree… ORDER BY (…)
 *     → CREATE TABLE IF NOT EXISTS db.t_local (…) ENGINE = …MergeTree… ORDER BY (…)   the shard's rows
 *       CREATE TABLE IF NOT EXISTS db.t AS db.t_local ENGINE = Distributed(cluster, db, t_local, cityHash64(key))
 *   ALTER TABLE db.t ADD COLUMN …  → on db.t_local, then on db.t
 *   views, DROPs of views           → unchanged: they read `t`, now the Distributed table
 *
 * so readers, views and the sink keep every name they use. The migrator runs them on each
 * shard through its own HTTP URL (ClickHouse 18.16 has ON CLUSTER only with ZooKeeper's
 * distributed DDL queue; per-shard execution needs nothing), each shard keeping its own
 * schema_migrations.
 *
 * The sharding key keeps the views exact. Every table whose sorting key starts with
 * customer_id is sharded by customer: all of a customer's rows — every revision of an order,
 * every features snapshot and score — sit on one shard, so FINAL and ReplacingMergeTree
 * collapse redelivered duplicates there as on one server, and the argMax views agree with a
 * single server whichever way ClickHouse splits the aggregation. A table without a customer
 * (dead letters, model runs, anomalies) is sharded by its whole sorting key, the key
 * ReplacingMergeTree deduplicates on, so two copies of a row always meet on one shard.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { ColumnAddition, Migration } from './migrations/migration.js';
import { ident, joinSql, renderQuoted, replaceIdentifier, sql, type SqlFragment } from './sql.js';

/** What the shard-local table of `t` is called. */
export const localTableOf = (table: string): string => `${table}_local`;

/** `migration` as it runs on each shard of `cluster`. */
export function shardedMigration(migration: Migration, cluster: string): Migration {
  const { addColumns } = migration;
  return {
    version: migration.version,
    name: migration.name,
    statements: (db) => migration.statements(db).flatMap((statement) => shardedStatements(statement, db, cluster, migration)),
    ...(addColumns
      ? {
          addColumns: (db: string) => addColumns(db).flatMap((a): ColumnAddition[] => [
            { table: localTableOf(a.table), column: a.column, statement: replaceIdentifier(a.statement, ident(db, a.table), ident(db, localTableOf(a.table))) },
            a,
          ]),
        }
      : {}),
  };
}

const CREATE_TABLE = /^\s*CREATE TABLE IF NOT EXISTS `([A-Za-z0-9_]+)`\.`([A-Za-z0-9_]+)` \(/;
const MERGE_TREE = /\bENGINE = [A-Za-z]*MergeTree\(/;
const ORDER_BY = /\bORDER BY (?:\(([^)]*)\)|`?([A-Za-z_][A-Za-z0-9_]*)`?)/;

/** The columns a table is sharded by, from its CREATE TABLE: see the module comment. */
export function shardingKeyOf(createTable: string): string[] {
  const order = ORDER_BY.exec(createTable);
  if (order === null) throw notUnderstood('no ORDER BY', createTable);
  const columns = (order[1] ?? order[2]).split(',').map((c) => c.trim().replace(/^`|`$/g, ''));
  if (!columns.every((c) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(c))) throw notUnderstood('an ORDER BY of plain columns expected', createTable);
  return columns[0] === 'customer_id' ? ['customer_id'] : columns;
}

function shardedStatements(statement: SqlFragment, db: string, cluster: string, migration: Migration): SqlFragment[] {
  const text = renderQuoted(statement);
  const create = CREATE_TABLE.exec(text);
  if (create === null) {
    // Views and DROPs of views pass; any other table DDL would need its own rule here.
    if (/^\s*(CREATE\s+(TABLE|MATERIALIZED)|ALTER|RENAME|TRUNCATE)\b/i.test(text)) throw notUnderstood(`migration ${migration.version}: a statement with no sharded form`, text);
    return [statement];
  }
  const [, database, table] = create;
  if (database !== db) throw notUnderstood(`migration ${migration.version}: a table outside database ${db}`, text);
  if (!MERGE_TREE.test(text)) throw notUnderstood(`migration ${migration.version}: a table that is not a MergeTree`, text);
  const key = shardingKeyOf(text);
  const local = ident(db, localTableOf(table));
  return [
    replaceIdentifier(statement, ident(db, table), local),
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, table)} AS ${local} ENGINE = Distributed(${ident(cluster)}, ${ident(db)}, ${ident(localTableOf(table))}, cityHash64(${joinSql(key.map((c) => ident(c)), ', ')}))`,
  ];
}

function notUnderstood(why: string, text: string): ClvError {
  return new ClvError(ErrorCodes.INVALID_CONFIG, `sharded ClickHouse migrations: ${why}: ${text.trim().slice(0, 160)}`);
}
