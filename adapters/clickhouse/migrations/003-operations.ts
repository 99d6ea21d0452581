/**
 * Operations: dead letters (the original bytes as hex, with why they were rejected) and
 * the model registry's audit trail.
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const operations: Migration = {
  version: 3,
  name: 'dead letters and model runs',
  statements: (db) => [
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'dead_letters')} (
      event_id String, event_time DateTime('UTC'), event_time_ms Int64, source_topic String, source_partition Int32,
      source_offset String, key Nullable(String), payload_hex String, payload_json Nullable(String), error_code String, reason String
    ) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(event_time) ORDER BY (source_topic, event_id)`,
    // One row per status change of a model version; the row with the greatest updated_at
    // wins (FINAL / merges), the last written on a tie.
    sql`CREATE TABLE IF NOT EXISTS ${ident(db, 'model_runs')} (
      version String, kind String, trained_at DateTime('UTC'), calibration_start DateTime('UTC'), calibration_end DateTime('UTC'),
      holdout_end DateTime('UTC'), params_json String, metrics_json String, status String, updated_at DateTime('UTC')
    ) ENGINE = ReplacingMergeTree(updated_at) PARTITION BY toYYYYMM(trained_at) ORDER BY (version)`,
  ],
};
