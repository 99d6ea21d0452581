import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '../../adapters/clickhouse/migrate.js';
import { migrations } from '../../adapters/clickhouse/migrations/index.js';
import { ident, sql } from '../../adapters/clickhouse/sql.js';
import { clickhouseColumns } from '../../adapters/clickhouse/table-columns.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { analyticsColumns, type AnalyticsTable } from '../../core/ports/analytics-store.js';
import { openTestDatabase } from './clickhouse-test-database.js';

const tables = Object.keys(analyticsColumns) as AnalyticsTable[];

test('clickhouse migrations: applied once each, in order; running again is a no-op', async () => {
  const db = await openTestDatabase('clv_migrations');
  try {
    const { connection } = db.store;
    const recorded = await connection.select<{ version: number; name: string; applied: string }>(
      sql`SELECT version, name, toString(applied_at) AS applied FROM ${ident(db.database, 'schema_migrations')} ORDER BY version`);
    assert.deepEqual(recorded.map((r) => [Number(r.version), r.name]), migrations.map((m) => [m.version, m.name]));
    const objects = () => connection.select<{ name: string; engine: string }>(sql`SELECT name, engine FROM system.tables WHERE database = ${db.database} ORDER BY name`);
    const before = await objects();
    const again = await migrate(connection, db.database);
    assert.deepEqual([again.applied.length, again.alreadyApplied.length], [0, migrations.length]);
    assert.deepEqual(await objects(), before);
    const count = await connection.select<{ n: string }>(sql`SELECT count() AS n FROM ${ident(db.database, 'schema_migrations')} FINAL`);
    assert.equal(Number(count[0].n), migrations.length);
    assert.deepEqual(before.filter((t) => t.engine === 'View').map((t) => t.name),
      ['clv_scores_latest', 'cohort_retention', 'customer_features_latest', 'daily_revenue', 'expected_settlements', 'purchases_latest', 'rfm_distribution']);
  } finally {
    await db.close();
  }
});

test('clickhouse migrations: tables have exactly the columns the store writes', async () => {
  const db = await openTestDatabase('clv_migrations');
  try {
    for (const table of tables) {
      const columns = await db.store.connection.select<{ name: string; type: string }>(
        sql`SELECT name, type FROM system.columns WHERE database = ${db.database} AND table = ${table} ORDER BY name`);
      const expected = Object.entries(clickhouseColumns(table)).sort(([a], [b]) => (a < b ? -1 : 1));
      assert.deepEqual(columns.map((c) => [c.name, c.type]), expected, table);
    }
  } finally {
    await db.close();
  }
});

test('clickhouse migrations: later migrations apply on top of earlier ones; a rewritten history is refused', async () => {
  const db = await openTestDatabase('clv_migrations');
  const fresh = `${db.database}_incremental`;
  try {
    const { connection } = db.store;
    const first = await migrate(connection, fresh, migrations.slice(0, 2));
    assert.deepEqual(first.applied.map((m) => m.version), [1, 2]);
    const rest = await migrate(connection, fresh);
    assert.deepEqual([rest.alreadyApplied.map((m) => m.version), rest.applied.map((m) => m.version)], [[1, 2], migrations.slice(2).map((m) => m.version)]);
    const renamed = migrations.map((m) => (m.version === 2 ? { ...m, name: 'something else' } : m));
    await assert.rejects(migrate(connection, fresh, renamed), (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INVALID_CONFIG && /version 2/.test(e.message));
    await assert.rejects(migrate(connection, 'bad-name; DROP DATABASE default'), (e: unknown) => e instanceof ClvError && /identifier/.test(e.message));
  } finally {
    await db.store.connection.command(sql`DROP DATABASE IF EXISTS ${ident(fresh)}`);
    await db.close();
  }
});

test('clickhouse migrations: a column migration that died half-way runs again, adding only the missing columns (18.16 has no ADD COLUMN IF NOT EXISTS)', async () => {
  const db = await openTestDatabase('clv_migrations');
  const fresh = `${db.database}_columns`;
  try {
    const { connection } = db.store;
    const withColumns = migrations.findIndex((m) => (m.addColumns?.(fresh).length ?? 0) > 1);
    assert.ok(withColumns >= 0);
    await migrate(connection, fresh, migrations.slice(0, withColumns));
    // As if the process died after the first ALTER, before recording the migration.
    const [first] = migrations[withColumns].addColumns!(fresh);
    await connection.command(first.statement);
    const rest = await migrate(connection, fresh);
    assert.ok(rest.applied.some((m) => m.version === migrations[withColumns].version));
    const table = first.table as AnalyticsTable;
    const columns = await connection.select<{ name: string; type: string }>(
      sql`SELECT name, type FROM system.columns WHERE database = ${fresh} AND table = ${table} ORDER BY name`);
    assert.deepEqual(columns.map((c) => [c.name, c.type]), Object.entries(clickhouseColumns(table)).sort(([a], [b]) => (a < b ? -1 : 1)));
  } finally {
    await db.store.connection.command(sql`DROP DATABASE IF EXISTS ${ident(fresh)}`);
    await db.close();
  }
});
