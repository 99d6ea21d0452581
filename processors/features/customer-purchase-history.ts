/**
 * A customer's purchases, folded from PurchaseEvents. Pure: (history, purchase) → history.
 *
 * Each order keeps only its highest revision, so applying the same purchases in any order,
 * any number of times, yields the same history; RFM is then derived from the history, never
 * accumulated, which is what makes it order- and duplicate-proof.
 */
import type { CustomerFeaturesEvent, PurchaseEvent, PurchaseStatus } from '../../core/events.js';
import type { DayIndexer } from '../../core/calendar.js';
import { summarizePurchaseDays, type RepeatPurchaseSummary } from '../../core/repeat-purchase-summary.js';
import { categorySummaryOf } from './customer-category-summary.js';

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
  orders: PurchasedOrder[];
}

export function applyPurchase(
  history: CustomerPurchaseHistory | undefined,
  purchase: PurchaseEvent,
  dayOf: DayIndexer,
): { history: CustomerPurchaseHistory; changed: boolean } {
  const base = history ?? { customerId: purchase.customer_id, currency: purchase.currency, orders: [] };
  const at = base.orders.findIndex((o) => o.orderId === purchase.order_id);
  if (at >= 0 && base.orders[at].revision >= purchase.revision) return { history: base, changed: false };
  const order: PurchasedOrder = {
    orderId: purchase.order_id,
    day: dayOf(purchase.event_time),
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
  return { history: { customerId: base.customerId, currency: base.currency, orders }, changed: true };
}

/** Day index → total net value of the active orders that day, minor units. */
export function purchaseDayValues(history: CustomerPurchaseHistory): Map<number, number> {
  const days = new Map<number, number>();
  for (const o of history.orders) {
    if (o.status === 'ACTIVE') days.set(o.day, (days.get(o.day) ?? 0) + o.net);
  }
  return days;
}

export function summarizeHistory(history: CustomerPurchaseHistory): RepeatPurchaseSummary | null {
  return summarizePurchaseDays(purchaseDayValues(history));
}

/** The time of the latest purchase event folded into the history (any order, any status). */
export function latestEventTime(history: CustomerPurchaseHistory): number {
  let latest = -Infinity;
  for (const o of history.orders) if (o.time > latest) latest = o.time;
  return latest;
}

/**
 * The features event for a customer as of `asOfMs`, or null when no active purchase
 * remains (every order voided).
 */
export function featuresOf(history: CustomerPurchaseHistory, asOfMs: number, eventId: string): CustomerFeaturesEvent | null {
  const summary = summarizeHistory(history);
  if (summary === null) return null;
  let first = Infinity;
  let last = -Infinity;
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
    category_summary: categorySummaryOf(history.orders),
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
