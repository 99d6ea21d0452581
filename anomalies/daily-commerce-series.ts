/**
 * Per-day order and payment volumes and values in the shop's time zone, from the analytics
 * store's quarter hours (every zone's midnight falls on a quarter hour, so the sums are
 * exact). Days without any order or payment are there, at zero: a day with nothing is the
 * strongest drop of all, not a gap.
 */
import type { DayIndexer } from '../core/calendar.js';
import type { CommerceMetric } from '../core/events.js';
import type { CommerceVolumeBucket } from '../core/ports/analytics-store.js';

/** Every metric, and whether it counts events or sums money. */
export const CommerceMetrics: ReadonlyArray<{ metric: CommerceMetric; kind: 'count' | 'amount' }> = [
  { metric: 'orders', kind: 'count' },
  { metric: 'order_value', kind: 'amount' },
  { metric: 'payments', kind: 'count' },
  { metric: 'payment_value', kind: 'amount' },
];

/** Consecutive days from `firstDay`: `values[metric][i]` is day firstDay + i. */
export interface DailyCommerceSeries {
  firstDay: number;
  days: number;
  values: Record<CommerceMetric, Float64Array>;
}

/** The days [firstDay, lastDay] of `buckets` (quarter hours outside them are ignored). */
export function dailyCommerceSeries(buckets: readonly CommerceVolumeBucket[], dayOf: DayIndexer, firstDay: number, lastDay: number): DailyCommerceSeries {
  const days = Math.max(0, lastDay - firstDay + 1);
  const values = { orders: new Float64Array(days), order_value: new Float64Array(days), payments: new Float64Array(days), payment_value: new Float64Array(days) };
  for (const b of buckets) {
    const i = dayOf(b.startMs) - firstDay;
    if (i < 0 || i >= days) continue;
    values.orders[i] += b.orders;
    values.order_value[i] += b.orderValueMinor;
    values.payments[i] += b.payments;
    values.payment_value[i] += b.paymentValueMinor;
  }
  return { firstDay, days, values };
}
