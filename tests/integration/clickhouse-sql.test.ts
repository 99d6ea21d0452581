import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ident, sql, typed } from '../../adapters/clickhouse/sql.js';
import { nastyStrings } from '../support/analytics-store-contract.js';
import { openTestDatabase } from './clickhouse-test-database.js';

test('clickhouse sql: quoted values round-trip exactly through a real INSERT … VALUES and SELECT … WHERE', async () => {
  const db = await openTestDatabase('clv_sql');
  try {
    const { connection } = db.store;
    const table = ident(db.database, 'quoting');
    await connection.command(sql`CREATE TABLE ${table} (id Int64, s String, tags Array(String), n Nullable(String), x Float64, big Int64, at DateTime('UTC')) ENGINE = MergeTree() ORDER BY id`);
    const at = new Date(Date.UTC(1997, 0, 1, 23, 59, 59));
    for (const [i, s] of nastyStrings.entries()) {
      await connection.command(sql`INSERT INTO ${table} VALUES (${i}, ${s}, ${[s, s + "'"]}, ${typed(i % 2 ? null : s, 'Nullable(String)')}, ${-(i + 0.1)}, ${-(2n ** 63n)}, ${at})`);
    }
    const rows = await connection.select<{ id: string; s: string; tags: string[]; n: string | null; x: number; big: string; at: string }>(
      sql`SELECT id, s, tags, n, x, big, toString(at) AS at FROM ${table} ORDER BY id`);
    assert.deepEqual(rows.map((r) => r.s), nastyStrings);
    assert.deepEqual(rows.map((r) => r.tags), nastyStrings.map((s) => [s, s + "'"]));
    assert.deepEqual(rows.map((r) => r.n), nastyStrings.map((s, i) => (i % 2 ? null : s)));
    assert.deepEqual(rows.map((r) => r.x), nastyStrings.map((_, i) => -(i + 0.1)));
    assert.ok(rows.every((r) => r.big === '-9223372036854775808' && r.at === '1997-01-01 23:59:59'));
    for (const [i, s] of nastyStrings.entries()) {
      const found = await connection.select<{ id: string }>(sql`SELECT id FROM ${table} WHERE s = ${s} AND has(tags, ${s + "'"}) AND at = ${at}`);
      assert.deepEqual(found.map((r) => Number(r.id)), [i], JSON.stringify(s));
    }
    const tables = await connection.select<{ name: string }>(sql`SELECT name FROM system.tables WHERE database = ${db.database} AND name = ${'quoting'}`);
    assert.equal(tables.length, 1, "the '; DROP TABLE string did not drop anything");
  } finally {
    await db.close();
  }
});
