/**
 * `clv reconcile` in the embedded mode (app/reconcile-statements.ts): a generated shop's
 * events go through the embedded pipeline and its analytics sink into the in-memory tables,
 * as in `clv demo`; its settlement statement is reconciled against them. Every planted
 * discrepancy is found, a clean statement reports none, and the report, the metrics file and
 * the exit code say so. (tests/integration/reconcile-clickhouse.test.ts: the same on ClickHouse.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { embeddedPipeline } from '../app/embedded.js';
import { createLogger } from '../app/logger.js';
import { reconcileInto, reconcileStatements } from '../app/reconcile-statements.js';
import { loadConfig } from '../config/config.js';
import { dayIndexOfDate } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { publishMessages } from '../producers/publish-messages.js';
import { DiscrepancyKinds } from '../reconciliation/discrepancy.js';
import { settlementScenario, type SettlementScenario } from './support/settlement-scenario.js';

const config = loadConfig({});
const dir = mkdtempSync(join(tmpdir(), 'clv-reconcile-'));
const scenarios = { clean: settlementScenario({ seed: 11 }), planted: settlementScenario({ seed: 11, plant: true }) };
const embedded = { clean: embeddedPipeline(config, createLogger('silent')), planted: embeddedPipeline(config, createLogger('silent')) };

/** The scenario's events through the embedded pipeline and sink, as a producer would send them. */
async function stream(e: ReturnType<typeof embeddedPipeline>, s: SettlementScenario): Promise<void> {
  await e.pipeline.start();
  const sink = await e.startSink();
  await publishMessages(e.log, e.codec, s.events.map((value) => ({ topic: value.type.startsWith('ORDER') ? 'commerce.orders.v1' : 'commerce.payments.v1', key: value.customer_id, value })));
  await e.pipeline.waitUntilIdle(1);
  await sink.waitUntilIdle(1);
  await sink.stop();
  await e.pipeline.stop();
}

function statementFile(name: string, s: SettlementScenario): string {
  const path = join(dir, name);
  writeFileSync(path, s.statementCsv);
  return path;
}

before(async () => {
  await stream(embedded.clean, scenarios.clean);
  await stream(embedded.planted, scenarios.planted);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('embedded: every planted discrepancy is found in the in-memory tables, and nothing else', async () => {
  const s = scenarios.planted;
  const result = await reconcileStatements(embedded.planted.analytics, config, { statements: statementFile('planted.csv', s), settlementLagDays: s.settlementLagDays });
  assert.deepEqual(new Set(s.planted.map((p) => p.kind)), new Set(DiscrepancyKinds));
  assert.deepEqual(result.discrepancies.map((d) => `${d.kind} ${d.orderId} ${d.reference}`).sort(), s.planted.map((p) => `${p.kind} ${p.orderId} ${p.reference}`).sort());
  // The pipeline dead-lettered the foreign-currency and negative copies; the sink kept their raw rows, reconciliation left them out.
  assert.equal(result.summary.ignoredStreamEvents, 2);
});

test('embedded: the command\'s outputs on a planted statement: report rows, metrics file with every kind, exit code 1', async () => {
  const s = scenarios.planted;
  const out = join(dir, 'report.csv');
  const metricsFile = join(dir, 'clv-reconcile.prom');
  const code = await reconcileInto(embedded.planted.analytics, config, {
    statements: statementFile('planted.csv', s), settlementLagDays: s.settlementLagDays, out, metricsFile, now: () => Date.UTC(2024, 3, 1),
  });
  assert.equal(code, 1);
  const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>>;
  assert.deepEqual(rows.map((r) => r.kind), [...DiscrepancyKinds], 'one row per planted discrepancy, in kind order');
  const metrics = readFileSync(metricsFile, 'utf8');
  for (const kind of DiscrepancyKinds) assert.match(metrics, new RegExp(`^clv_reconciliation_discrepancies\\{kind="${kind}"\\} 1$`, 'm'));
  assert.match(metrics, /^clv_reconciliation_last_run_timestamp_seconds 1711929600$/m);
  assert.match(metrics, new RegExp(`^clv_reconciliation_statement_lines ${s.lines}$`, 'm'));
});

test('embedded: a clean statement reconciles with no discrepancy, exit code 0, every kind at 0 in the metrics', async () => {
  const s = scenarios.clean;
  const out = join(dir, 'clean-report.csv');
  const metricsFile = join(dir, 'clean.prom');
  const code = await reconcileInto(embedded.clean.analytics, config, { statements: statementFile('clean.csv', s), settlementLagDays: s.settlementLagDays, out, metricsFile });
  assert.equal(code, 0);
  assert.equal(readFileSync(out, 'utf8'), 'kind,order_id,reference,expected,actual,statement_line,detail\n');
  for (const kind of DiscrepancyKinds) assert.match(readFileSync(metricsFile, 'utf8'), new RegExp(`^clv_reconciliation_discrepancies\\{kind="${kind}"\\} 0$`, 'm'));
});

test('embedded: the clean statement against the planted shop\'s tables is not clean (the stream side counts)', async () => {
  // The planted shop's stream has an order paid twice and a capture without an order that the clean statement does not settle.
  const result = await reconcileStatements(embedded.planted.analytics, config, { statements: statementFile('clean.csv', scenarios.clean), settlementLagDays: 2 });
  assert.ok(result.summary.countsByKind.order_paid_twice === 1 && result.summary.countsByKind.capture_without_order === 1, JSON.stringify(result.summary.countsByKind));
});

test('bad input stops before anything is read or written: a missing file, a bad line, an empty statement without days, --to before --from', async () => {
  const bad = (o: Parameters<typeof reconcileStatements>[2], message: RegExp) =>
    assert.rejects(reconcileStatements(embedded.clean.analytics, config, o), (e: unknown) => e instanceof ClvError && message.test(e.message));
  await bad({ statements: join(dir, 'nope.csv'), settlementLagDays: 2 }, /--statements .*nope\.csv: no such file/);
  writeFileSync(join(dir, 'bad.csv'), 'reference,order_id,amount,currency,date\nP1,O1,1.00,USD,2024-03-05\nP2,O2,abc,USD,2024-03-05\n');
  await bad({ statements: join(dir, 'bad.csv'), settlementLagDays: 2 }, /bad\.csv:3: amount "abc" is not a decimal number/);
  writeFileSync(join(dir, 'empty.csv'), 'reference,order_id,amount,currency,date\n');
  await bad({ statements: join(dir, 'empty.csv'), settlementLagDays: 2 }, /has no lines: give --from and --to/);
  await bad({ statements: join(dir, 'empty.csv'), settlementLagDays: 2, fromDay: 5, toDay: 4 }, /--to must not be before --from/);
  await assert.rejects(reconcileStatements(embedded.clean.analytics, config, { statements: join(dir, 'bad.csv'), settlementLagDays: 2 }), (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INVALID_INPUT_FILE);
});

test('an empty statement for days with captures reports every capture of those days as not settled', async () => {
  const from = dayIndexOfDate('2024-03-06');
  const result = await reconcileStatements(embedded.clean.analytics, config, { statements: join(dir, 'empty.csv'), settlementLagDays: 2, fromDay: from, toDay: from });
  assert.ok(result.summary.streamCaptures > 5);
  assert.equal(result.summary.countsByKind.captured_not_settled, result.summary.streamCaptures);
});
