/**
 * Each score's and segment change's recommendation: the categories to promote, why, and an
 * upsell's price floor (core/recommendations/). Not Nullable: rows written before
 * recommendations read the types' defaults — no categories, an empty reason, no price floor
 * (0) — which is also what the Avro schemas give older events. Added with `addColumns`
 * (18.16 has no ADD COLUMN IF NOT EXISTS; the migrator skips a column that exists).
 */
import { ident, sql } from '../sql.js';
import type { ColumnAddition, Migration } from './migration.js';

const COLUMNS: ReadonlyArray<[column: string, type: 'Array(String)' | 'String' | 'Int64']> = [
  ['recommended_categories', 'Array(String)'],
  ['recommendation_reason', 'String'],
  ['recommended_min_unit_price_minor', 'Int64'],
];

export const recommendations: Migration = {
  version: 6,
  name: 'recommendations on scores and segment changes',
  statements: () => [],
  addColumns: (db) => ['clv_scores', 'segment_changes'].flatMap((table) => COLUMNS.map(([column, type]): ColumnAddition => ({
    table,
    column,
    // The type is one of three literals above, never input: each gets its own template.
    statement: type === 'Array(String)'
      ? sql`ALTER TABLE ${ident(db, table)} ADD COLUMN ${ident(column)} Array(String)`
      : type === 'String'
        ? sql`ALTER TABLE ${ident(db, table)} ADD COLUMN ${ident(column)} String`
        : sql`ALTER TABLE ${ident(db, table)} ADD COLUMN ${ident(column)} Int64`,
  }))),
};
