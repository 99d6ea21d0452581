/**
 * Which row of a customer's features and scores is "the latest", as the ClickHouse views
 * `customer_features_latest` and `clv_scores_latest` pick it
 * (adapters/clickhouse/migrations/015-latest-by-version.ts), for whatever reads the raw rows in
 * memory (the fault suite's fault-free run, tests). One rule for both sides.
 *
 * Latest by a per-customer version, not by as-of time: the as-of moves back when a customer's
 * latest order is voided, and the newer row must win so that the result is the same as when
 * that order arrived already voided. Features: the event id (`customer@orders.revisions`,
 * zero-padded). Scores: `sequence`, then as-of and id (rows from before sequences carry 0).
 * A customer with no active order (features with no purchase days, a withdrawn score with
 * segment '') has no row.
 */
import type { ClvScoreEvent, CustomerFeaturesEvent } from './events.js';

function latestBy<R extends { customer_id: string }>(rows: Iterable<R>, newer: (a: R, b: R) => boolean): Map<string, R> {
  const out = new Map<string, R>();
  for (const r of rows) {
    const seen = out.get(r.customer_id);
    if (seen === undefined || newer(r, seen)) out.set(r.customer_id, r);
  }
  return out;
}

function without<R>(latest: Map<string, R>, gone: (r: R) => boolean): Map<string, R> {
  for (const [k, r] of latest) if (gone(r)) latest.delete(k);
  return latest;
}

/** Each customer's latest features row, as `customer_features_latest` shows it. */
export function latestFeaturesRows<R extends Pick<CustomerFeaturesEvent, 'customer_id' | 'event_id' | 'purchase_days'>>(rows: Iterable<R>): Map<string, R> {
  return without(latestBy(rows, (a, b) => a.event_id > b.event_id), (r) => r.purchase_days === 0);
}

/** Each customer's latest score row, as `clv_scores_latest` shows it. */
export function latestScoreRows<R extends Pick<ClvScoreEvent, 'customer_id' | 'event_time' | 'event_id' | 'segment'> & { sequence?: number }>(rows: Iterable<R>): Map<string, R> {
  const newer = (a: R, b: R) => {
    const sa = a.sequence ?? 0;
    const sb = b.sequence ?? 0;
    if (sa !== sb) return sa > sb;
    return a.event_time > b.event_time || (a.event_time === b.event_time && a.event_id > b.event_id);
  };
  return without(latestBy(rows, newer), (r) => r.segment === '');
}
