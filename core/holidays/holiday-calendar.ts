/**
 * Holiday calendars for the revenue forecaster: which days are holidays, and how many days
 * around each one the holiday's effect may reach. This is Prophet's holiday term h(t)
 * (Taylor & Letham 2018, "Forecasting at Scale", The American Statistician 72(1), §3.3):
 * every (holiday, offset) pair in [lowerWindow, upperWindow] becomes one indicator column,
 * so that a pre-Tết shopping run-up and the quiet days of Tết itself get their own effects.
 *
 * Definitions are plain data (JSON-serialisable), so a fitted forecast can store the calendar
 * it was fitted with and predict future occurrences after a reload.
 */
import { dateOfDayIndex, dayIndexOfDate, MS_PER_DAY } from '../calendar.js';

/** Which days a holiday falls on. Weekdays count 0 = Sunday … 6 = Saturday (JavaScript). */
export type HolidayRule =
  /** Explicit dates `YYYY-MM-DD` (lunar holidays, one-off events). */
  | { dates: readonly string[] }
  /** The same month/day every year (month 1–12); Feb 29 only in leap years. */
  | { annual: { month: number; day: number } }
  /**
   * The n-th given weekday of a month (n = −1: the last), shifted by `offsetDays`:
   * US Thanksgiving is {month: 11, weekday: 4, n: 4}; Black Friday adds offsetDays 1.
   */
  | { nthWeekday: { month: number; weekday: number; n: number; offsetDays?: number } };

/** One holiday with its window of influence. */
export interface HolidayDefinition {
  /** Unique within a calendar; names the model's holiday columns. */
  name: string;
  rule: HolidayRule;
  /** First day of influence relative to the holiday, days, integer ≤ 0 (Prophet's lower_window). */
  lowerWindow: number;
  /** Last day of influence relative to the holiday, days, integer ≥ 0 (Prophet's upper_window). */
  upperWindow: number;
  /** Prior scale of this holiday's effects; default: the forecaster's holidaysPriorScale. */
  priorScale?: number;
}

/** A validated, frozen set of holidays with unique names. */
export interface HolidayCalendar {
  readonly holidays: readonly HolidayDefinition[];
}

/**
 * Tết (Vietnamese Lunar New Year, first day of the first lunar month) per year. Vietnam
 * reckons the lunar calendar in UTC+7, so a new moon just after 16:00 UTC starts the month a
 * day earlier than in China (UTC+8): Tết 2030 is 2 February, Chinese New Year 3 February.
 * Every date is checked in tests against an astronomical new-moon computation.
 */
export const TET_DATES: Readonly<Record<number, string>> = Object.freeze({
  2015: '2015-02-19', 2016: '2016-02-08', 2017: '2017-01-28', 2018: '2018-02-16', 2019: '2019-02-05',
  2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10',
  2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13',
  2030: '2030-02-02', 2031: '2031-01-23', 2032: '2032-02-11', 2033: '2033-01-31', 2034: '2034-02-19',
  2035: '2035-02-08',
});

/** Tết of a year in 2015–2035, `YYYY-MM-DD`. @throws RangeError outside the table. */
export function tetDate(year: number): string {
  const date = TET_DATES[year];
  if (date === undefined) throw new RangeError(`no Tết date for ${year} (table covers 2015–2035)`);
  return date;
}

/**
 * Vietnam: Tết with the shopping run-up of the week before and the holiday days after it,
 * Reunification Day (30/4, next to Labour Day 1/5) and National Day (2/9). Tết is known
 * only for 2015–2035: forecasts beyond 2035 see no Tết.
 */
export const VIETNAM_HOLIDAYS: readonly HolidayDefinition[] = freezeAll([
  { name: 'Tết', rule: { dates: Object.values(TET_DATES) }, lowerWindow: -7, upperWindow: 4 },
  { name: 'Reunification Day', rule: { annual: { month: 4, day: 30 } }, lowerWindow: -1, upperWindow: 1 },
  { name: 'National Day', rule: { annual: { month: 9, day: 2 } }, lowerWindow: -1, upperWindow: 1 },
]);

/**
 * Common retail days. Black Friday is the day after US Thanksgiving (fourth Thursday of
 * November); its window runs from Thanksgiving to the Sunday, and Cyber Monday (Black
 * Friday + 3 days) has its own column so the two windows do not overlap.
 */
export const RETAIL_HOLIDAYS: readonly HolidayDefinition[] = freezeAll([
  { name: 'Black Friday', rule: { nthWeekday: { month: 11, weekday: 4, n: 4, offsetDays: 1 } }, lowerWindow: -1, upperWindow: 2 },
  { name: 'Cyber Monday', rule: { nthWeekday: { month: 11, weekday: 4, n: 4, offsetDays: 4 } }, lowerWindow: 0, upperWindow: 0 },
  { name: 'Christmas', rule: { annual: { month: 12, day: 25 } }, lowerWindow: -3, upperWindow: 1 },
  { name: 'New Year', rule: { annual: { month: 1, day: 1 } }, lowerWindow: -1, upperWindow: 0 },
  { name: "Singles' Day", rule: { annual: { month: 11, day: 11 } }, lowerWindow: 0, upperWindow: 0 },
]);

/** Built-in sets a holiday file can include by name. */
export const BUILT_IN_HOLIDAY_SETS: Readonly<Record<string, readonly HolidayDefinition[]>> = Object.freeze({
  vietnam: VIETNAM_HOLIDAYS,
  retail: RETAIL_HOLIDAYS,
});

/**
 * A calendar of the given holidays (already validated: see holiday-file.ts for user input).
 * @throws RangeError on a duplicate name.
 */
export function holidayCalendar(holidays: readonly HolidayDefinition[]): HolidayCalendar {
  const seen = new Set<string>();
  for (const h of holidays) {
    if (seen.has(h.name)) throw new RangeError(`duplicate holiday name "${h.name}"`);
    seen.add(h.name);
  }
  return Object.freeze({ holidays: freezeAll(holidays) });
}

/** Day indices (core/calendar.ts) on which a holiday falls, within [fromDay, toDay], ascending. */
export function holidayDays(holiday: HolidayDefinition, fromDay: number, toDay: number): number[] {
  const days: number[] = [];
  const rule = holiday.rule;
  if ('dates' in rule) {
    for (const d of rule.dates) days.push(dayIndexOfDate(d));
  } else {
    const firstYear = yearOfDay(fromDay) - 1; // an offset rule may reach back into the previous year
    const lastYear = yearOfDay(toDay) + 1;
    for (let year = firstYear; year <= lastYear; year++) {
      const day = 'annual' in rule ? annualDay(year, rule.annual.month, rule.annual.day) : nthWeekdayDay(year, rule.nthWeekday);
      if (day !== null) days.push(day);
    }
  }
  return days.filter((d) => d >= fromDay && d <= toDay).sort((a, b) => a - b);
}

/** One holiday occurrence. */
export interface HolidayOccurrence {
  name: string;
  day: number;
  date: string;
}

/** Every occurrence of every holiday in [fromDay, toDay], by day then calendar order. */
export function holidayOccurrences(calendar: HolidayCalendar, fromDay: number, toDay: number): HolidayOccurrence[] {
  const out: HolidayOccurrence[] = [];
  for (const h of calendar.holidays) for (const day of holidayDays(h, fromDay, toDay)) out.push({ name: h.name, day, date: dateOfDayIndex(day) });
  return out.sort((a, b) => a.day - b.day);
}

function yearOfDay(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

function annualDay(year: number, month: number, day: number): number | null {
  const ms = Date.UTC(year, month - 1, day);
  return new Date(ms).getUTCDate() === day ? ms / MS_PER_DAY : null; // Feb 29 in a common year
}

function nthWeekdayDay(year: number, r: { month: number; weekday: number; n: number; offsetDays?: number }): number | null {
  const first = Date.UTC(year, r.month - 1, 1) / MS_PER_DAY;
  const daysInMonth = new Date(Date.UTC(year, r.month, 0)).getUTCDate();
  const weekdayOfFirst = (first + 4) % 7; // 1970-01-01 was a Thursday
  const firstMatch = first + ((r.weekday - weekdayOfFirst + 7) % 7);
  const count = Math.floor((first + daysInMonth - 1 - firstMatch) / 7) + 1;
  const index = r.n > 0 ? r.n - 1 : count + r.n;
  if (index < 0 || index >= count) return null; // e.g. no fifth Monday this month
  return firstMatch + 7 * index + (r.offsetDays ?? 0);
}

/** Deep-frozen copies: calendars are shared between fits and must not change under a model. */
function freezeAll(holidays: readonly HolidayDefinition[]): readonly HolidayDefinition[] {
  return Object.freeze(holidays.map((h) => deepFreeze(structuredClone(h))));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
