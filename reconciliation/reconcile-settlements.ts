/**
 * Settlement reconciliation as a pure function: the provider's statement lines against the
 * stream's captures, refunds and orders, as plain rows. The seed's `reconcile_payments` was an
 * outer join of transactions and bank statements reporting what is on one side only; this is
 * that join on the payment reference, plus the checks a join alone cannot make (amounts,
 * currencies, orders, duplicates, orders paid twice).
 *
 * How the two sides meet:
 * - A statement line's reference is the stream's `payment_id`. A positive line settles the
 *   capture of that payment, a negative line one refund of it (a refund event names the
 *   payment it refunds; a payment refunded in two parts has two refunds under one reference,
 *   matched to negative lines by amount first).
 * - The statement side is checked whole: every line must meet its capture or refund, whenever
 *   that happened. The stream side is checked over the reconciled days only (`window`): a
 *   capture or refund of those days that no line settles is missing from the statement.
 *   Captures before the window were settled by earlier statements; captures in the last
 *   settlement-lag days will be settled by the next one (defaultWindow).
 * - The stream side is the shop's books as the pipeline accepted them (stream-books.ts).
 */
import { dateOfDayIndex, type DayIndexer } from '../core/calendar.js';
import type { ValidationRules } from '../core/event-validation.js';
import type { PaymentEvent } from '../core/events.js';
import type { OrderRow } from '../core/ports/analytics-store.js';
import { formatMinor } from './currency-amount.js';
import { DiscrepancyKinds, type Discrepancy, type DiscrepancyKind } from './discrepancy.js';
import type { StatementLine } from './settlement-statement.js';
import { streamBooks } from './stream-books.js';

/** The reconciled days, inclusive day indices (core/calendar.ts); empty when toDay < fromDay. */
export interface ReconciliationWindow {
  fromDay: number;
  toDay: number;
}

export interface ReconciliationInput {
  lines: readonly StatementLine[];
  /** Captures and refunds (failed payments are ignored) of every order concerned: see AnalyticsStore.settlementCandidates. */
  payments: readonly PaymentEvent[];
  /** The order events of those orders. */
  orders: readonly OrderRow[];
  window: ReconciliationWindow;
  /** The day a capture or refund falls on (the shop's time zone). */
  dayOf: DayIndexer;
  /** The pipeline's rules: what it dead-letters is left out. */
  rules: ValidationRules;
}

export interface ReconciliationSummary {
  window: ReconciliationWindow;
  statementLines: number;
  /** Lines that met a capture or refund (whether or not their amounts agree). */
  matchedLines: number;
  /** Captures and refunds of the window days in the stream. */
  streamCaptures: number;
  streamRefunds: number;
  /** Stream captures, refunds and orders left out because the pipeline dead-letters them. */
  ignoredStreamEvents: number;
  /** Every kind, zero included. */
  countsByKind: Record<DiscrepancyKind, number>;
  discrepancies: number;
  /** Signed minor units per currency: the statement's total. */
  settledMinorByCurrency: Record<string, number>;
  /** Signed minor units per currency: captures − refunds of the window days in the stream. */
  expectedMinorByCurrency: Record<string, number>;
}

export interface ReconciliationResult {
  /** Sorted by kind (DiscrepancyKinds order), then statement line, order and reference. */
  discrepancies: Discrepancy[];
  summary: ReconciliationSummary;
}

/**
 * The days a statement covers on the stream side: from its first settlement date to its last
 * less the provider's settlement lag, so that a capture of day d, settled between d and
 * d + lag, is in the window only if its settlement must be in this file.
 */
export function defaultWindow(lines: readonly StatementLine[], settlementLagDays: number): ReconciliationWindow | null {
  if (lines.length === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const l of lines) {
    first = Math.min(first, l.day);
    last = Math.max(last, l.day);
  }
  return { fromDay: first, toDay: last - settlementLagDays };
}

const money = (minor: number, currency: string) => `${formatMinor(minor, currency)} ${currency}`;

export function reconcileSettlements(input: ReconciliationInput): ReconciliationResult {
  const { lines, window, dayOf, rules } = input;
  const out: Discrepancy[] = [];
  const report = (kind: DiscrepancyKind, d: Omit<Discrepancy, 'kind'>) => out.push({ kind, ...d });
  const dateOf = (ms: number) => dateOfDayIndex(dayOf(ms));
  const describe = (p: PaymentEvent) => `${p.type === 'PAYMENT_CAPTURED' ? 'capture' : 'refund'} of ${dateOf(p.event_time)}`;
  const inWindow = (p: PaymentEvent) => {
    const day = dayOf(p.event_time);
    return day >= window.fromDay && day <= window.toDay;
  };

  const { captureByRef, refundsByRef, orderAmount, ignored } = streamBooks(input.payments, input.orders, rules);

  // The statement side, line by line, against it.
  const settledCaptures = new Set<string>();
  const settledRefunds = new Set<string>();
  const firstPositiveLine = new Map<string, number>();
  let matched = 0;
  const compare = (line: StatementLine, p: PaymentEvent, expectedMinor: number) => {
    matched++;
    const at = { orderId: p.order_id, reference: line.reference, statementLine: line.line };
    if (line.currency !== p.currency) {
      report('currency_mismatch', { ...at, expected: p.currency, actual: line.currency, detail: `settled ${money(line.amountMinor, line.currency)} for a ${money(expectedMinor, p.currency)} ${describe(p)}` });
    } else if (line.amountMinor !== expectedMinor) {
      report('amount_mismatch', {
        ...at, expected: money(expectedMinor, p.currency), actual: money(line.amountMinor, line.currency),
        detail: `settled ${formatMinor(Math.abs(line.amountMinor - expectedMinor), p.currency)} ${p.currency} ${line.amountMinor > expectedMinor ? 'more' : 'less'} than the ${describe(p)}`,
      });
    }
    if (line.orderId !== p.order_id) {
      report('order_mismatch', { ...at, expected: p.order_id, actual: line.orderId, detail: `the statement names order ${line.orderId}; the ${describe(p)} is of order ${p.order_id}` });
    }
  };

  for (const line of lines) {
    if (line.amountMinor < 0) continue;
    const first = firstPositiveLine.get(line.reference);
    if (first !== undefined) {
      report('duplicate_settlement', {
        orderId: line.orderId, reference: line.reference, expected: `line ${first}`, actual: `line ${line.line}`, statementLine: line.line,
        detail: `the capture ${line.reference} is settled again (${money(line.amountMinor, line.currency)}); first at line ${first}`,
      });
      continue;
    }
    firstPositiveLine.set(line.reference, line.line);
    const capture = captureByRef.get(line.reference);
    if (!capture) {
      report('settled_not_captured', {
        orderId: line.orderId, reference: line.reference, expected: '', actual: money(line.amountMinor, line.currency), statementLine: line.line,
        detail: `settled ${money(line.amountMinor, line.currency)} under a reference no capture in the stream has`,
      });
      continue;
    }
    settledCaptures.add(line.reference);
    compare(line, capture, capture.amount_minor);
  }

  // Refund lines: exact matches (same reference, amount and currency) first, so that a line
  // with a wrong amount does not take the refund another line settles exactly.
  const refundLines = lines.filter((l) => l.amountMinor < 0);
  const openRefunds = (ref: string) => (refundsByRef.get(ref) ?? []).filter((r) => !settledRefunds.has(r.event_id));
  const rest: StatementLine[] = [];
  for (const line of refundLines) {
    const exact = openRefunds(line.reference).find((r) => r.currency === line.currency && -r.amount_minor === line.amountMinor);
    if (!exact) {
      rest.push(line);
      continue;
    }
    settledRefunds.add(exact.event_id);
    compare(line, exact, -exact.amount_minor);
  }
  for (const line of rest) {
    const all = refundsByRef.get(line.reference) ?? [];
    const open = openRefunds(line.reference);
    if (all.length === 0) {
      report('settled_not_refunded', {
        orderId: line.orderId, reference: line.reference, expected: '', actual: money(line.amountMinor, line.currency), statementLine: line.line,
        detail: captureByRef.has(line.reference)
          ? `a refund of ${money(-line.amountMinor, line.currency)} settled for a payment the stream never refunded`
          : `a refund of ${money(-line.amountMinor, line.currency)} settled under a reference the stream does not know`,
      });
    } else if (open.length === 0) {
      report('duplicate_settlement', {
        orderId: line.orderId, reference: line.reference, expected: `${all.length} refund line${all.length === 1 ? '' : 's'}`, actual: `line ${line.line}`, statementLine: line.line,
        detail: `every refund of ${line.reference} is settled already; this line settles ${money(line.amountMinor, line.currency)} more`,
      });
    } else {
      settledRefunds.add(open[0].event_id);
      compare(line, open[0], -open[0].amount_minor);
    }
  }

  // The stream side over the window: what the statement should have settled and did not.
  const expectedMinorByCurrency: Record<string, number> = {};
  const addExpected = (p: PaymentEvent, signed: number) => (expectedMinorByCurrency[p.currency] = (expectedMinorByCurrency[p.currency] ?? 0) + signed);
  let streamCaptures = 0;
  let streamRefunds = 0;
  const ordersConcerned = new Set<string>();
  for (const [ref, capture] of captureByRef) {
    const settled = settledCaptures.has(ref);
    if (settled) ordersConcerned.add(capture.order_id);
    if (!inWindow(capture)) continue;
    streamCaptures++;
    ordersConcerned.add(capture.order_id);
    addExpected(capture, capture.amount_minor);
    if (!settled) {
      report('captured_not_settled', {
        orderId: capture.order_id, reference: ref, expected: money(capture.amount_minor, capture.currency), actual: '', statementLine: null,
        detail: `captured on ${dateOf(capture.event_time)}; no line of the statement settles it`,
      });
    }
  }
  for (const [ref, refunds] of refundsByRef) {
    for (const refund of refunds) {
      const settled = settledRefunds.has(refund.event_id);
      if (settled) ordersConcerned.add(refund.order_id);
      if (!inWindow(refund)) continue;
      streamRefunds++;
      ordersConcerned.add(refund.order_id);
      addExpected(refund, -refund.amount_minor);
      if (!settled) {
        report('refund_not_settled', {
          orderId: refund.order_id, reference: ref, expected: money(-refund.amount_minor, refund.currency), actual: '', statementLine: null,
          detail: `refunded on ${dateOf(refund.event_time)}; no line of the statement settles it`,
        });
      }
    }
  }

  // The orders concerned: captures without an order, orders paid twice.
  const capturesOfOrder = new Map<string, PaymentEvent[]>();
  for (const capture of captureByRef.values()) {
    if (!ordersConcerned.has(capture.order_id)) continue;
    const list = capturesOfOrder.get(capture.order_id);
    if (list) list.push(capture);
    else capturesOfOrder.set(capture.order_id, [capture]);
  }
  const refundedOfOrder = new Map<string, number>();
  for (const refunds of refundsByRef.values()) {
    for (const r of refunds) if (ordersConcerned.has(r.order_id)) refundedOfOrder.set(r.order_id, (refundedOfOrder.get(r.order_id) ?? 0) + r.amount_minor);
  }
  for (const [orderId, captures] of capturesOfOrder) {
    const order = orderAmount.get(orderId);
    if (!order) {
      for (const c of captures) {
        report('capture_without_order', {
          orderId, reference: c.payment_id, expected: 'an ORDER_PLACED', actual: money(c.amount_minor, c.currency), statementLine: null,
          detail: `captured ${money(c.amount_minor, c.currency)} on ${dateOf(c.event_time)} for an order the stream never placed`,
        });
      }
      continue;
    }
    const captured = captures.reduce((s, c) => s + c.amount_minor, 0);
    const net = captured - (refundedOfOrder.get(orderId) ?? 0);
    if (captures.length >= 2 && net > order.amountMinor) {
      report('order_paid_twice', {
        orderId, reference: captures.map((c) => c.payment_id).join(' '), expected: money(order.amountMinor, order.currency), actual: money(net, order.currency), statementLine: null,
        detail: `${captures.length} captures (${captures.map((c) => money(c.amount_minor, c.currency)).join(' + ')}) for an order of ${money(order.amountMinor, order.currency)}, net of refunds ${money(net, order.currency)}`,
      });
    }
  }

  const rank = new Map<string, number>(DiscrepancyKinds.map((k, i) => [k, i]));
  out.sort((a, b) => rank.get(a.kind)! - rank.get(b.kind)! || (a.statementLine ?? Infinity) - (b.statementLine ?? Infinity)
    || compareText(a.orderId, b.orderId) || compareText(a.reference, b.reference));
  const countsByKind = Object.fromEntries(DiscrepancyKinds.map((k) => [k, 0])) as Record<DiscrepancyKind, number>;
  for (const d of out) countsByKind[d.kind]++;
  const settledMinorByCurrency: Record<string, number> = {};
  for (const l of lines) settledMinorByCurrency[l.currency] = (settledMinorByCurrency[l.currency] ?? 0) + l.amountMinor;
  return {
    discrepancies: out,
    summary: {
      window, statementLines: lines.length, matchedLines: matched, streamCaptures, streamRefunds, ignoredStreamEvents: ignored,
      countsByKind, discrepancies: out.length, settledMinorByCurrency, expectedMinorByCurrency,
    },
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
