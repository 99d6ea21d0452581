/**
 * The sufficient statistics of BG/NBD and Gamma-Gamma for one customer, derived from the
 * customer's purchase days. As in Fader, Hardie & Lee (2005) and the lifetimes library,
 * all purchases on one calendar day form one transaction; the first day is the "birth"
 * and does not count as a repeat purchase.
 */

/** RFM of one customer, in calendar days and minor units. */
export interface RepeatPurchaseSummary {
  /** Day index of the first purchase. */
  firstDay: number;
  /** Day index of the last purchase. */
  lastDay: number;
  /** Distinct purchase days, the first included (≥ 1). */
  purchaseDays: number;
  /** Distinct purchase days after the first: the papers' x. */
  repeatPurchaseDays: number;
  /** Sum of the values of the repeat purchase days, minor units. */
  repeatValueMinor: number;
  /** Sum of the values of all purchase days, minor units. */
  totalValueMinor: number;
}

/**
 * Summarises a customer's purchase days (day index → value of that day, minor units).
 * Returns null for a customer with no purchase day. Independent of iteration order.
 */
export function summarizePurchaseDays(days: Iterable<readonly [day: number, valueMinor: number]>): RepeatPurchaseSummary | null {
  let firstDay = Infinity;
  let firstValue = 0;
  let lastDay = -Infinity;
  let count = 0;
  let total = 0;
  for (const [day, value] of days) {
    count++;
    total += value;
    if (day < firstDay) { firstDay = day; firstValue = value; }
    if (day > lastDay) lastDay = day;
  }
  if (count === 0) return null;
  return {
    firstDay,
    lastDay,
    purchaseDays: count,
    repeatPurchaseDays: count - 1,
    repeatValueMinor: total - firstValue,
    totalValueMinor: total,
  };
}

/** One customer as the models see it: (x, t_x, T) in periods and mean repeat value. */
export interface ModelInput {
  /** x: repeat purchase days. */
  frequency: number;
  /** t_x: first to last purchase, periods. */
  recency: number;
  /** T: first purchase to as-of, periods. */
  T: number;
  /** Mean value of a repeat purchase day in currency units (not minor); 0 when x = 0. */
  monetaryValue: number;
  /**
   * The calendar day (core/calendar.ts index) at which T ends: the first purchase was on
   * asOfDay − T·periodDays. Models in calendar time ignore it; the seasonal model needs it.
   */
  asOfDay: number;
}

/**
 * Converts a summary to model units as of `asOfDay`. `periodDays` is 7 for weeks, as in the
 * papers (t_x and T are fractional weeks). `minorPerUnit` is 100 for cents.
 */
export function toModelInput(s: RepeatPurchaseSummary, asOfDay: number, periodDays: number, minorPerUnit: number): ModelInput {
  const end = Math.max(asOfDay, s.lastDay);
  const T = end - s.firstDay;
  return {
    asOfDay: end,
    frequency: s.repeatPurchaseDays,
    recency: (s.lastDay - s.firstDay) / periodDays,
    T: T / periodDays,
    monetaryValue: s.repeatPurchaseDays > 0 ? s.repeatValueMinor / s.repeatPurchaseDays / minorPerUnit : 0,
  };
}
