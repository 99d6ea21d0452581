/**
 * `clv.anomalies.v1` in a table: days whose orders or payments were unusual
 * (anomalies/seasonal-anomaly-detector.ts). One row per metric and day: the event id is
 * `metric:day`, so a day found again (a restarted watch, a replay) collapses like any
 * redelivered event.
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const commerceAnomalies: Migration = {
  version: 11,
  name: 'commerce anomalies',
  statements: (db) => [
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'commerce_anomalies')} (
      event_id String, event_time DateTime('UTC'), event_time_ms Int64, day String, metric String, direction String,
      value Int64, baseline Float64, lower Float64, upper Float64, score Float64, history_weeks Int32, currency String, detector String
    ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(event_time) ORDER BY (metric, day, event_id)`,
  ],
};
