/**
 * A schema migration: a version, a name, and statements that are each idempotent on their
 * own (`IF NOT EXISTS`). ClickHouse has no transactional DDL, so a migration interrupted
 * half-way is simply run again from its first statement. Never edit a released migration:
 * add a new one.
 */
import type { SqlFragment } from '../sql.js';

export interface Migration {
  /** Positive, unique, applied in increasing order. */
  version: number;
  name: string;
  /** The statements, with every table qualified by `database`. */
  statements(database: string): SqlFragment[];
  /** Columns added to existing tables, after the statements (see ColumnAddition). */
  addColumns?(database: string): ColumnAddition[];
}

/**
 * `ALTER TABLE … ADD COLUMN`, run only when system.columns lacks the column: ClickHouse 18.16
 * has no `ADD COLUMN IF NOT EXISTS` (a syntax error there), and a plain ADD COLUMN fails when
 * re-run, so the migrator makes it idempotent.
 */
export interface ColumnAddition {
  table: string;
  column: string;
  /** e.g. sql`ALTER TABLE ${ident(db, table)} ADD COLUMN ${ident(column)} Nullable(Int64)`. */
  statement: SqlFragment;
}
