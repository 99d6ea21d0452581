/**
 * Which kind of model produced each score (models/kinds/: BG/NBD + Gamma-Gamma, its seasonal
 * form, the ensemble, the RFM rules), beside the version that already was there. Rows written
 * before read '' (the Avro default of older score events too).
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const scoreModelKind: Migration = {
  version: 8,
  name: 'model kind on scores',
  statements: () => [],
  addColumns: (db) => [{ table: 'clv_scores', column: 'model_kind', statement: sql`ALTER TABLE ${ident(db, 'clv_scores')} ADD COLUMN ${ident('model_kind')} String` }],
};
