/**
 * Each score's predictive interval (models/clv/clv-predictive-interval.ts). Nullable: rows
 * written before intervals, and scores of models that give a point estimate only, have
 * none. Added with `addColumns` (ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS; the
 * migrator skips a column that exists); existing parts read NULL without a rewrite.
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const clvIntervals: Migration = {
  version: 5,
  name: 'clv score intervals',
  statements: () => [],
  addColumns: (db) => [
    { table: 'clv_scores', column: 'clv_lower_minor', statement: sql`ALTER TABLE ${ident(db, 'clv_scores')} ADD COLUMN ${ident('clv_lower_minor')} Nullable(Int64)` },
    { table: 'clv_scores', column: 'clv_upper_minor', statement: sql`ALTER TABLE ${ident(db, 'clv_scores')} ADD COLUMN ${ident('clv_upper_minor')} Nullable(Int64)` },
    { table: 'clv_scores', column: 'clv_interval_level', statement: sql`ALTER TABLE ${ident(db, 'clv_scores')} ADD COLUMN ${ident('clv_interval_level')} Nullable(Float64)` },
  ],
};
