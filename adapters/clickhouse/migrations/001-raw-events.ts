/**
 * Raw commerce events as they arrived. Every table is a ReplacingMergeTree whose sorting key
 * ends with the event_id: a redelivered event is an identical row with the same key, which
 * merges (and FINAL) collapse. No version column: duplicates are identical, so which one
 * survives does not matter. Partitions by event month keep replays of old history cheap to
 * drop and re-load.
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const rawEvents: Migration = {
  version: 1,
  name: 'raw commerce events',
  statements: (db) => [
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'orders')} (
      event_id String, event_time DateTime('UTC'), event_time_ms Int64, type String,
      customer_id String, order_id String, amount_minor Int64, currency String, line_item_count Int32
    ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(event_time) ORDER BY (customer_id, order_id, event_id)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'order_line_items')} (
      event_id String, event_time DateTime('UTC'), event_time_ms Int64, customer_id String, order_id String,
      line_no Int32, sku String, category String, quantity Int32, unit_price_minor Int64
    ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(event_time) ORDER BY (customer_id, order_id, event_id, line_no)`,
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'payments')} (
      event_id String, event_time DateTime('UTC'), event_time_ms Int64, type String, customer_id String,
      order_id String, payment_id String, amount_minor Int64, currency String
    ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(event_time) ORDER BY (customer_id, order_id, event_id)`,
  ],
};
