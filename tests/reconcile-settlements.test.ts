/**
 * Settlement reconciliation (reconciliation/reconcile-settlements.ts) on generated statements
 * (tests/support/settlement-scenario.ts): every planted discrepancy is found and nothing else,
 * a clean statement reports nothing; and small hand-made cases for each rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexer, dayIndexOfDate } from '../core/calendar.js';
import type { OrderEvent, PaymentEvent } from '../core/events.js';
import { orderRow } from '../consumers/clickhouse-sink/analytics-rows.js';
import { defaultWindow, reconcileSettlements, type ReconciliationResult } from '../reconciliation/reconcile-settlements.js';
import { DiscrepancyKinds } from '../reconciliation/discrepancy.js';
import { parseSettlementStatement, type StatementLine } from '../reconciliation/settlement-statement.js';
import { placed, payment } from './support/commerce-events.js';
import { settlementScenario } from './support/settlement-scenario.js';

const rules = { currency: 'USD', maxFutureSkewMs: 86_400_000, now: () => Date.UTC(2030, 0, 1) };
const dayOf = dayIndexer('UTC');

/** The stream as the analytics store holds it: each event once (by event_id). */
function storeRows(events: ReadonlyArray<OrderEvent | PaymentEvent>) {
  const unique = [...new Map(events.map((e) => [e.event_id, e])).values()];
  return {
    payments: unique.filter((e): e is PaymentEvent => e.type.startsWith('PAYMENT_')),
    orders: unique.filter((e): e is OrderEvent => e.type.startsWith('ORDER_')).map(orderRow),
  };
}

function reconcileScenario(seed: number, plant: boolean): { result: ReconciliationResult; scenario: ReturnType<typeof settlementScenario> } {
  const scenario = settlementScenario({ seed, plant });
  const lines = parseSettlementStatement(scenario.statementCsv, 'statement.csv');
  const window = defaultWindow(lines, scenario.settlementLagDays)!;
  return { scenario, result: reconcileSettlements({ lines, ...storeRows(scenario.events), window, dayOf, rules }) };
}

const found = (r: ReconciliationResult) => r.discrepancies.map((d) => `${d.kind} ${d.orderId} ${d.reference}`).sort();

for (const seed of [1, 2, 3, 4, 5]) {
  test(`seed ${seed}: a clean generated statement reconciles with no discrepancy`, () => {
    const { result, scenario } = reconcileScenario(seed, false);
    assert.deepEqual(found(result), []);
    assert.equal(result.summary.statementLines, scenario.lines);
    assert.equal(result.summary.matchedLines, scenario.lines, 'every line met its capture or refund');
    assert.ok(result.summary.streamCaptures > 100 && result.summary.streamRefunds > 3, JSON.stringify(result.summary));
    assert.equal(result.summary.ignoredStreamEvents, 2, 'the foreign-currency and negative copies the pipeline dead-letters');
  });

  test(`seed ${seed}: every planted discrepancy, one of each kind, is found and nothing else`, () => {
    const { result, scenario } = reconcileScenario(seed, true);
    assert.deepEqual(new Set(scenario.planted.map((p) => p.kind)), new Set(DiscrepancyKinds), 'the scenario plants every kind');
    assert.deepEqual(found(result), scenario.planted.map((p) => `${p.kind} ${p.orderId} ${p.reference}`).sort());
    for (const kind of DiscrepancyKinds) assert.equal(result.summary.countsByKind[kind], 1, kind);
    assert.equal(result.summary.discrepancies, DiscrepancyKinds.length);
  });
}

// --- the rules, one by one -------------------------------------------------------------

const T = Date.UTC(2024, 2, 5, 10);
const DAY = 86_400_000;
const windowOf = (from: string, to: string) => ({ fromDay: dayIndexOfDate(from), toDay: dayIndexOfDate(to) });
const line = (n: number, reference: string, orderId: string, amountMinor: number, currency = 'USD', date = '2024-03-06'): StatementLine =>
  ({ line: n, reference, orderId, amountMinor, currency, day: dayIndexOfDate(date) });
const run = (lines: StatementLine[], events: Array<OrderEvent | PaymentEvent>, window = windowOf('2024-03-05', '2024-03-05')) =>
  reconcileSettlements({ lines, ...storeRows(events), window, dayOf, rules });
const kinds = (r: ReconciliationResult) => r.discrepancies.map((d) => d.kind);
const capture = (order: string, amount: number, at = T, suffix = '') => payment('PAYMENT_CAPTURED', order, amount, at, suffix);
const refund = (order: string, amount: number, at: number, suffix = '') => payment('PAYMENT_REFUNDED', order, amount, at, suffix);

test('a refund in two parts settles as two negative lines, matched by amount whatever their order', () => {
  const events = [placed('O1', 3000, T), capture('O1', 3000), refund('O1', 1000, T + 1000, 'a'), refund('O1', 500, T + 2000, 'b')];
  const r = run([line(1, 'O1-pay', 'O1', 3000), line(2, 'O1-pay', 'O1', -500), line(3, 'O1-pay', 'O1', -1000)], events);
  assert.deepEqual(kinds(r), []);
  assert.equal(r.summary.matchedLines, 3);
});

test('a refund line with the wrong amount is an amount mismatch; settled again, a duplicate; none at all, not refunded', () => {
  const events = [placed('O1', 3000, T), capture('O1', 3000), refund('O1', 1000, T + 1000)];
  const wrong = run([line(1, 'O1-pay', 'O1', 3000), line(2, 'O1-pay', 'O1', -1200)], events);
  assert.deepEqual(wrong.discrepancies.map((d) => [d.kind, d.expected, d.actual]), [['amount_mismatch', '-10.00 USD', '-12.00 USD']]);
  const twice = run([line(1, 'O1-pay', 'O1', 3000), line(2, 'O1-pay', 'O1', -1000), line(3, 'O1-pay', 'O1', -1000)], events);
  assert.deepEqual(twice.discrepancies.map((d) => [d.kind, d.statementLine]), [['duplicate_settlement', 3]]);
  const never = run([line(1, 'O1-pay', 'O1', 3000), line(2, 'O1-pay', 'O1', -700)], [placed('O1', 3000, T), capture('O1', 3000)]);
  assert.deepEqual(kinds(never), ['settled_not_refunded']);
});

test('only captures and refunds of the window days must be on the statement', () => {
  const before = capture('O0', 100, T - DAY);
  const after = capture('O2', 100, T + DAY);
  const events = [placed('O0', 100, T - DAY), before, placed('O1', 100, T), capture('O1', 100), placed('O2', 100, T + DAY), after];
  assert.deepEqual(kinds(run([line(1, 'O1-pay', 'O1', 100)], events)), []);
  const r = run([], events);
  assert.deepEqual(r.discrepancies.map((d) => [d.kind, d.orderId, d.expected]), [['captured_not_settled', 'O1', '1.00 USD']]);
  // Settled late or early, a capture outside the window still matches its line.
  assert.deepEqual(kinds(run([line(1, 'O0-pay', 'O0', 100), line(2, 'O1-pay', 'O1', 100), line(3, 'O2-pay', 'O2', 100)], events)), []);
});

test('the window follows the shop\'s time zone', () => {
  // 23:30 UTC on the 4th is the 5th in Ho Chi Minh City (UTC+7).
  const late = Date.UTC(2024, 2, 4, 23, 30);
  const events = [placed('O1', 100, late), capture('O1', 100, late)];
  assert.deepEqual(kinds(reconcileSettlements({ lines: [], ...storeRows(events), window: windowOf('2024-03-05', '2024-03-05'), dayOf, rules })), []);
  assert.deepEqual(kinds(reconcileSettlements({ lines: [], ...storeRows(events), window: windowOf('2024-03-05', '2024-03-05'), dayOf: dayIndexer('Asia/Ho_Chi_Minh'), rules })), ['captured_not_settled']);
});

test('currency, amount and order are compared on a matched line; a currency mismatch is not also an amount mismatch', () => {
  const events = [placed('O1', 2500, T), capture('O1', 2500)];
  assert.deepEqual(kinds(run([line(1, 'O1-pay', 'O1', 2600, 'EUR')], events)), ['currency_mismatch']);
  const r = run([line(1, 'O1-pay', 'O9', 2400)], events);
  assert.deepEqual(r.discrepancies.map((d) => [d.kind, d.expected, d.actual]), [['amount_mismatch', '25.00 USD', '24.00 USD'], ['order_mismatch', 'O1', 'O9']]);
  assert.match(r.discrepancies[0].detail, /settled 1\.00 USD less than the capture of 2024-03-05/);
});

test('events the pipeline dead-letters are left out; a capture re-sent under a new event id counts once', () => {
  const c = capture('O1', 2500);
  const events = [placed('O1', 2500, T), c, { ...c, event_id: 'resent', event_time: T + 60_000 }, { ...c, event_id: 'eur', currency: 'EUR' }, { ...c, event_id: 'neg', amount_minor: -2500 }];
  const r = run([line(1, 'O1-pay', 'O1', 2500)], events);
  assert.deepEqual(kinds(r), []);
  assert.equal(r.summary.ignoredStreamEvents, 2);
  assert.equal(r.summary.streamCaptures, 1);
});

test('an order with two captures beyond its amount is paid twice, unless the excess was refunded', () => {
  const first = capture('O1', 2500);
  const second = { ...capture('O1', 2500, T + 3_600_000, 'b'), payment_id: 'O1-pay-b' };
  const lines = [line(1, 'O1-pay', 'O1', 2500), line(2, 'O1-pay-b', 'O1', 2500)];
  const r = run(lines, [placed('O1', 2500, T), first, second]);
  assert.deepEqual(r.discrepancies.map((d) => [d.kind, d.reference, d.expected, d.actual]), [['order_paid_twice', 'O1-pay O1-pay-b', '25.00 USD', '50.00 USD']]);
  const refunded = refund('O1', 2500, T + 7_200_000);
  assert.deepEqual(kinds(run([...lines, line(3, 'O1-pay', 'O1', -2500)], [placed('O1', 2500, T), first, second, refunded])), []);
  // Two partial captures that add up to the order are fine.
  const half = (suffix: string, at: number) => ({ ...capture('O2', 1250, at, suffix), payment_id: `O2-${suffix}` });
  assert.deepEqual(kinds(run([line(1, 'O2-a', 'O2', 1250), line(2, 'O2-b', 'O2', 1250)], [placed('O2', 2500, T), half('a', T), half('b', T + 1000)])), []);
});

test('a capture of an order never placed is reported once per capture', () => {
  const r = run([line(1, 'O7-pay', 'O7', 900)], [capture('O7', 900)]);
  assert.deepEqual(r.discrepancies.map((d) => [d.kind, d.orderId, d.reference, d.statementLine]), [['capture_without_order', 'O7', 'O7-pay', null]]);
});

test('failed payments are never expected on a statement', () => {
  const events = [placed('O1', 100, T), payment('PAYMENT_FAILED', 'O1', 100, T)];
  assert.deepEqual(kinds(run([], events)), []);
  assert.deepEqual(kinds(run([line(1, 'O1-pay', 'O1', 100)], events)), ['settled_not_captured']);
});

test('the report is sorted by kind, then statement line', () => {
  const events = [placed('O1', 100, T), capture('O1', 100), placed('O2', 100, T), capture('O2', 100)];
  const r = run([line(5, 'X', 'O9', 100), line(2, 'O1-pay', 'O1', 100), line(3, 'O1-pay', 'O1', 100), line(1, 'Y', 'O8', 100)], events);
  assert.deepEqual(r.discrepancies.map((d) => [d.kind, d.statementLine]), [
    ['settled_not_captured', 1], ['settled_not_captured', 5], ['captured_not_settled', null], ['duplicate_settlement', 3],
  ]);
});

test('defaultWindow: first settlement date to the last less the settlement lag; none for an empty statement', () => {
  const lines = [line(1, 'a', 'o', 1, 'USD', '2024-03-10'), line(2, 'b', 'o', 1, 'USD', '2024-03-04'), line(3, 'c', 'o', 1, 'USD', '2024-03-08')];
  assert.deepEqual(defaultWindow(lines, 2), windowOf('2024-03-04', '2024-03-08'));
  assert.equal(defaultWindow([], 2), null);
});
