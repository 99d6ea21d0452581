import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrations } from '../adapters/clickhouse/migrations/index.js';
import { renderQuoted } from '../adapters/clickhouse/sql.js';
import { clickhouseColumns } from '../adapters/clickhouse/table-columns.js';
import { analyticsColumns, type AnalyticsTable } from '../core/ports/analytics-store.js';

const tables = Object.keys(analyticsColumns) as AnalyticsTable[];

test('clickhouse migrations: versions increase from 1 and every table has a CREATE TABLE with its columns', () => {
  assert.deepEqual(migrations.map((m) => m.version), migrations.map((_, i) => i + 1));
  const ddl = migrations.flatMap((m) => m.statements('clv').map(renderQuoted)).join('\n');
  for (const table of tables) {
    const start = ddl.indexOf(`CREATE TABLE IF NOT EXISTS \`clv\`.\`${table}\` (`);
    assert.ok(start >= 0, `no CREATE TABLE for ${table}`);
    assert.deepEqual(declaredColumns(ddl.slice(ddl.indexOf('(', start) + 1)), clickhouseColumns(table), table);
  }
  assert.doesNotMatch(ddl, /DateTime64|Map\(|\bOVER\s*\(|\{\w+:\w+/, 'nothing 18.16 lacks');
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
