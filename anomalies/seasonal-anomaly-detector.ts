/**
 * Is a day's volume unusual against its own recent history? A robust z-score against the same
 * weekday of the previous weeks, on a log scale. With y = ln(1 + value):
 *   baseline  the median of y over the same weekday of the last `weeks` weeks;
 *   scale     1.4826 × the median absolute deviation (MAD) of every day of those weeks from its
 *             own weekday's median — pooled over the seven weekdays, so 7 × `weeks` days
 *             estimate it rather than `weeks` (the factor makes MAD estimate σ for normal data:
 *             Rousseeuw & Croux 1993, "Alternatives to the Median Absolute Deviation", JASA
 *             88(424)), widened by √(1 + π/(2·n)) because the baseline is itself a median of n
 *             days (its variance is πσ²/(2n)), and floored (below);
 *   verdict   a SPIKE or a DROP when |y − baseline| > k × scale.
 *
 * Why this shape:
 * - Same weekday: a shop's week is its strongest cycle (the synthetic shop's Saturday is 1.4×
 *   its Tuesday); comparing a Saturday with the Saturdays before keeps that cycle out of the
 *   score instead of widening the scale with it.
 * - Median and MAD, not mean and standard deviation: both ignore up to half of the history
 *   being odd, so last month's Black Friday, an outage or a campaign neither raises the
 *   baseline nor widens the scale for the weeks after it (a mean ± k·σ detector is blinded by
 *   the very anomalies it found).
 * - A log scale: volumes vary by a factor, not by an amount, and a day's value (a sum of
 *   skewed order values) has a long right tail. On the raw scale a drop can never score below
 *   −baseline/scale while a spike is unbounded, so drops are missed and the tail of big orders
 *   alarms; in logs ×3 and ×⅓ are equally far, and a day with nothing is far below anything.
 * - Eight weeks: enough days for a median to mean something, few enough to follow the seasons
 *   (the synthetic shop's months differ by up to 1.8×) and a growing or shrinking shop. The MAD
 *   of eight days alone is too unsteady for a threshold (one in several is half the true σ),
 *   hence the pooled scale: a shop's day-to-day spread in logs is much the same every weekday.
 * - Floors on the scale. MAD of a handful of days can come out near zero by chance: the scale
 *   is at least ln(1 + relativeFloor) (a day within that share of usual is never unusual), and
 *   for counts at least 1/√baseline, Poisson's relative standard deviation — a shop with 9
 *   orders on a usual Tuesday sees a third more or fewer by chance alone.
 * The false-alarm rates this gives on the synthetic shop and on CDNOW are measured by
 * bench/anomaly-false-alarms.ts (docs/anomalies.md).
 */
import type { CommerceMetric } from '../core/events.js';
import { CommerceMetrics, type DailyCommerceSeries } from './daily-commerce-series.js';

export interface DetectorOptions {
  /** Same weekdays looked back at (weeks of history). */
  weeks: number;
  /** k: how many scales from the baseline make a day unusual. */
  threshold: number;
  /** Fewest weeks of history (same weekdays before the day) needed to judge at all. */
  minHistoryWeeks: number;
  /** The scale is at least this share of the baseline. */
  relativeFloor: number;
}

export const DEFAULT_DETECTOR_OPTIONS: Readonly<DetectorOptions> = Object.freeze({ weeks: 8, threshold: 5, minHistoryWeeks: 4, relativeFloor: 0.1 });

/** 1 / Φ⁻¹(3/4): MAD × this estimates σ of a normal distribution. */
const MAD_TO_SIGMA = 1.4826;

export interface DayVerdict {
  day: number;
  metric: CommerceMetric;
  value: number;
  /** The usual value: the median of the history (same unit as value). */
  baseline: number;
  /** The usual range: a value outside [lower, upper] is unusual (same unit). */
  lower: number;
  upper: number;
  /** Robust z-score on the log scale: (ln(1 + value) − median) / scale. */
  score: number;
  /** Weeks of history judged against. */
  historyWeeks: number;
  /** null: usual. */
  direction: 'SPIKE' | 'DROP' | null;
}

/** A short name of the detector and its settings, carried by every anomaly event. */
export function detectorName(o: Readonly<DetectorOptions>): string {
  return `same-weekday log median ± ${o.threshold}·MAD, ${o.weeks} weeks`;
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * The verdict on day `i` of `values` (consecutive days), or null when fewer than
 * `minHistoryWeeks` same weekdays precede it within `weeks` weeks, or their median is 0
 * (nothing usual to compare with).
 */
export function judgeDay(values: ArrayLike<number>, i: number, kind: 'count' | 'amount', o: Readonly<DetectorOptions>): Omit<DayVerdict, 'day' | 'metric'> | null {
  const weeks = Math.min(o.weeks, Math.floor(i / 7));
  if (weeks < o.minHistoryWeeks) return null;
  // The weeks before day i, by weekday offset: byWeekday[k] holds days i − 7w + k − 7 … (k = 0 is i's weekday).
  let center = 0;
  const residuals: number[] = [];
  for (let k = 0; k < 7; k++) {
    const logs: number[] = [];
    for (let w = 1; w <= weeks; w++) {
      const j = i - 7 * w + k;
      if (j < i) logs.push(Math.log1p(values[j]));
    }
    if (logs.length === 0) continue;
    logs.sort((a, b) => a - b);
    const m = median(logs);
    if (k === 0) center = m;
    for (const y of logs) residuals.push(Math.abs(y - m));
  }
  const baseline = Math.expm1(center);
  if (baseline <= 0) return null;
  const mad = median(residuals.sort((a, b) => a - b));
  const scale = Math.max(MAD_TO_SIGMA * mad * Math.sqrt(1 + Math.PI / (2 * weeks)), Math.log1p(o.relativeFloor), kind === 'count' ? 1 / Math.sqrt(baseline) : 0);
  const value = values[i];
  const score = (Math.log1p(value) - center) / scale;
  const direction = score > o.threshold ? 'SPIKE' : score < -o.threshold ? 'DROP' : null;
  return { value, baseline, lower: Math.expm1(center - o.threshold * scale), upper: Math.expm1(center + o.threshold * scale), score, historyWeeks: weeks, direction };
}

/**
 * Verdicts for the days [fromDay, toDay] of the series, every metric (usual days included).
 * A day's history is the same weekday 1 to `weeks` weeks before it that lie in the series
 * (the series must start early enough to hold them).
 */
export function judgeDays(series: DailyCommerceSeries, fromDay: number, toDay: number, o: Readonly<DetectorOptions> = DEFAULT_DETECTOR_OPTIONS): DayVerdict[] {
  const out: DayVerdict[] = [];
  for (let day = Math.max(fromDay, series.firstDay); day <= Math.min(toDay, series.firstDay + series.days - 1); day++) {
    const i = day - series.firstDay;
    for (const { metric, kind } of CommerceMetrics) {
      const verdict = judgeDay(series.values[metric], i, kind, o);
      if (verdict) out.push({ day, metric, ...verdict });
    }
  }
  return out;
}
