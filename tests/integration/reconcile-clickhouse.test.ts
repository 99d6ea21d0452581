/**
 * `clv reconcile` on the real ClickHouse (18.16 here): a generated shop's orders and payments
 * are written to a run-scoped database as the sink writes them (consumers/clickhouse-sink
 * rows, redeliveries included), and the built CLI reconciles its statements against the
 * expected_settlements view — every planted discrepancy found (exit 1), a clean statement
 * clean (exit 0), a bad file refused naming its line (exit 2). Needs `npm run build`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { rowsOfEvent } from '../../consumers/clickhouse-sink/analytics-rows.js';
import type { AnalyticsTable } from '../../core/ports/analytics-store.js';
import { Topics } from '../../core/topics.js';
import { DiscrepancyKinds } from '../../reconciliation/discrepancy.js';
import { settlementScenario, type SettlementScenario } from '../support/settlement-scenario.js';
import { openTestDatabase, type TestDatabase } from './clickhouse-test-database.js';
import { clv } from './support/stack.js';

const root = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'clv-itest-reconcile-'));
const scenarios = { clean: settlementScenario({ seed: 21 }), planted: settlementScenario({ seed: 21, plant: true }) };
const databases: Partial<Record<keyof typeof scenarios, TestDatabase>> = {};

async function load(s: SettlementScenario): Promise<TestDatabase> {
  const db = await openTestDatabase('clv_reconcile');
  const byTable = new Map<AnalyticsTable, object[]>();
  for (const e of s.events) {
    for (const { table, row } of rowsOfEvent(e.type.startsWith('ORDER') ? Topics.orders : Topics.payments, e)) {
      byTable.set(table, [...(byTable.get(table) ?? []), row]);
    }
  }
  for (const [table, rows] of byTable) await db.store.insert(table, rows as never[]);
  return db;
}

let runs = 0;

async function reconcile(database: string, statement: string, extra: string[] = []) {
  const out = join(dir, `report-${++runs}.csv`);
  const p = clv(['reconcile', '--statements', statement, '--out', out, '--settlement-days', '2', ...extra], { CLV_CLICKHOUSE_DATABASE: database });
  const code = await p.exited;
  return { code, output: p.output(), written: existsSync(out), rows: existsSync(out) ? parse(readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>> : [] };
}

before(async () => {
  if (!existsSync(join(root, 'dist', 'cli', 'clv.js'))) throw new Error('dist/cli/clv.js is missing: run `npm run build` first');
  databases.clean = await load(scenarios.clean);
  databases.planted = await load(scenarios.planted);
  writeFileSync(join(dir, 'clean.csv'), scenarios.clean.statementCsv);
  writeFileSync(join(dir, 'planted.csv'), scenarios.planted.statementCsv);
});

after(async () => {
  for (const db of Object.values(databases)) await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('clv reconcile on ClickHouse finds every planted discrepancy, one of each kind, and exits 1', async () => {
  const r = await reconcile(databases.planted!.database, join(dir, 'planted.csv'), ['--metrics-file', join(dir, 'planted.prom')]);
  assert.equal(r.code, 1, r.output);
  assert.deepEqual(r.rows.map((row) => `${row.kind} ${row.order_id} ${row.reference}`).sort(), scenarios.planted.planted.map((p) => `${p.kind} ${p.orderId} ${p.reference}`).sort());
  assert.deepEqual(r.rows.map((row) => row.kind), [...DiscrepancyKinds]);
  assert.match(r.output, /^ {2}total +10$/m);
  assert.match(r.output, /2 events left out \(the pipeline dead-letters them\)/);
  assert.match(readFileSync(join(dir, 'planted.prom'), 'utf8'), /^clv_reconciliation_discrepancies\{kind="order_paid_twice"\} 1$/m);
});

test('clv reconcile on ClickHouse: a clean statement reports nothing and exits 0', async () => {
  const r = await reconcile(databases.clean!.database, join(dir, 'clean.csv'));
  assert.equal(r.code, 0, r.output);
  assert.deepEqual(r.rows, []);
  assert.match(r.output, new RegExp(`statement lines: ${scenarios.clean.lines} \\(${scenarios.clean.lines} met a capture or refund\\)`));
  assert.match(r.output, /clean: every line matched and nothing is missing/);
});

test('clv reconcile: a bad statement line is refused with its line number and exit code 2, nothing written', async () => {
  const lines = scenarios.clean.statementCsv.split('\n');
  lines[5] = lines[5].replace(/,USD,/, ',US Dollar,');
  writeFileSync(join(dir, 'bad.csv'), lines.join('\n'));
  const r = await reconcile(databases.clean!.database, join(dir, 'bad.csv'));
  assert.equal(r.code, 2);
  assert.match(r.output, /^clv: .*bad\.csv:6: currency "US Dollar" is not a three-letter ISO 4217 code \[CLV_INVALID_INPUT_FILE\]$/m);
  assert.equal(r.written, false, 'no report');
});
