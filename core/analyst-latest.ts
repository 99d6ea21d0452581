/**
 * Which row of a customer's features and scores is "the latest", as the ClickHouse views
 * `customer_features_latest` and `clv_scores_latest` pick it, for whatever reads the raw rows
 * in memory (the in-memory analytics store, tests). One rule for both sides.
 */
import type { ClvScoreEvent, CustomerFeaturesEvent } from './events.js';

const byTimeThenId = (a: { event_time: number; event_id: string }, b: { event_time: number; event_id: string }) =>
  a.event_time > b.event_time || (a.event_time === b.event_time && a.event_id > b.event_id);

function latestBy<R extends { customer_id: string }>(rows: Iterable<R>, newer: (a: R, b: R) => boolean): Map<string, R> {
  const out = new Map<string, R>();
  for (const r of rows) {
    const seen = out.get(r.customer_id);
    if (seen === undefined || newer(r, seen)) out.set(r.customer_id, r);
  }
  return out;
}

/** Each customer's latest features row. */
export function latestFeaturesRows<R extends Pick<CustomerFeaturesEvent, 'customer_id' | 'event_time' | 'event_id' | 'purchase_days'>>(rows: Iterable<R>): Map<string, R> {
  return latestBy(rows, byTimeThenId);
}

/** Each customer's latest score row. */
export function latestScoreRows<R extends Pick<ClvScoreEvent, 'customer_id' | 'event_time' | 'event_id' | 'segment'>>(rows: Iterable<R>): Map<string, R> {
  return latestBy(rows, byTimeThenId);
}
