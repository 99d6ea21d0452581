/**
 * A customer's purchases, folded from PurchaseEvents. Pure: (history, purchase) → history.
 *
 * Each order keeps only its highest revision, so applying the same purchases in any order,
 * any number of times, yields the same history; RFM is then derived from the history, never
 * accumulated, which is what makes it order- and duplicate-proof.
 *
 * Bounded: orders more than DETAIL_DAYS before the customer's latest order are folded into
 * per-day totals (purchase-history-compaction.ts), which is all the models need; read the
 * history's purchases through `forEachActivePurchase`, which visits both.
 */
import { dateOfDayIndex, type DayIndexer } from '../../core/calendar.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { CustomerFeaturesEvent, PurchaseEvent, PurchaseStatus } from '../../core/events.js';
import { summarizePurchaseDays, type RepeatPurchaseSummary } from '../../core/repeat-purchase-summary.js';
import { categorySummaryOf } from './customer-category-summary.js';
import { recentPurchaseDays } from '../../models/sequence/sequence-features.js';
import { compactOldOrders, DETAIL_DAYS, type CompactedPurchases } from './purchase-history-compaction.js';

export interface PurchasedOrder {
  orderId: string;
  /** Calendar day of the order in the shop's time zone. */
  day: number;
  /** When the order was placed, epoch ms. */
  time: number;
  revision: number;
  status: PurchaseStatus;
  /** Net value, minor units. */
  net: number;
  categories: string[];
  /**
   * [category, quantity, unit price minor] per line, as the purchase carries them (tuples:
   * the history is stored as JSON per customer).
   */
  lines: Array<[string, number, number]>;
}

/** Plain JSON so any state store can hold it. */
export interface CustomerPurchaseHistory {
  customerId: string;
  currency: string;
  // An array, not a record keyed by order id: a customer has a handful of orders, and
  // copying a small array on each change is several times cheaper than spreading an
  // object with string keys (measured: the features processor's hottest line).
  /** The orders of the last DETAIL_DAYS before the latest one, each at its highest revision. */
  orders: PurchasedOrder[];
  /** Per-day totals of the older orders; null until the first compaction. */
  compacted: CompactedPurchases | null;
}

export function applyPurchase(
  history: CustomerPurchaseHistory | undefined,
  purchase: PurchaseEvent,
  dayOf: DayIndexer,
): { history: CustomerPurchaseHistory; changed: boolean } {
  const base = history ?? { customerId: purchase.customer_id, currency: purchase.currency, orders: [], compacted: null };
  const day = dayOf(purchase.event_time);
  if (base.compacted !== null && day < base.compacted.beforeDay) {
    throw new ClvError(
      ErrorCodes.LATE_EVENT,
      `purchase ${purchase.event_id} of customer ${purchase.customer_id} is dated ${dateOfDayIndex(day)}; the history keeps only per-day totals before ` +
        `${dateOfDayIndex(base.compacted.beforeDay)} (${DETAIL_DAYS} days before the customer's latest order), so a revision of an order that old cannot be applied`,
    );
  }
  const at = base.orders.findIndex((o) => o.orderId === purchase.order_id);
  if (at >= 0 && base.orders[at].revision >= purchase.revision) return { history: base, changed: false };
  const order: PurchasedOrder = {
    orderId: purchase.order_id,
    day,
    time: purchase.event_time,
    revision: purchase.revision,
    status: purchase.status,
    net: purchase.net_amount_minor,
    categories: purchase.categories,
    lines: (purchase.line_items ?? []).map((l) => [l.category, l.quantity, l.unit_price_minor]),
  };
  const orders = base.orders.slice();
  if (at >= 0) orders[at] = order;
  else orders.push(order);
  return { history: compactOldOrders({ customerId: base.customerId, currency: base.currency, orders, compacted: base.compacted }), changed: true };
}

/**
 * Calls `visit` for every active purchase: each compacted day once (its total, at the time
 * of its first order), then each active order in detail. What every reader of purchase days
 * and values goes through.
 */
export function forEachActivePurchase(history: CustomerPurchaseHistory, visit: (day: number, time: number, net: number) => void): void {
  if (history.compacted !== null) for (const [day, net, time] of history.compacted.days) visit(day, time, net);
  for (const o of history.orders) if (o.status === 'ACTIVE') visit(o.day, o.time, o.net);
}

/** Day index → total net value of the active orders that day, minor units. */
export function purchaseDayValues(history: CustomerPurchaseHistory): Map<number, number> {
  const days = new Map<number, number>();
  forEachActivePurchase(history, (day, _time, net) => days.set(day, (days.get(day) ?? 0) + net));
  return days;
}

export function summarizeHistory(history: CustomerPurchaseHistory): RepeatPurchaseSummary | null {
  return summarizePurchaseDays(purchaseDayValues(history));
}

/**
 * The placement time of the customer's latest active order: the history's as-of. Voided
 * orders do not count: an order captured and fully refunded before it arrived is never a
 * purchase at all, so counting it when it arrived first would make the as-of (and the score)
 * depend on arrival order.
 */
export function latestEventTime(history: CustomerPurchaseHistory): number {
  let latest = -Infinity;
  for (const o of history.orders) if (o.status === 'ACTIVE' && o.time > latest) latest = o.time;
  return latest;
}

/**
 * The features event for a customer as of `asOfMs`, or null when no active purchase
 * remains (every order voided: see `noActiveOrdersFeatures`).
 */
export function featuresOf(history: CustomerPurchaseHistory, asOfMs: number, eventId: string): CustomerFeaturesEvent | null {
  const days = purchaseDayValues(history);
  const summary = summarizePurchaseDays(days);
  if (summary === null) return null;
  const compacted = history.compacted;
  // A compacted day is dated by its first order, which is right for the first purchase; the
  // last compacted one is kept apart.
  let first = compacted?.days[0]?.[2] ?? Infinity;
  let last = compacted?.lastTime ?? -Infinity;
  for (const o of history.orders) {
    if (o.status !== 'ACTIVE') continue;
    if (o.time < first) first = o.time;
    if (o.time > last) last = o.time;
  }
  return {
    event_id: eventId,
    event_time: Math.max(asOfMs, last),
    customer_id: history.customerId,
    first_purchase_time: first,
    last_purchase_time: last,
    purchase_days: summary.purchaseDays,
    repeat_purchase_days: summary.repeatPurchaseDays,
    repeat_value_minor: summary.repeatValueMinor,
    total_value_minor: summary.totalValueMinor,
    currency: history.currency,
    recent_purchase_days: recentPurchaseDays(days, summary.lastDay).map(([day, value_minor]) => ({ day, value_minor })),
    category_summary: categorySummaryOf(history.orders, compacted === null ? [] : compacted.categories.map(([category, orders, quantity, spend_minor]) => ({ category, orders, quantity, spend_minor }))),
  };
}

/**
 * The features of a customer whose every order is voided (cancelled or refunded in full): no
 * purchase days and no value, as of their latest order. Published like any other features
 * event, so the scoring processor withdraws the customer's score in every arrival order: the
 * same orders end here whether an order arrived before or after its refund (the joiner emits
 * an order VOIDED either way). Voided orders date it: nothing else does, and the set of orders
 * (at their latest revisions) does not depend on the arrival order.
 */
export function noActiveOrdersFeatures(history: CustomerPurchaseHistory, eventId: string): CustomerFeaturesEvent {
  let latest = history.compacted?.lastTime ?? -Infinity;
  for (const o of history.orders) if (o.time > latest) latest = o.time;
  return {
    event_id: eventId,
    event_time: latest,
    customer_id: history.customerId,
    first_purchase_time: latest,
    last_purchase_time: latest,
    purchase_days: 0,
    repeat_purchase_days: 0,
    repeat_value_minor: 0,
    total_value_minor: 0,
    currency: history.currency,
    category_summary: [],
  };
}

/**
 * Spend per period for the last `periods` periods ending at `asOfDay` (oldest first), minor
 * units: the input of the sequence model.
 */
export function periodSpend(history: CustomerPurchaseHistory, asOfDay: number, periodDays: number, periods: number): number[] {
  const spend = new Array<number>(periods).fill(0);
  for (const [day, value] of purchaseDayValues(history)) {
    const back = Math.floor((asOfDay - day) / periodDays);
    if (back >= 0 && back < periods) spend[periods - 1 - back] += value;
  }
  return spend;
}
