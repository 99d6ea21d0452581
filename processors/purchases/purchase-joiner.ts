/**
 * Joins an order with its payments into a purchase. Pure: (ledger, event) → (ledger, purchase).
 *
 * A purchase exists once the order is placed and a payment captured, whichever came first,
 * and the order is not cancelled. Its value is captured minus refunded. Every change to that
 * state is emitted as a new revision of the order's PurchaseEvent; because the ledger's
 * final state depends only on the set of events seen (sums and flags, deduplicated by
 * event_id), the last revision is the same whatever order the events arrived in. It carries
 * the order's lines (SKU dropped) from the placement that dates it, for cross-sell and upsell.
 *
 * Revision numbers count events, not changes: a revision is numbered by how many distinct
 * events the ledger had applied, and once the purchase exists every new event emits one (the
 * same content under a greater number when it changed nothing). So the last revision of an
 * order is numbered by all its events whatever order they came in — and a ledger rebuilt from
 * the topics (Redis lost or flushed) numbers its revisions as the first one did, instead of
 * starting again below revisions the features already hold (numbered by changes, a rebuilt
 * ledger that met the same events in another order could reach its true last content at a
 * number the features had already seen with older content, and be ignored).
 *
 * A placed and captured order that is cancelled or refunded in full is emitted VOIDED even
 * when it was never emitted ACTIVE (its capture and refund arrived before it): every order
 * that ever was a purchase reaches the features in every arrival order, so a customer whose
 * only order it was ends in the same state (no active orders) whichever event came first.
 *
 * Bounded: event ids are kept only for events within DEDUP_WINDOW_MS (event time) of the
 * latest event of the order, and refunds are kept as a sum. Every kind of event but a refund
 * is idempotent by its content (a placement takes the earliest date and lines, a capture the
 * highest amount per payment id, a cancellation is a flag), so an older one whose id has been
 * forgotten is simply applied again. A refund is not: its id is kept for the ledger's life
 * (`refundIds`; an order has a handful of refunds, and its ledger expires 400 days after its
 * last change, app/production.ts), so a refund is applied once whatever its date and whatever
 * arrived before it. (Refusing a refund older than the window, as before, made its fate depend
 * on whether a later event of the order had arrived first.)
 */
import type { LineItem, OrderEvent, PaymentEvent, PurchaseEvent, PurchaseLineItem, PurchaseStatus } from '../../core/events.js';

/** Lines kept per order: bounds the ledger and the purchase event whatever a producer sends. */
export const MAX_PURCHASE_LINES = 50;

/**
 * How far back in event time, before an order's latest event, its event ids are kept for
 * deduplication. Redeliveries and producer retries repeat an event within minutes; 30 days
 * also covers a replay of the log from a day's old offsets.
 */
export const DEDUP_WINDOW_MS = 30 * 86_400_000;

/** Everything known about one order. Plain JSON so any state store can hold it. */
export interface OrderLedger {
  customerId: string;
  orderId: string;
  /** Set once ORDER_PLACED is seen. */
  placedAt: number | null;
  currency: string;
  categories: string[];
  /**
   * Lines of the placement that dates the order (earliest event_time, then event_id), so a
   * retried checkout's lines are not counted twice and arrival order does not matter.
   */
  lineItems: PurchaseLineItem[];
  /** [event_time, event_id] of that placement. */
  lineItemsFrom: [number, string] | null;
  cancelled: boolean;
  /** [payment_id, amount]: a capture seen twice under one payment id is one capture. */
  captures: Array<[string, number]>;
  /** Sum of the refunds, minor units; each refund event is its own partial refund (dedup is by `refundIds`). */
  refunded: number;
  /**
   * [event_id, event_time] of the events applied whose event_time is at or after `seenFrom`,
   * refunds apart: a redelivered one is a no-op.
   */
  seen: Array<[string, number]>;
  /** Ids of every refund applied, whatever its date: a refund is not idempotent by its content. */
  refundIds: string[];
  /**
   * Distinct events applied (duplicates not counted; nor an event older than the dedup window,
   * which is applied again unrecorded): the number of the next revision.
   */
  applied: number;
  /** The order's latest event_time less DEDUP_WINDOW_MS, null before any event: ids of older events are not kept. */
  seenFrom: number | null;
  /** Last PurchaseEvent emitted, or null if none yet. `detail` is what else it carried (date, categories, lines). */
  emitted: { revision: number; status: PurchaseStatus; net: number; detail: PurchaseDetail } | null;
}

/** What a purchase carries besides its status and value: a change to it is a new revision. */
export interface PurchaseDetail {
  placedAt: number | null;
  categories: string[];
  lineItems: PurchaseLineItem[];
}

export interface JoinResult {
  ledger: OrderLedger;
  /** A new revision of the purchase, when the event changed it. */
  purchase: PurchaseEvent | null;
}

export function emptyLedger(customerId: string, orderId: string, currency: string): OrderLedger {
  return { customerId, orderId, placedAt: null, currency, categories: [], lineItems: [], lineItemsFrom: null, cancelled: false, captures: [], refunded: 0, seen: [], refundIds: [], applied: 0, seenFrom: null, emitted: null };
}

/**
 * The ledger with `event` recorded as seen, or null when it was seen already. Ids of events
 * that fall out of the window are dropped; an event already older than the window is not
 * recorded (and, being idempotent, applied again) — except a refund, whose id is kept for the
 * ledger's life.
 */
function recordSeen(ledger: OrderLedger, event: { event_id: string; event_time: number; type: string }): OrderLedger | null {
  const { event_id: id, event_time: time } = event;
  const refund = event.type === 'PAYMENT_REFUNDED';
  if (refund) {
    if (ledger.refundIds.includes(id)) return null;
  } else {
    for (const [seenId] of ledger.seen) if (seenId === id) return null;
  }
  if (ledger.seenFrom !== null && time < ledger.seenFrom) {
    const next = copyOf(ledger);
    if (refund) {
      next.refundIds = withId(ledger.refundIds, id);
      next.applied++;
    }
    return next;
  }
  let latest = time;
  for (const [, t] of ledger.seen) if (t > latest) latest = t;
  const seenFrom = Math.max(ledger.seenFrom ?? -Infinity, latest - DEDUP_WINDOW_MS);
  const seen: Array<[string, number]> = [];
  for (const entry of ledger.seen) if (entry[1] >= seenFrom) seen.push(entry);
  const next = copyOf(ledger);
  if (refund) next.refundIds = withId(ledger.refundIds, id);
  else seen.push([id, time]);
  next.seen = seen;
  next.seenFrom = seenFrom;
  next.applied++;
  return next;
}

/**
 * A shallow copy, every field named: all ledgers then share one shape. Spreading a ledger
 * (`{ ...ledger }`) was most of the joiner's own time.
 */
function copyOf(l: OrderLedger): OrderLedger {
  return {
    customerId: l.customerId, orderId: l.orderId, placedAt: l.placedAt, currency: l.currency, categories: l.categories, lineItems: l.lineItems, lineItemsFrom: l.lineItemsFrom,
    cancelled: l.cancelled, captures: l.captures, refunded: l.refunded, seen: l.seen, refundIds: l.refundIds, applied: l.applied, seenFrom: l.seenFrom, emitted: l.emitted,
  };
}

/** `ids` with `id` added, sorted: the ledger's state is then the same whatever the arrival order. */
function withId(ids: readonly string[], id: string): string[] {
  return [...ids, id].sort();
}

export function applyOrderEvent(ledger: OrderLedger, event: OrderEvent): JoinResult {
  const next = recordSeen(ledger, event);
  if (next === null) return { ledger, purchase: null };
  if (event.type === 'ORDER_PLACED') {
    // Several placements of one order id (a retried checkout) date the purchase by the first.
    next.placedAt = next.placedAt === null ? event.event_time : Math.min(next.placedAt, event.event_time);
    next.categories = distinctSorted([...next.categories, ...event.line_items.map((i) => i.category)]);
    const from = next.lineItemsFrom;
    if (from === null || event.event_time < from[0] || (event.event_time === from[0] && event.event_id < from[1])) {
      next.lineItems = compactLines(event.line_items);
      next.lineItemsFrom = [event.event_time, event.event_id];
    }
  } else {
    next.cancelled = true;
  }
  return settle(next, next.applied > ledger.applied);
}

export function applyPaymentEvent(ledger: OrderLedger, event: PaymentEvent): JoinResult {
  const next = recordSeen(ledger, event);
  if (next === null) return { ledger, purchase: null };
  if (event.type === 'PAYMENT_CAPTURED') {
    const known = next.captures.find(([id]) => id === event.payment_id);
    next.captures = known
      ? next.captures.map(([id, amount]) => [id, id === event.payment_id ? Math.max(amount, event.amount_minor) : amount])
      : [...next.captures, [event.payment_id, event.amount_minor] as [string, number]].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  } else if (event.type === 'PAYMENT_REFUNDED') {
    next.refunded += event.amount_minor;
  }
  // PAYMENT_FAILED changes nothing: a retry may still capture.
  return settle(next, next.applied > ledger.applied);
}

/** What the purchase should look like now, or null while there is none to speak of. */
function currentState(l: OrderLedger): { status: PurchaseStatus; net: number } | null {
  // Captures only grow and placement is never undone, so nothing was emitted before this.
  // A capture of zero still makes a purchase (a free order counts as a transaction in the
  // CDNOW data the models are checked against).
  if (l.placedAt === null || l.captures.length === 0) return null;
  let captured = 0;
  for (const [, amount] of l.captures) captured += amount;
  const refunded = l.refunded;
  const net = Math.max(0, captured - refunded);
  // VOIDED even when never emitted ACTIVE: the order was a purchase, whatever arrived first.
  if (l.cancelled || (refunded > 0 && net === 0)) return { status: 'VOIDED', net: 0 };
  return { status: 'ACTIVE', net };
}

/** `counted`: the event was a new one (see `applied`), so the purchase, if any, gets a new revision even unchanged. */
function settle(ledger: OrderLedger, counted: boolean): JoinResult {
  const state = currentState(ledger);
  if (state === null) return { ledger, purchase: null };
  const last = ledger.emitted;
  // A second placement of the order (a retried checkout) arriving after the purchase was
  // emitted can still move its date, categories or lines: that is a new revision too, so the
  // latest revision carries the same content whatever order the events came in (its number
  // may then differ; with one placement per order it does not).
  if (!counted && last && last.status === state.status && last.net === state.net && sameDetail(ledger, last.detail)) return { ledger, purchase: null };
  // Numbered by the events applied; a change brought by an uncounted event (older than the
  // window) still gets a greater number than the last.
  const revision = Math.max(ledger.applied, (last?.revision ?? 0) + 1);
  // The ledger's own arrays, not a copy or a JSON fingerprint: they are never mutated (every
  // change makes new ones), so in memory this costs a small object per emitted revision.
  const detail: PurchaseDetail = { placedAt: ledger.placedAt, categories: ledger.categories, lineItems: ledger.lineItems };
  const next = copyOf(ledger);
  next.emitted = { revision, status: state.status, net: state.net, detail };
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
      line_items: ledger.lineItems,
    },
  };
}

/**
 * Whether the ledger still carries the detail of the last emitted revision. Compared field
 * by field (the arrays are usually the very same ones, so most checks are one `===`); this
 * was a JSON.stringify per event, the purchases processor's largest cost.
 */
function sameDetail(ledger: OrderLedger, detail: PurchaseDetail): boolean {
  return detail.placedAt === ledger.placedAt && sameStrings(detail.categories, ledger.categories) && sameLines(detail.lineItems, ledger.lineItems);
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameLines(a: readonly PurchaseLineItem[], b: readonly PurchaseLineItem[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.category !== y.category || x.quantity !== y.quantity || x.unit_price_minor !== y.unit_price_minor) return false;
  }
  return true;
}

/**
 * An order's lines without SKUs: lines of one category at one unit price merged (quantities
 * summed), sorted by category then price, at most MAX_PURCHASE_LINES (the highest-value kept).
 */
function compactLines(lines: readonly LineItem[]): PurchaseLineItem[] {
  const merged = new Map<string, PurchaseLineItem>();
  for (const l of lines) {
    // Unique per (category, price): the price's digits hold no NUL, so the last NUL splits it.
    const key = `${l.category}\u0000${l.unit_price_minor}`;
    const known = merged.get(key);
    if (known) known.quantity += l.quantity;
    else merged.set(key, { category: l.category, quantity: l.quantity, unit_price_minor: l.unit_price_minor });
  }
  let out = [...merged.values()];
  if (out.length > MAX_PURCHASE_LINES) {
    out = out.sort((a, b) => b.quantity * b.unit_price_minor - a.quantity * a.unit_price_minor || byCategoryThenPrice(a, b)).slice(0, MAX_PURCHASE_LINES);
  }
  return out.sort(byCategoryThenPrice);
}

function byCategoryThenPrice(a: PurchaseLineItem, b: PurchaseLineItem): number {
  return a.category < b.category ? -1 : a.category > b.category ? 1 : a.unit_price_minor - b.unit_price_minor;
}

function distinctSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}
