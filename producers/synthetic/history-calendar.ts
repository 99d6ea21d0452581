/**
 * The history's window of local calendar days and the instants where they begin. The
 * generator works in "local-day positions" u (days since the first day, fractional) so that
 * seasonality and day merging follow the shop's time zone; `instantAt` turns a position into
 * epoch ms such that `dayIndexer(timeZone)(instantAt(d, f)) === startDay + d` always holds —
 * the ground truth's days are then exactly the days the pipeline will compute.
 */
import { dayIndexer, dayIndexOfDate, MS_PER_DAY, type DayIndexer } from '../../core/calendar.js';

export interface HistoryCalendar {
  timeZone: string;
  /** Day index (core/calendar.ts) of the first day. */
  startDay: number;
  /** Day index of the last day, inclusive. */
  endDay: number;
  /** Number of days, endDay − startDay + 1. */
  days: number;
  /** dayStartMs[i] is the first epoch ms of local day startDay + i; length days + 1. */
  dayStartMs: Float64Array;
  /** First instant of the history. */
  startMs: number;
  /** First instant after the history (exclusive end). */
  endMs: number;
  dayOf: DayIndexer;
}

const HOUR_MS = 3_600_000;

/**
 * First ms of local day `day`. Offsets lie within ±26 h of UTC, so the start is bracketed by
 * day·24h ∓ 26h; a guess from the previous day's offset is right except across a change,
 * where a binary search (≈ 28 probes) finds the exact ms, including days that begin at 01:00
 * because midnight was skipped.
 */
function firstInstantOf(dayOf: DayIndexer, day: number, guess: number): number {
  if (dayOf(guess) === day && dayOf(guess - 1) === day - 1) return guess;
  let lo = day * MS_PER_DAY - 26 * HOUR_MS;
  let hi = day * MS_PER_DAY + 26 * HOUR_MS;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (dayOf(mid) >= day) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The calendar of local days `start`..`end` (inclusive) in `timeZone`. */
export function historyCalendar(start: string, end: string, timeZone: string): HistoryCalendar {
  const dayOf = dayIndexer(timeZone);
  const startDay = dayIndexOfDate(start);
  const endDay = dayIndexOfDate(end);
  if (endDay < startDay) throw new RangeError(`start ${start} is after end ${end}`);
  const days = endDay - startDay + 1;
  const dayStartMs = new Float64Array(days + 1);
  let offset = 0;
  for (let i = 0; i <= days; i++) {
    const day = startDay + i;
    const at = firstInstantOf(dayOf, day, day * MS_PER_DAY - offset);
    dayStartMs[i] = at;
    offset = day * MS_PER_DAY - at;
  }
  return { timeZone, startDay, endDay, days, dayStartMs, startMs: dayStartMs[0], endMs: dayStartMs[days], dayOf };
}

/**
 * Epoch ms at position `fraction` ∈ [0, 1) of local day `dayOffset` (0 = first day). Days of
 * 23 or 25 hours are stretched, so a fraction is a share of the day, not of 24 hours.
 */
export function instantAt(calendar: HistoryCalendar, dayOffset: number, fraction: number): number {
  const from = calendar.dayStartMs[dayOffset];
  const length = calendar.dayStartMs[dayOffset + 1] - from;
  // min() guards the last ms against float rounding pushing it into the next day.
  return Math.min(from + Math.floor(fraction * length), from + length - 1);
}
