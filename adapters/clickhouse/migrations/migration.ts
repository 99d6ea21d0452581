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
}
