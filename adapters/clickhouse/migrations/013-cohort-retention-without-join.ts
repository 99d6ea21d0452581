/**
 * `cohort_retention` (004) in one pass instead of a join of two: 004 read `purchases_latest`
 * twice (the active months, then the cohort sizes) and joined them, so it did the work twice,
 * and where that view's argMax had a tie (the same order revision twice with different
 * times, which the backup test's rows had) the two reads could disagree and the join found
 * no cohort (`cohort_customers` 0). Every customer is active in their cohort month, so one
 * pass per cohort gives both figures: its size, and with sumMap the customers active in
 * each month since.
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const cohortRetentionWithoutJoin: Migration = {
  version: 13,
  name: 'cohort retention view without a join',
  statements: (db) => [
    sql`DROP TABLE IF EXISTS ${ident(db, 'cohort_retention')}`,
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'cohort_retention')} AS
      SELECT cohort_month, (toYear(month) * 12 + toMonth(month)) - (toYear(cohort_month) * 12 + toMonth(cohort_month)) AS months_since,
        active_customers, cohort_customers, active_customers / cohort_customers AS retention
      FROM (
        SELECT cohort_month, count() AS cohort_customers, sumMap(months, arrayMap(m -> toUInt64(1), months)) AS active
        FROM (
          SELECT customer_id, min(toStartOfMonth(event_time)) AS cohort_month, groupUniqArray(toStartOfMonth(event_time)) AS months
          FROM ${ident(db, 'purchases_latest')} WHERE status = 'ACTIVE' GROUP BY customer_id
        )
        GROUP BY cohort_month
      ) ARRAY JOIN tupleElement(active, 1) AS month, tupleElement(active, 2) AS active_customers
      ORDER BY cohort_month, months_since`,
  ],
};
