/**
 * A seeded shop's orders, captures and refunds over a few weeks, and the settlement statement
 * its payment provider would send for them — clean, or with discrepancies of every kind
 * planted, each recorded so that a test can check that reconciliation finds exactly those.
 *
 * The stream carries what a real one does and reconciliation must not mistake for a
 * discrepancy: redelivered events (same event_id), failed payments, cancelled orders, late
 * captures, refunds in two parts, a capture re-sent under a new event id, events the pipeline
 * dead-letters (another currency, a negative amount) sharing a real payment's reference,
 * captures before the statement's days (settled by the previous statement) and in its last
 * settlement-lag days (settled by the next one).
 */
import { dateOfDayIndex, dayIndexOfDate, MS_PER_DAY } from '../../core/calendar.js';
import type { OrderEvent, PaymentEvent } from '../../core/events.js';
import { intBelow } from '../../producers/synthetic/distributions.js';
import { createRng, type Rng } from '../../producers/synthetic/prng.js';
import { formatMinor } from '../../reconciliation/currency-amount.js';
import type { DiscrepancyKind } from '../../reconciliation/discrepancy.js';

export interface SettlementScenarioOptions {
  seed: number;
  /** Orders placed per day. */
  ordersPerDay?: number;
  /** First settlement date of the statement, YYYY-MM-DD. */
  firstDate?: string;
  /** Settlement dates the statement covers. */
  days?: number;
  /** The provider settles a capture 0 to this many days after it. */
  settlementLagDays?: number;
  /** Plant one discrepancy of every kind (default false: a clean statement). */
  plant?: boolean;
}

export interface PlantedDiscrepancy {
  kind: DiscrepancyKind;
  orderId: string;
  reference: string;
}

export interface SettlementScenario {
  /** Order and payment events as delivered (redeliveries and dead-letter material included), by event time. */
  events: Array<OrderEvent | PaymentEvent>;
  statementCsv: string;
  planted: PlantedDiscrepancy[];
  settlementLagDays: number;
  /** Statement lines written. */
  lines: number;
}

interface Line {
  reference: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  day: number;
}

const CURRENCY = 'USD';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function settlementScenario(options: SettlementScenarioOptions): SettlementScenario {
  const { seed, ordersPerDay = 12, firstDate = '2024-03-04', days = 14, settlementLagDays = 2, plant = false } = options;
  const rng = createRng(seed, 7);
  const firstDay = dayIndexOfDate(firstDate);
  const lastDay = firstDay + days - 1;
  const events: Array<OrderEvent | PaymentEvent> = [];
  const lines: Line[] = [];
  const captures: PaymentEvent[] = [];
  const refundedRefs = new Set<string>();
  const refunds: PaymentEvent[] = [];
  const settle = (p: PaymentEvent, signed: number) => {
    const day = Math.floor(p.event_time / MS_PER_DAY) + intBelow(rng, settlementLagDays + 1);
    if (day >= firstDay && day <= lastDay) lines.push({ reference: p.payment_id, orderId: p.order_id, amountMinor: signed, currency: p.currency, day });
  };

  let seq = 0;
  // Orders from ten days before the statement's first date to its last: the earliest are
  // settled by the previous statement, the latest by the next.
  for (let day = firstDay - 10; day <= lastDay; day++) {
    for (let k = 0; k < ordersPerDay; k++) {
      const orderId = `O${seed}-${String(++seq).padStart(6, '0')}`;
      const customer = `C${seed}-${intBelow(rng, 200)}`;
      const placedAt = day * MS_PER_DAY + intBelow(rng, 20 * HOUR) + HOUR;
      const amount = 500 + intBelow(rng, 29_500);
      let eventNo = 0;
      const id = () => `${orderId}-e${++eventNo}`;
      const order: OrderEvent = { event_id: id(), event_time: placedAt, type: 'ORDER_PLACED', customer_id: customer, order_id: orderId, amount_minor: amount, currency: CURRENCY,
        line_items: [{ sku: 'sku-1', category: 'books', quantity: 1, unit_price_minor: amount }] };
      events.push(order);
      const u = rng();
      if (u < 0.05) {
        events.push({ ...order, event_id: id(), event_time: placedAt + 30 * MINUTE, type: 'ORDER_CANCELLED' });
        continue;
      }
      let attempt = 1;
      let at = placedAt + 2 * MINUTE;
      const pay = (type: PaymentEvent['type'], when: number, amountMinor: number): PaymentEvent =>
        ({ event_id: id(), event_time: when, type, customer_id: customer, order_id: orderId, payment_id: `P${orderId.slice(1)}-${attempt}`, amount_minor: amountMinor, currency: CURRENCY });
      if (u < 0.1) {
        events.push(pay('PAYMENT_FAILED', at, amount)); // declined, then paid on a second attempt
        attempt++;
        at += HOUR;
      }
      if (rng() < 0.05) at += MS_PER_DAY + intBelow(rng, 2 * MS_PER_DAY); // paid by transfer days later
      const capture = pay('PAYMENT_CAPTURED', at, amount);
      events.push(capture);
      captures.push(capture);
      settle(capture, amount);
      const r = rng();
      if (r < 0.08) {
        // A refund, in two parts now and then.
        const parts = r < 0.02 ? [Math.floor(amount / 3), Math.floor(amount / 4)] : [amount];
        let when = at + 2 * MS_PER_DAY + intBelow(rng, 3 * MS_PER_DAY);
        for (const part of parts) {
          const refund = pay('PAYMENT_REFUNDED', when, part);
          events.push(refund);
          refunds.push(refund);
          refundedRefs.add(refund.payment_id);
          settle(refund, -part);
          when += 6 * HOUR;
        }
      }
    }
  }

  // What a stream delivers besides: redeliveries, dead-letter material, a re-sent capture.
  const noiseRng = createRng(seed, 8);
  for (const e of [...events]) if (noiseRng() < 0.05) events.push({ ...e });
  const sample = (list: PaymentEvent[]) => list[intBelow(noiseRng, list.length)];
  const foreign = sample(captures);
  events.push({ ...foreign, event_id: `${foreign.event_id}-eur`, currency: 'EUR', event_time: foreign.event_time + MINUTE });
  const negative = sample(captures);
  events.push({ ...negative, event_id: `${negative.event_id}-neg`, amount_minor: -negative.amount_minor, event_time: negative.event_time + MINUTE });
  const resent = sample(captures);
  events.push({ ...resent, event_id: `${resent.event_id}-resent`, event_time: resent.event_time + 5 * MINUTE });

  const planted: PlantedDiscrepancy[] = [];
  if (plant) {
    // The stream days reconciliation will check (reconciliation/reconcile-settlements.ts defaultWindow).
    const dates = lines.map((l) => l.day);
    const window = { firstDay: Math.min(...dates), lastDay: Math.max(...dates) - settlementLagDays };
    plantDiscrepancies(createRng(seed, 9), { events, lines, captures, refunds, refundedRefs, ...window, planted });
  }
  lines.sort((a, b) => a.day - b.day || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : a.amountMinor - b.amountMinor));
  const csv = ['reference,order_id,amount,currency,date', ...lines.map((l) => `${l.reference},${l.orderId},${formatMinor(l.amountMinor, l.currency)},${l.currency},${dateOfDayIndex(l.day)}`)].join('\n') + '\n';
  events.sort((a, b) => a.event_time - b.event_time);
  return { events, statementCsv: csv, planted, settlementLagDays, lines: lines.length };
}

interface PlantContext {
  events: Array<OrderEvent | PaymentEvent>;
  lines: Line[];
  captures: PaymentEvent[];
  refunds: PaymentEvent[];
  refundedRefs: Set<string>;
  /** The stream days the statement must cover in full. */
  firstDay: number;
  lastDay: number;
  planted: PlantedDiscrepancy[];
}

/** One discrepancy of every kind, each on its own order so that none hides another. */
function plantDiscrepancies(rng: Rng, c: PlantContext): void {
  const used = new Set<string>();
  const inWindow = (p: PaymentEvent) => {
    const day = Math.floor(p.event_time / MS_PER_DAY);
    return day >= c.firstDay && day <= c.lastDay;
  };
  const lineOf = (ref: string, sign: 1 | -1) => c.lines.findIndex((l) => l.reference === ref && Math.sign(l.amountMinor) === sign);
  // Lines on the statement's first and last dates fix its window: they stay as they are.
  const movable = (ref: string, sign: 1 | -1) => {
    const i = lineOf(ref, sign);
    return i >= 0 && c.lines[i].day > c.firstDay && c.lines[i].day < c.lastDay;
  };
  // A capture of the window, settled once, never refunded, on an order not used yet.
  const pickCapture = (): PaymentEvent => {
    for (;;) {
      const p = c.captures[intBelow(rng, c.captures.length)];
      if (!used.has(p.order_id) && inWindow(p) && !c.refundedRefs.has(p.payment_id) && movable(p.payment_id, 1)
        && c.events.filter((e) => e.type === 'PAYMENT_CAPTURED' && e.order_id === p.order_id && e.event_id !== p.event_id).length === 0) {
        used.add(p.order_id);
        return p;
      }
    }
  };
  const plantOn = (kind: DiscrepancyKind, p: { order_id: string; payment_id: string }) => c.planted.push({ kind, orderId: p.order_id, reference: p.payment_id });
  const day = c.firstDay + 3;

  c.lines.push({ reference: 'P-unknown-1', orderId: 'O-unknown-1', amountMinor: 1234, currency: CURRENCY, day });
  c.planted.push({ kind: 'settled_not_captured', orderId: 'O-unknown-1', reference: 'P-unknown-1' });

  const notRefunded = pickCapture();
  c.lines.push({ reference: notRefunded.payment_id, orderId: notRefunded.order_id, amountMinor: -500, currency: CURRENCY, day });
  plantOn('settled_not_refunded', notRefunded);

  const unsettled = pickCapture();
  c.lines.splice(lineOf(unsettled.payment_id, 1), 1);
  plantOn('captured_not_settled', unsettled);

  const refund = c.refunds.find((r) => inWindow(r) && !used.has(r.order_id) && movable(r.payment_id, -1)
    && c.refunds.filter((x) => x.payment_id === r.payment_id).length === 1);
  if (!refund) throw new Error('settlement scenario: no refund of the window to leave unsettled; use more orders per day');
  used.add(refund.order_id);
  c.lines.splice(lineOf(refund.payment_id, -1), 1);
  plantOn('refund_not_settled', refund);

  const wrongAmount = pickCapture();
  c.lines[lineOf(wrongAmount.payment_id, 1)].amountMinor += 100;
  plantOn('amount_mismatch', wrongAmount);

  const wrongCurrency = pickCapture();
  c.lines[lineOf(wrongCurrency.payment_id, 1)].currency = 'EUR';
  plantOn('currency_mismatch', wrongCurrency);

  const wrongOrder = pickCapture();
  const other = pickCapture();
  c.lines[lineOf(wrongOrder.payment_id, 1)].orderId = other.order_id;
  plantOn('order_mismatch', wrongOrder);

  const twice = pickCapture();
  c.lines.push({ ...c.lines[lineOf(twice.payment_id, 1)] });
  plantOn('duplicate_settlement', twice);

  const orphan: PaymentEvent = { ...pickCapture(), order_id: 'O-never-placed-1', payment_id: 'P-never-placed-1', event_id: 'orphan-capture-1', customer_id: 'C-orphan' };
  orphan.event_time += HOUR;
  c.events.push(orphan);
  c.lines.push({ reference: orphan.payment_id, orderId: orphan.order_id, amountMinor: orphan.amount_minor, currency: CURRENCY, day: Math.floor(orphan.event_time / MS_PER_DAY) });
  plantOn('capture_without_order', orphan);

  const paidTwice = pickCapture();
  const second: PaymentEvent = { ...paidTwice, event_id: `${paidTwice.event_id}-second`, payment_id: `${paidTwice.payment_id}-second`, event_time: paidTwice.event_time + HOUR };
  c.events.push(second);
  c.lines.push({ reference: second.payment_id, orderId: second.order_id, amountMinor: second.amount_minor, currency: CURRENCY, day: Math.floor(second.event_time / MS_PER_DAY) });
  c.planted.push({ kind: 'order_paid_twice', orderId: paidTwice.order_id, reference: `${paidTwice.payment_id} ${second.payment_id}` });
}
