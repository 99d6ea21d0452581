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

export interface PurchasedOrder {
  /** Calendar day of the order in the shop's time zone. */
  day: number;
  /** When the order was placed, epoch ms. */
  time: number;
  revision: number;
  status: PurchaseStatus;
  /** Net value, minor units. */
  net: number;
  categories: string[];
}

/** Plain JSON so any state store can hold it. */
export interface CustomerPurchaseHistory {
  customerId: string;
  currency: string;
  orders: Record<string, PurchasedOrder>;
}

export function applyPurchase(
  history: CustomerPurchaseHistory | undefined,
  purchase: PurchaseEvent,
  dayOf: DayIndexer,
): { history: CustomerPurchaseHistory; changed: boolean } {
  const base = history ?? { customerId: purchase.customer_id, currency: purchase.currency, orders: {} };
  const known = base.orders[purchase.order_id];
  if (known && known.revision >= purchase.revision) return { history: base, changed: false };
  const order: PurchasedOrder = {
    day: dayOf(purchase.event_time),
    time: purchase.event_time,
    revision: purchase.revision,
    status: purchase.status,
    net: purchase.net_amount_minor,
    categories: purchase.categories,
  };
  return { history: { ...base, orders: { ...base.orders, [purchase.order_id]: order } }, changed: true };
}

/** Day index → total net value of the active orders that day, minor units. */
export function purchaseDayValues(history: CustomerPurchaseHistory): Map<number, number> {
  const days = new Map<number, number>();
  for (const id in history.orders) {
    const o = history.orders[id];
    if (o.status === 'ACTIVE') days.set(o.day, (days.get(o.day) ?? 0) + o.net);
  }
  return days;
}

export function summarizeHistory(history: CustomerPurchaseHistory): RepeatPurchaseSummary | null {
  return summarizePurchaseDays(purchaseDayValues(history));
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
  for (const id in history.orders) {
    const o = history.orders[id];
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
