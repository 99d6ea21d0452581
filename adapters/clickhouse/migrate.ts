/**
 * Applies the migrations of `migrations/` once each, in version order, recording each in
 * `<database>.schema_migrations` (version, name, applied_at). Re-running is a no-op.
 *
 * Safe to run from several instances at once: every statement is `IF NOT EXISTS` (columns are
 * added only where system.columns lacks them: ColumnAddition), and the
 * bookkeeping table is a ReplacingMergeTree on version, so two instances that both apply a
 * migration leave one row. A migration that failed half-way has no row and runs again.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { ClickHouseConnection } from './clickhouse-connection.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';
import type { ColumnAddition } from './migrations/migration.js';
import { ident, sql } from './sql.js';

export interface MigrationReport {
  applied: Migration[];
  alreadyApplied: Migration[];
}

export async function migrate(
  connection: ClickHouseConnection,
  database: string,
  migrations: readonly Migration[] = allMigrations,
  now: () => number = Date.now,
): Promise<MigrationReport> {
  checkOrder(migrations);
  await connection.command(sql`CREATE DATABASE IF NOT EXISTS ${ident(database)}`);
  const table = ident(database, 'schema_migrations');
  await connection.command(sql`CREATE TABLE IF NOT EXISTS ${table} (version UInt32, name String, applied_at DateTime('UTC'))
    ENGINE = ReplacingMergeTree() ORDER BY version`);
  const rows = await connection.select<{ version: number; name: string }>(sql`SELECT version, name FROM ${table} FINAL`);
  const done = new Map(rows.map((r) => [Number(r.version), r.name]));

  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    const recorded = done.get(migration.version);
    if (recorded !== undefined) {
      // A different name under the same version means the history was rewritten.
      if (recorded !== migration.name) {
        throw new ClvError(ErrorCodes.INVALID_CONFIG, `${database}.schema_migrations has version ${migration.version} as "${recorded}", this build calls it "${migration.name}"`);
      }
      report.alreadyApplied.push(migration);
      continue;
    }
    for (const statement of migration.statements(database)) await connection.command(statement);
    for (const addition of migration.addColumns?.(database) ?? []) await addColumn(connection, database, addition);
    await connection.insert(table, ['version', 'name', 'applied_at'], [
      { version: migration.version, name: migration.name, applied_at: Math.floor(now() / 1000) },
    ]);
    report.applied.push(migration);
  }
  return report;
}

/** Adds the column unless present; a concurrent migrator adding it first is not an error. */
async function addColumn(connection: ClickHouseConnection, database: string, a: ColumnAddition): Promise<void> {
  const present = async () => (await connection.select<{ n: string | number }>(
    sql`SELECT count() AS n FROM system.columns WHERE database = ${database} AND table = ${a.table} AND name = ${a.column}`,
  )).some((r) => Number(r.n) > 0);
  if (await present()) return;
  try {
    await connection.command(a.statement);
  } catch (e) {
    if (!(await present())) throw e;
  }
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version < 1 || (i > 0 && m.version <= migrations[i - 1].version)) {
      throw new ClvError(ErrorCodes.INVALID_CONFIG, `migration versions must increase from 1: ${migrations.map((x) => x.version).join(', ')}`);
    }
  });
}
