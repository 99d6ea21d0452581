/**
 * Total net revenue per calendar day or week: the series the revenue forecaster fits.
 * Days are core/calendar.ts day indices in the shop's time zone; values are minor units
 * (cents), as on the wire. Periods with no purchase are present with value 0, so the series
 * is regular — Prophet (Taylor & Letham 2018) does not need that, but the monthly accuracy
 * and the weekly roll-up do.
 */
import { dayIndexer } from '../../core/calendar.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { PurchaseEvent } from '../../core/events.js';

export type Granularity = 'day' | 'week';

/** Days per period of a granularity. */
export function periodDays(granularity: Granularity): number {
  return granularity === 'day' ? 1 : 7;
}

/** A regular series: period i covers days [startDay + i·p, startDay + (i+1)·p), p = periodDays. */
export interface RevenueSeries {
  granularity: Granularity;
  /** Day index of the first day of the first period; a Monday for weekly series. */
  startDay: number;
  /** Net revenue per period, minor units, ≥ 0. */
  values: number[];
}

/** A value at the start day of its period. */
export interface PeriodValue {
  day: number;
  value: number;
}

/** Options of {@link revenueSeriesFromDays} and {@link revenueSeriesFromPurchases}. */
export interface RevenueSeriesOptions {
  granularity?: Granularity;
  /** First day of the series (day index, inclusive); default: the first day with revenue. */
  fromDay?: number;
  /** Last day (inclusive); default: the last day with revenue. */
  toDay?: number;
}

/**
 * A series from (day, value) entries — e.g. the synthetic history's truth.purchases or a
 * CDNOW file's customer-days. Entries outside [fromDay, toDay] are ignored.
 * Weekly series hold whole ISO weeks (Monday–Sunday) only: a partial week at either end
 * would look like a revenue drop.
 * @throws ClvError INSUFFICIENT_DATA when the range holds no day (or, weekly, no whole week).
 */
export function revenueSeriesFromDays(
  entries: Iterable<{ day: number; valueMinor: number }>,
  options: RevenueSeriesOptions = {},
): RevenueSeries {
  const byDay = new Map<number, number>();
  let first = Infinity;
  let last = -Infinity;
  for (const { day, valueMinor } of entries) {
    if (!Number.isInteger(day) || !Number.isFinite(valueMinor)) throw new RangeError(`bad revenue entry day=${day} value=${valueMinor}`);
    byDay.set(day, (byDay.get(day) ?? 0) + valueMinor);
    if (valueMinor !== 0) {
      first = Math.min(first, day);
      last = Math.max(last, day);
    }
  }
  const fromDay = options.fromDay ?? first;
  const toDay = options.toDay ?? last;
  if (!Number.isFinite(fromDay) || !Number.isFinite(toDay) || toDay < fromDay) {
    throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'no revenue in the requested range');
  }
  const values: number[] = [];
  for (let d = fromDay; d <= toDay; d++) values.push(byDay.get(d) ?? 0);
  const daily: RevenueSeries = { granularity: 'day', startDay: fromDay, values };
  return options.granularity === 'week' ? weeklySeries(daily) : daily;
}

/**
 * A series from the purchases topic. Each order counts once, at its latest revision (the
 * joiner's rule: max revision wins), with its net amount if ACTIVE and nothing if VOIDED; it
 * is dated by `event_time` (when the order was placed) in `timeZone`.
 * @throws ClvError UNSUPPORTED_CURRENCY when orders in another currency than `currency` (default:
 *   the first order's) appear, since revenue is kept in one currency.
 */
export function revenueSeriesFromPurchases(
  purchases: Iterable<PurchaseEvent>,
  options: RevenueSeriesOptions & { timeZone: string; currency?: string },
): RevenueSeries {
  const latest = new Map<string, PurchaseEvent>();
  let currency = options.currency;
  for (const p of purchases) {
    currency ??= p.currency;
    if (p.currency !== currency) {
      throw new ClvError(ErrorCodes.UNSUPPORTED_CURRENCY, `order ${p.order_id} is in ${p.currency}, the revenue series in ${currency}`);
    }
    const seen = latest.get(p.order_id);
    if (seen === undefined || p.revision > seen.revision) latest.set(p.order_id, p);
  }
  const dayOf = dayIndexer(options.timeZone);
  const entries: { day: number; valueMinor: number }[] = [];
  for (const p of latest.values()) if (p.status === 'ACTIVE') entries.push({ day: dayOf(p.event_time), valueMinor: p.net_amount_minor });
  return revenueSeriesFromDays(entries, options);
}

/** Rolls a daily series up into whole ISO weeks (Monday–Sunday). Weekly series pass through. */
export function weeklySeries(series: RevenueSeries): RevenueSeries {
  if (series.granularity === 'week') return series;
  const monday = series.startDay + ((1 - weekdayOf(series.startDay) + 7) % 7);
  const values: number[] = [];
  for (let i = monday - series.startDay; i + 7 <= series.values.length; i += 7) {
    let sum = 0;
    for (let j = 0; j < 7; j++) sum += series.values[i + j];
    values.push(sum);
  }
  if (values.length === 0) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'the range holds no whole week');
  return { granularity: 'week', startDay: monday, values };
}

/** The periods whose start day lies in [fromDay, toDay]. */
export function sliceSeries(series: RevenueSeries, fromDay: number, toDay: number): RevenueSeries {
  const p = periodDays(series.granularity);
  const first = Math.max(0, Math.ceil((fromDay - series.startDay) / p));
  const end = Math.min(series.values.length, Math.floor((toDay - series.startDay) / p) + 1);
  return { granularity: series.granularity, startDay: series.startDay + first * p, values: series.values.slice(first, Math.max(first, end)) };
}

/** The series as (period start day, value) pairs. */
export function seriesPoints(series: RevenueSeries): PeriodValue[] {
  const p = periodDays(series.granularity);
  return series.values.map((value, i) => ({ day: series.startDay + i * p, value }));
}

/** Last day (inclusive) covered by the series. */
export function seriesEndDay(series: RevenueSeries): number {
  return series.startDay + series.values.length * periodDays(series.granularity) - 1;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01, day 0, was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}
