/**
 * Seasonal modulation of the purchase rate. BG/NBD assumes a constant λ; real shops peak in
 * Nov–Dec, on Black Friday and at weekends. The generator thins a Poisson process of rate
 * λ·max(s) with acceptance s(day)/max(s); normalising s to mean 1 over every calendar year
 * keeps each customer's expected purchases per year equal to 52·λ (λ per week), so the
 * BG/NBD parameters remain the right answer for a fitted model.
 */
import { MS_PER_DAY } from '../../core/calendar.js';
import type { HistoryCalendar } from './history-calendar.js';
import type { SeasonalityOptions } from './options.js';

/** Day index (core/calendar.ts) of Black Friday, the day after the fourth Thursday of November. */
export function blackFridayDay(year: number): number {
  const nov1 = Date.UTC(year, 10, 1) / MS_PER_DAY;
  const weekday = (nov1 + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  const firstThursday = nov1 + ((4 - weekday + 7) % 7);
  return firstThursday + 21 + 1;
}

/** Unnormalised factor of one day: month × weekday × Black Friday / Cyber Monday peak. */
function rawFactor(day: number, o: SeasonalityOptions, peaks: Map<number, number>): number {
  const date = new Date(day * MS_PER_DAY);
  const year = date.getUTCFullYear();
  let bf = peaks.get(year);
  if (bf === undefined) peaks.set(year, (bf = blackFridayDay(year)));
  const peak = day === bf ? o.blackFridayBoost : day === bf + 3 ? 1 + (o.blackFridayBoost - 1) / 2 : 1;
  return o.monthWeights[date.getUTCMonth()] * o.weekdayWeights[(day + 4) % 7] * peak;
}

/**
 * Seasonal factor per day of the calendar (index 0 = first day), scaled so that the mean over
 * each whole calendar year — not just the part inside the history — is 1. Days that do not
 * exist locally (a zone skipping a date) get 0.
 */
export function dailySeasonality(calendar: HistoryCalendar, o: SeasonalityOptions): Float64Array {
  const peaks = new Map<number, number>();
  const yearMean = new Map<number, number>();
  const meanOfYear = (year: number): number => {
    let m = yearMean.get(year);
    if (m === undefined) {
      const from = Date.UTC(year, 0, 1) / MS_PER_DAY;
      const to = Date.UTC(year + 1, 0, 1) / MS_PER_DAY;
      let sum = 0;
      for (let d = from; d < to; d++) sum += rawFactor(d, o, peaks);
      yearMean.set(year, (m = sum / (to - from)));
    }
    return m;
  };
  const out = new Float64Array(calendar.days);
  for (let i = 0; i < calendar.days; i++) {
    const day = calendar.startDay + i;
    const exists = calendar.dayStartMs[i + 1] > calendar.dayStartMs[i];
    out[i] = exists ? rawFactor(day, o, peaks) / meanOfYear(new Date(day * MS_PER_DAY).getUTCFullYear()) : 0;
  }
  return out;
}

/**
 * A monotone map from a uniform fraction of the day to one shaped by `hourWeights` (the
 * inverse of their piecewise-linear CDF). Given their count, the points of a Poisson process
 * within a day are i.i.d. uniform, so warping each keeps the daily counts and the order of
 * events and only moves purchases from 3 a.m. to the evening.
 */
export function intradayWarp(hourWeights: readonly number[]): (fraction: number) => number {
  const n = hourWeights.length;
  const cum = new Float64Array(n + 1);
  for (let h = 0; h < n; h++) cum[h + 1] = cum[h] + hourWeights[h];
  const total = cum[n];
  for (let h = 0; h <= n; h++) cum[h] /= total;
  return (fraction) => {
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid + 1] > fraction) hi = mid;
      else lo = mid + 1;
    }
    const width = cum[lo + 1] - cum[lo];
    const within = width > 0 ? (fraction - cum[lo]) / width : 0;
    return Math.min((lo + within) / n, 1 - Number.EPSILON);
  };
}
