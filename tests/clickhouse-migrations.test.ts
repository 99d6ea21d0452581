import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrations } from '../adapters/clickhouse/migrations/index.js';
import { renderQuoted } from '../adapters/clickhouse/sql.js';
import { clickhouseColumns } from '../adapters/clickhouse/table-columns.js';
import { analyticsColumns, type AnalyticsTable } from '../core/ports/analytics-store.js';

const tables = Object.keys(analyticsColumns) as AnalyticsTable[];

test('clickhouse migrations: versions increase from 1 and every table has a CREATE TABLE with its columns (plus later ADD COLUMNs)', () => {
  assert.deepEqual(migrations.map((m) => m.version), migrations.map((_, i) => i + 1));
  const ddl = migrations.flatMap((m) => [...m.statements('clv'), ...(m.addColumns?.('clv') ?? []).map((a) => a.statement)].map(renderQuoted)).join('\n');
  for (const table of tables) {
    const start = ddl.indexOf(`CREATE TABLE IF NOT EXISTS \`clv\`.\`${table}\` (`);
    assert.ok(start >= 0, `no CREATE TABLE for ${table}`);
    const columns = declaredColumns(ddl.slice(ddl.indexOf('(', start) + 1));
    for (const [, name, type] of ddl.matchAll(new RegExp(`ALTER TABLE \`clv\`\\.\`${table}\` ADD COLUMN \`(\\w+)\` (\\S+)`, 'g'))) columns[name] = type;
    assert.deepEqual(columns, clickhouseColumns(table), table);
  }
  assert.doesNotMatch(ddl, /DateTime64|\bMap\(|\bOVER\s*\(|\{\w+:\w+|ADD COLUMN IF NOT EXISTS/, 'nothing 18.16 lacks');
  for (const m of migrations) {
    for (const a of m.addColumns?.('clv') ?? []) assert.ok(renderQuoted(a.statement).startsWith(`ALTER TABLE \`clv\`.\`${a.table}\` ADD COLUMN \`${a.column}\` `), `${m.name}: ${a.column}`);
  }
});

/** name → type of a column list, up to its closing parenthesis (commas inside types ignored). */
function declaredColumns(text: string): Record<string, string> {
  const columns: Record<string, string> = {};
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (depth === 0 && (c === ',' || c === ')')) {
      const [name, ...type] = current.trim().split(/\s+/);
      columns[name] = type.join(' ');
      current = '';
      if (c === ')') return columns;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    current += c;
  }
  throw new Error('unterminated column list');
}
