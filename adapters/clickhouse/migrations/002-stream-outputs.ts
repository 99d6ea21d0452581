/**
 * What the processors publish: purchase revisions, feature snapshots, scores and segment
 * changes. Each event is one row, deduplicated on event_id like the raw tables; the
 * "latest per order / per customer" views of 004 pick among them.
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const streamOutputs: Migration = {
  version: 2,
  name: 'purchases, features, scores, segment changes',
  statements: (db) => [
    // Each revision of an order is its own event (event_id = order_id:revision); the
    // version column only documents which row is newest for readers.
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'purchases')} (
      event_id String, event_time DateTime('UTC'), event_time_ms Int64, customer_id String, order_id String,
      revision Int32, status String, net_amount_minor Int64, currency String, categories Array(String)
    ) ENGINE = ReplacingMergeTree(revision) PARTITION BY toYYYYMM(event_time) ORDER BY (customer_id, order_id, event_id)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'customer_features')} (
      event_id String, event_time DateTime('UTC'), event_time_ms Int64, customer_id String,
      first_purchase_time DateTime('UTC'), last_purchase_time DateTime('UTC'), purchase_days Int32, repeat_purchase_days Int32,
      repeat_value_minor Int64, total_value_minor Int64, currency String
    ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(event_time) ORDER BY (customer_id, event_id)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'clv_scores')} (
      event_id String, event_time DateTime('UTC'), event_time_ms Int64, customer_id String, model_version String,
      clv_minor Int64, p_alive Float64, expected_purchases Float64, expected_avg_value_minor Int64, horizon_days Int32,
      segment String, action String, currency String
    ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(event_time) ORDER BY (customer_id, event_id)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'segment_changes')} (
      event_id String, event_time DateTime('UTC'), event_time_ms Int64, customer_id String,
      previous_segment Nullable(String), segment String, clv_minor Int64, action String, reason String, model_version String
    ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(event_time) ORDER BY (customer_id, event_id)`,
  ],
};
