/**
 * Joins an order with its payments into a purchase. Pure: (ledger, event) → (ledger, purchase).
 *
 * A purchase exists once the order is placed and a payment captured, whichever came first,
 * and the order is not cancelled. Its value is captured minus refunded. Every change to that
 * state is emitted as a new revision of the order's PurchaseEvent; because the ledger's
 * final state depends only on the set of events seen (sums and flags, deduplicated by
 * event_id), the last revision is the same whatever order the events arrived in.
 */
import type { OrderEvent, PaymentEvent, PurchaseEvent, PurchaseStatus } from '../../core/events.js';

/** Everything known about one order. Plain JSON so any state store can hold it. */
export interface OrderLedger {
  customerId: string;
  orderId: string;
  /** Set once ORDER_PLACED is seen. */
  placedAt: number | null;
  currency: string;
  categories: string[];
  cancelled: boolean;
  /** [payment_id, amount]: a capture seen twice under one payment id is one capture. */
  captures: Array<[string, number]>;
  /** Refunded amounts; each refund event is its own partial refund (dedup is by `seen`). */
  refunds: number[];
  /** Event ids already applied: a redelivered event is a no-op. */
  seen: string[];
  /** Last PurchaseEvent emitted, or null if none yet. */
  emitted: { revision: number; status: PurchaseStatus; net: number } | null;
}

export interface JoinResult {
  ledger: OrderLedger;
  /** A new revision of the purchase, when the event changed it. */
  purchase: PurchaseEvent | null;
}

export function emptyLedger(customerId: string, orderId: string, currency: string): OrderLedger {
  return { customerId, orderId, placedAt: null, currency, categories: [], cancelled: false, captures: [], refunds: [], seen: [], emitted: null };
}

export function applyOrderEvent(ledger: OrderLedger, event: OrderEvent): JoinResult {
  if (ledger.seen.includes(event.event_id)) return { ledger, purchase: null };
  const next: OrderLedger = { ...ledger, seen: [...ledger.seen, event.event_id] };
  if (event.type === 'ORDER_PLACED') {
    // Several placements of one order id (a retried checkout) date the purchase by the first.
    next.placedAt = next.placedAt === null ? event.event_time : Math.min(next.placedAt, event.event_time);
    next.categories = distinctSorted([...next.categories, ...event.line_items.map((i) => i.category)]);
  } else {
    next.cancelled = true;
  }
  return settle(next);
}

export function applyPaymentEvent(ledger: OrderLedger, event: PaymentEvent): JoinResult {
  if (ledger.seen.includes(event.event_id)) return { ledger, purchase: null };
  const next: OrderLedger = { ...ledger, seen: [...ledger.seen, event.event_id] };
  if (event.type === 'PAYMENT_CAPTURED') {
    const known = next.captures.find(([id]) => id === event.payment_id);
    next.captures = known
      ? next.captures.map(([id, amount]) => [id, id === event.payment_id ? Math.max(amount, event.amount_minor) : amount])
      : [...next.captures, [event.payment_id, event.amount_minor]];
  } else if (event.type === 'PAYMENT_REFUNDED') {
    next.refunds = [...next.refunds, event.amount_minor];
  }
  // PAYMENT_FAILED changes nothing: a retry may still capture.
  return settle(next);
}

/** What the purchase should look like now, or null while there is none to speak of. */
function currentState(l: OrderLedger): { status: PurchaseStatus; net: number } | null {
  // Captures only grow and placement is never undone, so nothing was emitted before this.
  // A capture of zero still makes a purchase (a free order counts as a transaction in the
  // CDNOW data the models are checked against).
  if (l.placedAt === null || l.captures.length === 0) return null;
  let captured = 0;
  for (const [, amount] of l.captures) captured += amount;
  let refunded = 0;
  for (const amount of l.refunds) refunded += amount;
  const net = Math.max(0, captured - refunded);
  if (l.cancelled || (refunded > 0 && net === 0)) return l.emitted && { status: 'VOIDED', net: 0 };
  return { status: 'ACTIVE', net };
}

function settle(ledger: OrderLedger): JoinResult {
  const state = currentState(ledger);
  const last = ledger.emitted;
  if (state === null || (last && last.status === state.status && last.net === state.net)) return { ledger, purchase: null };
  const revision = (last?.revision ?? 0) + 1;
  const next = { ...ledger, emitted: { revision, ...state } };
  return {
    ledger: next,
    purchase: {
      event_id: `${ledger.orderId}:${revision}`,
      event_time: ledger.placedAt as number, // non-null: a purchase needs its order
      customer_id: ledger.customerId,
      order_id: ledger.orderId,
      revision,
      status: state.status,
      net_amount_minor: state.net,
      currency: ledger.currency,
      categories: ledger.categories,
    },
  };
}

function distinctSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}
