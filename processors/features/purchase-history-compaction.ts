/**
 * Keeps a customer's purchase history bounded: orders placed more than DETAIL_DAYS before the
 * customer's latest order are folded into per-day totals. Pure.
 *
 * What reads a history needs no more than that (checked in tests/purchase-history-compaction.test.ts):
 * the models, training's calibration/holdout split, the one-time-buyer lapse, the sequence
 * model's period spend and the revenue series read active purchase days and their values
 * (and times, to split at an as-of); the features event also reads first and last purchase
 * times, the customer's category tallies and how many orders and revisions it was derived
 * from (its event id). All of that is kept, so features and scores come out the same.
 *
 * What is given up:
 * - A compacted day keeps the time of its first active order only: an as-of in the middle of
 *   a compacted day counts the whole day or none of it (training as of a day's end, as
 *   `clv train --as-of` does, is exact; the scheduler's as-of is recent, inside the detail).
 *   The revenue series (read-model/read-model-series.ts) puts the day's revenue in that hour.
 * - The shop-wide category statistics (cross-sell lifts, price tiers) need each order's basket;
 *   they are learned from the orders still in detail, the last DETAIL_DAYS of each customer.
 * - An order's revision can no longer be applied once its day is compacted: a purchase event
 *   dated before `beforeDay` is refused (CLV_LATE_EVENT, dead-lettered). Revisions come from
 *   the order's ledger, which expires 400 days after its last change (app/production.ts), so
 *   with DETAIL_DAYS = 400 only a refund more than 400 days after the customer's next order
 *   (or a redelivered copy of an old revision) meets this.
 *
 * Size (tests/purchase-history-compaction.test.ts, measured): ten years of a customer buying
 * one or two orders of 1–3 lines on a third of the days (1,606 orders) take 273 KB of JSON
 * in full and 62 KB bounded (stated bound: 64 KiB) — 1,172 compacted days at ≈ 30 B and 175
 * orders in detail at ≈ 160 B, plus ≈ 30 B per category ever bought. In Redis (MEMORY USAGE)
 * 320 KB against 64 KB as JSON; 32 KB bounded in state format 5 (processors/state-codecs/).
 */
import { categoryTotals } from './customer-category-summary.js';
import type { CustomerPurchaseHistory, PurchasedOrder } from './customer-purchase-history.js';

/** Orders placed within this many days before the customer's latest order keep their detail. */
export const DETAIL_DAYS = 400;

/** What the compacted orders left. Plain JSON. */
export interface CompactedPurchases {
  /** Days before this one are compacted; a purchase dated earlier is refused as late. */
  beforeDay: number;
  /** [day, net value minor, time of the day's first active order ms] per day with an active order, by day. */
  days: Array<[number, number, number]>;
  /** Time of the latest active compacted order, ms; null when none was active. */
  lastTime: number | null;
  /** Orders compacted (voided ones included), and the sum of their revisions: the features event's id counts them. */
  orders: number;
  revisions: number;
  /** [category, orders, units, spend minor] over the compacted active orders, by category name. */
  categories: Array<[string, number, number, number]>;
}

/** The history with every order before its detail window folded into per-day totals (the same object when there is none). */
export function compactOldOrders(history: CustomerPurchaseHistory): CustomerPurchaseHistory {
  // Runs on every purchase the features processor applies: no allocation unless something is due.
  let latestDay = -Infinity;
  let earliestDay = Infinity;
  for (const o of history.orders) {
    if (o.day > latestDay) latestDay = o.day;
    if (o.day < earliestDay) earliestDay = o.day;
  }
  const cutoff = latestDay - DETAIL_DAYS;
  if (earliestDay >= cutoff) return history;
  const old: PurchasedOrder[] = [];
  const kept: PurchasedOrder[] = [];
  for (const o of history.orders) (o.day < cutoff ? old : kept).push(o);

  const before = history.compacted;
  const days = new Map<number, [number, number, number]>();
  let lastTime = before?.lastTime ?? null;
  let revisions = before?.revisions ?? 0;
  for (const o of old) {
    revisions += o.revision;
    if (o.status !== 'ACTIVE') continue;
    const entry = days.get(o.day);
    if (entry === undefined) days.set(o.day, [o.day, o.net, o.time]);
    else {
      entry[1] += o.net;
      if (o.time < entry[2]) entry[2] = o.time;
    }
    if (lastTime === null || o.time > lastTime) lastTime = o.time;
  }
  // Days compacted now are all on or after the previous `beforeDay`: appending keeps them in order.
  const newDays = [...days.values()].sort((a, b) => a[0] - b[0]);
  const seed = (before?.categories ?? []).map(([category, orders, quantity, spend_minor]) => ({ category, orders, quantity, spend_minor }));
  const categories = categoryTotals(old, seed)
    .sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0))
    .map((c): [string, number, number, number] => [c.category, c.orders, c.quantity, c.spend_minor]);
  return {
    customerId: history.customerId,
    currency: history.currency,
    orders: kept,
    compacted: {
      beforeDay: Math.max(before?.beforeDay ?? -Infinity, cutoff),
      days: before ? [...before.days, ...newDays] : newDays,
      lastTime,
      orders: (before?.orders ?? 0) + old.length,
      revisions,
      categories,
    },
  };
}
