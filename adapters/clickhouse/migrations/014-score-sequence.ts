/**
 * Each score's `sequence`, the customer's score version (core/events.ts ClvScoreEvent): the
 * latest score is the one with the greatest, not the latest as-of, which moves back when a
 * customer's latest order is voided. Rows written before read 0 (the Avro default of older
 * score events too), so among them the as-of still decides (015).
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const scoreSequence: Migration = {
  version: 14,
  name: 'sequence on scores',
  statements: () => [],
  addColumns: (db) => [{ table: 'clv_scores', column: 'sequence', statement: sql`ALTER TABLE ${ident(db, 'clv_scores')} ADD COLUMN ${ident('sequence')} Int64` }],
};
