/** The reconciliation report (reconciliation/reconciliation-report.ts): CSV a spreadsheet reads back, and the terminal summary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { dayIndexOfDate } from '../core/calendar.js';
import { DiscrepancyKinds, type Discrepancy } from '../reconciliation/discrepancy.js';
import type { ReconciliationSummary } from '../reconciliation/reconcile-settlements.js';
import { REPORT_COLUMNS, reconciliationReportCsv, reconciliationSummaryText } from '../reconciliation/reconciliation-report.js';

const discrepancies: Discrepancy[] = [
  { kind: 'order_paid_twice', orderId: 'O1', reference: 'P1 P2', expected: '10.00 USD', actual: '20.00 USD', statementLine: null, detail: '2 captures (10.00 USD + 10.00 USD), net 20.00 USD' },
  { kind: 'amount_mismatch', orderId: 'O "quoted"', reference: 'P,3', expected: '1.00 USD', actual: '2.00 USD', statementLine: 7, detail: 'line\nbreak' },
];

test('the CSV report has the documented columns and reads back field for field', () => {
  const csv = reconciliationReportCsv(discrepancies);
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]), [...REPORT_COLUMNS]);
  assert.deepEqual(rows.map((r) => [r.kind, r.order_id, r.reference, r.expected, r.actual, r.statement_line, r.detail]),
    discrepancies.map((d) => [d.kind, d.orderId, d.reference, d.expected, d.actual, d.statementLine === null ? '' : String(d.statementLine), d.detail]));
  assert.equal(reconciliationReportCsv([]), `${REPORT_COLUMNS.join(',')}\n`, 'a clean run: the header only');
});

const summary = (counts: Partial<Record<(typeof DiscrepancyKinds)[number], number>>): ReconciliationSummary => {
  const countsByKind = Object.fromEntries(DiscrepancyKinds.map((k) => [k, counts[k] ?? 0])) as ReconciliationSummary['countsByKind'];
  return {
    window: { fromDay: dayIndexOfDate('2024-03-04'), toDay: dayIndexOfDate('2024-03-15') }, statementLines: 176, matchedLines: 173, streamCaptures: 140, streamRefunds: 8,
    ignoredStreamEvents: 2, countsByKind, discrepancies: Object.values(countsByKind).reduce((a, b) => a + b, 0),
    settledMinorByCurrency: { USD: 2327753 }, expectedMinorByCurrency: { USD: 2045012, EUR: -5 },
  };
};

test('the summary lists every kind with its count, the totals per currency and the verdict', () => {
  const text = reconciliationSummaryText(summary({ amount_mismatch: 2, order_paid_twice: 1 }));
  assert.match(text, /stream days reconciled: 2024-03-04 to 2024-03-15/);
  assert.match(text, /statement lines: 176 \(173 met a capture or refund\)/);
  assert.match(text, /2 events left out \(the pipeline dead-letters them\)/);
  for (const kind of DiscrepancyKinds) assert.match(text, new RegExp(`^  ${kind} +${kind === 'amount_mismatch' ? 2 : kind === 'order_paid_twice' ? 1 : 0}$`, 'm'));
  assert.match(text, /^ {2}total +3$/m);
  assert.match(text, /^EUR: settled 0\.00 on the statement; captured − refunded on the reconciled days -0\.05 \(difference 0\.05\)$/m);
  assert.match(text, /^USD: settled 23277\.53 .* 20450\.12 \(difference 2827\.41\)$/m);
  assert.match(text, /3 discrepancies found\n$/);
  assert.match(reconciliationSummaryText(summary({})), /clean: every line matched and nothing is missing\n$/);
});
