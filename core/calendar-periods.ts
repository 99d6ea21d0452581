/**
 * Calendar periods in the shop's time zone: days from local midnight, ISO weeks from Monday,
 * months from the 1st. Revenue is reported per such period, so a period is never a fixed
 * number of milliseconds: a day is 23 or 25 hours across a DST change, a month 28 to 31 days.
 */
import { dayIndexer, instantOfLocalTime, MS_PER_DAY } from './calendar.js';

export const CalendarPeriods = ['day', 'week', 'month'] as const;
export type CalendarPeriod = (typeof CalendarPeriods)[number];

/** Day index of a UTC calendar date; years before 100 too (Date.UTC reads 0–99 as 1900–1999). */
function dayOfDate(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return Math.floor(d.getTime() / MS_PER_DAY);
}

/** Day index (core/calendar.ts) → the same calendar arithmetic in days. */
function startDayOf(day: number, period: CalendarPeriod): number {
  if (period === 'day') return day;
  // Day 0 (1970-01-01) was a Thursday: Monday is 3 days before it.
  if (period === 'week') return day - (((day + 3) % 7) + 7) % 7;
  const d = new Date(day * MS_PER_DAY);
  return dayOfDate(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function addToDay(day: number, period: CalendarPeriod, n: number): number {
  if (period === 'day') return day + n;
  if (period === 'week') return day + 7 * n;
  const d = new Date(day * MS_PER_DAY);
  // The same day of the month, or the month's last when it is shorter (Jan 31 + 1 month = Feb 28/29).
  const lastDay = new Date(dayOfDate(d.getUTCFullYear(), d.getUTCMonth() + n + 1, 0) * MS_PER_DAY).getUTCDate();
  return dayOfDate(d.getUTCFullYear(), d.getUTCMonth() + n, Math.min(d.getUTCDate(), lastDay));
}

export interface CalendarPeriodsOf {
  /** The start of the period holding `ms`: local midnight, the Monday, the 1st. */
  startOf(ms: number): number;
  /**
   * Consecutive period boundaries from `fromMs` (n + 1 of them for n periods): `count`
   * periods, or as many as it takes for the last to hold `untilMs`. A `fromMs` that is not
   * a period start keeps its local time of day (periods then start at that hour).
   */
  boundaries(fromMs: number, until: { count: number } | { untilMs: number }): number[];
}

/** Calendar periods of one kind in a time zone (an IANA name; RangeError when unknown). */
export function calendarPeriods(period: CalendarPeriod, timeZone: string): CalendarPeriodsOf {
  const dayOf = dayIndexer(timeZone);
  const at = instantOfLocalTime(timeZone);
  return {
    startOf: (ms) => at(startDayOf(dayOf(ms), period), 0),
    boundaries(fromMs, until) {
      const fromDay = dayOf(fromMs);
      // Local wall-clock offset into the day, kept for every boundary.
      const hour = (fromMs - at(fromDay, 0)) / 3_600_000;
      const boundary = (n: number) => at(addToDay(fromDay, period, n), hour);
      const out = [fromMs];
      if ('count' in until) {
        for (let n = 1; n <= until.count; n++) out.push(boundary(n));
        return out;
      }
      for (let n = 1; out.at(-1)! <= until.untilMs; n++) out.push(boundary(n));
      return out;
    },
  };
}
