/**
 * The erasure audit trail (clv.erasures.v1): one row per completed erasure, kept when the
 * customer's other rows are deleted (ClickHouseAnalyticsStore.forgetCustomer).
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const erasures: Migration = {
  version: 12,
  name: 'erasure audit trail',
  statements: (db) => [
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'erasures')} (
      event_id String, event_time DateTime('UTC'), event_time_ms Int64, customer_id String, requested_by String,
      state_keys_deleted Int32, tombstoned_topics Array(String), analytics_tables Array(String)
    ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(event_time) ORDER BY (customer_id, event_id)`,
  ],
};
