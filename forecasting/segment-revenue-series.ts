/**
 * Revenue per segment: the series the per-segment Prophet forecasts fit. Each customer's
 * orders count towards the segment the customer is in *now* (a snapshot of the scoring
 * state), for every day of the history: the series answer "how much do today's at-risk
 * customers spend, and when", which is what a campaign aimed at them plans with — not "how
 * much was spent by customers while they were at risk", which would need segment history.
 * A training run takes the snapshot right after its re-score, so "now" is the training as-of,
 * and GET /v1/revenue/actuals?segment=&as_of= counts the same customers afterwards.
 *
 * Customers without a segment (not scored yet) go to `unscored`, so that the segments and
 * `unscored` always add up to `total`, period by period. Pure: a tally is folded from the
 * purchase histories page by page, then read out for a window.
 */
import { Segments, type Segment } from '../core/segmentation.js';
import { weeklySeries, type Granularity, type RevenueSeries } from '../models/forecast/revenue-series.js';
import { forEachActivePurchase, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';

/** 'total' or a segment: the series a run forecasts. */
export type RevenueSeriesKey = 'total' | Segment;

/** Net revenue per day and customers, per segment; built by {@link tallySegmentRevenue}. */
export interface SegmentRevenueTally {
  /** Segment (or null: unscored) → day index → net revenue of active orders, minor units. */
  readonly byDay: Map<Segment | null, Map<number, number>>;
  /** Customers with an active order in [fromDay, countToDay], per segment (null: unscored). */
  readonly customers: Map<Segment | null, number>;
  /** Days tallied (inclusive); orders outside are ignored. */
  readonly fromDay: number;
  readonly toDay: number;
  /** Last day (inclusive) of the orders that make a customer count, e.g. the end of a fit window. */
  readonly countToDay: number;
}

/** Per-segment series over one window, all of the same granularity and periods. */
export interface SegmentRevenueSeries {
  total: RevenueSeries;
  segments: Record<Segment, RevenueSeries>;
  /** Customers without a segment; part of `total`. */
  unscored: RevenueSeries;
  /** Customers with revenue in [fromDay, countToDay], per key (and unscored). */
  customers: Record<RevenueSeriesKey | 'unscored', number>;
}

export function emptySegmentRevenueTally(fromDay: number, toDay: number, countToDay = toDay): SegmentRevenueTally {
  if (!(Number.isInteger(fromDay) && Number.isInteger(toDay) && toDay >= fromDay && Number.isInteger(countToDay))) {
    throw new RangeError(`bad window [${fromDay}, ${toDay}], customers counted to ${countToDay}`);
  }
  return { byDay: new Map(), customers: new Map(), fromDay, toDay, countToDay };
}

/**
 * Adds a customer's active orders in the tally's window to the customer's segment.
 * Orders keep only their latest revision in the history, so a VOIDED order adds nothing.
 */
export function tallySegmentRevenue(tally: SegmentRevenueTally, history: CustomerPurchaseHistory, segment: Segment | null): void {
  let days = tally.byDay.get(segment);
  let bought = false;
  forEachActivePurchase(history, (day, _time, net) => {
    if (day < tally.fromDay || day > tally.toDay) return;
    if (days === undefined) tally.byDay.set(segment, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + net);
    bought ||= day <= tally.countToDay;
  });
  if (bought) tally.customers.set(segment, (tally.customers.get(segment) ?? 0) + 1);
}

/**
 * The tally as regular series over its whole window, with zero-revenue periods present.
 * Weekly series hold whole ISO weeks only (revenue-series.ts), the same weeks for every key.
 */
export function segmentRevenueSeries(tally: SegmentRevenueTally, granularity: Granularity = 'day'): SegmentRevenueSeries {
  const length = tally.toDay - tally.fromDay + 1;
  const daily = (segment: Segment | null): number[] => {
    const values = new Array<number>(length).fill(0);
    for (const [day, v] of tally.byDay.get(segment) ?? []) values[day - tally.fromDay] += v;
    return values;
  };
  const total = new Array<number>(length).fill(0);
  const series = (values: number[]): RevenueSeries => {
    const s: RevenueSeries = { granularity: 'day', startDay: tally.fromDay, values };
    return granularity === 'week' ? weeklySeries(s) : s;
  };
  const segments = {} as Record<Segment, RevenueSeries>;
  const customers = { total: 0, unscored: tally.customers.get(null) ?? 0 } as Record<RevenueSeriesKey | 'unscored', number>;
  for (const s of Segments) {
    const values = daily(s);
    for (let i = 0; i < length; i++) total[i] += values[i];
    segments[s] = series(values);
    customers[s] = tally.customers.get(s) ?? 0;
  }
  const unscored = daily(null);
  for (let i = 0; i < length; i++) total[i] += unscored[i];
  customers.total = [...tally.customers.values()].reduce((a, b) => a + b, 0);
  return { total: series(total), segments, unscored: series(unscored), customers };
}
