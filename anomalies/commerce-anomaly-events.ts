/** Unusual days as `clv.anomalies.v1` events (core/events.ts CommerceAnomalyEvent). */
import { dateOfDayIndex } from '../core/calendar.js';
import type { CommerceAnomalyEvent } from '../core/events.js';
import type { DayVerdict } from './seasonal-anomaly-detector.js';

/**
 * The event of an unusual day; its id is `metric:day`, so whichever run (or replay) finds the
 * day again publishes the same event. `dayStartMs` gives the day's first instant in the shop's zone.
 */
export function commerceAnomalyEvent(v: DayVerdict & { direction: 'SPIKE' | 'DROP' }, dayStartMs: (day: number) => number, currency: string, detector: string): CommerceAnomalyEvent {
  const day = dateOfDayIndex(v.day);
  return {
    event_id: `${v.metric}:${day}`, event_time: dayStartMs(v.day), day, metric: v.metric, direction: v.direction,
    value: Math.round(v.value), baseline: v.baseline, lower: v.lower, upper: v.upper, score: v.score, history_weeks: v.historyWeeks, currency, detector,
  };
}
