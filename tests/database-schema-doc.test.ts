/**
 * docs/database-schema.md is what scripts/docs/database-schema-doc.ts makes of the ClickHouse
 * migrations, the Redis key layout and schemas/*.avsc: regenerate it (`npm run docs:schema`)
 * when one of them changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { clickhouseColumns } from '../adapters/clickhouse/table-columns.js';
import { analyticsColumns, type AnalyticsTable } from '../core/ports/analytics-store.js';
import { databaseSchemaMarkdown, DOC, ledgerTtlDays, redisNamespaces, replayMigrations, splitTopLevel } from '../scripts/docs/database-schema-doc.js';

test('docs/database-schema.md is generated from the migrations, the key layout and the schemas, unedited (npm run docs:schema)', () => {
  assert.equal(readFileSync(DOC, 'utf8'), databaseSchemaMarkdown());
});

test('the replayed migrations give every analytics table the columns the sink writes, with their types', () => {
  const objects = replayMigrations();
  for (const table of Object.keys(analyticsColumns) as AnalyticsTable[]) {
    const replayed = objects.get(table);
    assert.equal(replayed?.kind, 'table', table);
    if (replayed?.kind !== 'table') continue;
    assert.deepEqual(Object.fromEntries(replayed.columns.map((c) => [c.name, c.type])), clickhouseColumns(table), table);
  }
});

test('the Redis namespaces documented are the ones the production adapters and the API open, ledgers with their TTL', () => {
  // Both open them through app/redis-state-stores.ts.
  const opened = ['app/production.ts', 'app/api-server.ts', 'app/redis-state-stores.ts'].flatMap((f) =>
    [...readFileSync(new URL(`../${f}`, import.meta.url), 'utf8').matchAll(/namespace: (?:scoped\()?'([A-Za-z0-9_.-]+)'/g)].map((m) => m[1]));
  assert.deepEqual([...new Set(opened)].sort(), [...redisNamespaces()].sort());
  assert.ok(ledgerTtlDays() > 0);
});

test('splitTopLevel splits outside parentheses and quotes only', () => {
  assert.deepEqual(splitTopLevel("a Nullable(Int64), b DateTime('UTC, x'), c Array(String)", ','), ['a Nullable(Int64)', "b DateTime('UTC, x')", 'c Array(String)']);
});
