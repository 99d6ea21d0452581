/**
 * What `clv reconcile` writes: the report as CSV, one row per discrepancy, and the summary
 * printed on the terminal. Pure text; the command writes it where it is told.
 */
import { dateOfDayIndex } from '../core/calendar.js';
import { formatMinor } from './currency-amount.js';
import { DiscrepancyKinds, type Discrepancy } from './discrepancy.js';
import type { ReconciliationSummary } from './reconcile-settlements.js';

/** The report's columns, in order. */
export const REPORT_COLUMNS = ['kind', 'order_id', 'reference', 'expected', 'actual', 'statement_line', 'detail'] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The report: a header row, then one row per discrepancy; CRLF-free, ends with a newline. */
export function reconciliationReportCsv(discrepancies: readonly Discrepancy[]): string {
  const rows = discrepancies.map((d) => [d.kind, d.orderId, d.reference, d.expected, d.actual, d.statementLine === null ? '' : String(d.statementLine), d.detail]);
  return [REPORT_COLUMNS.join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}

/** The summary for the terminal: window, lines matched, counts per kind, totals per currency. */
export function reconciliationSummaryText(s: ReconciliationSummary): string {
  const window = s.window.toDay < s.window.fromDay
    ? 'no days (the statement is shorter than the settlement lag): only its lines are checked'
    : `${dateOfDayIndex(s.window.fromDay)} to ${dateOfDayIndex(s.window.toDay)}`;
  const width = Math.max(...DiscrepancyKinds.map((k) => k.length));
  const out = [
    `stream days reconciled: ${window}`,
    `statement lines: ${s.statementLines} (${s.matchedLines} met a capture or refund)`,
    `stream: ${s.streamCaptures} captures and ${s.streamRefunds} refunds on those days` +
      (s.ignoredStreamEvents > 0 ? `; ${s.ignoredStreamEvents} events left out (the pipeline dead-letters them)` : ''),
    'discrepancies:',
    ...DiscrepancyKinds.map((k) => `  ${k.padEnd(width)}  ${s.countsByKind[k]}`),
    `  ${'total'.padEnd(width)}  ${s.discrepancies}`,
  ];
  const currencies = [...new Set([...Object.keys(s.settledMinorByCurrency), ...Object.keys(s.expectedMinorByCurrency)])].sort();
  for (const c of currencies) {
    const settled = s.settledMinorByCurrency[c] ?? 0;
    const expected = s.expectedMinorByCurrency[c] ?? 0;
    out.push(`${c}: settled ${formatMinor(settled, c)} on the statement; captured − refunded on the reconciled days ${formatMinor(expected, c)} (difference ${formatMinor(settled - expected, c)})`);
  }
  out.push(s.discrepancies === 0 ? 'clean: every line matched and nothing is missing' : `${s.discrepancies} discrepanc${s.discrepancies === 1 ? 'y' : 'ies'} found`);
  return out.join('\n') + '\n';
}
