/**
 * `customer_features_latest` and `clv_scores_latest` pick each customer's latest row by a
 * per-customer version that only grows, instead of by as-of time (004, 009): a customer's
 * as-of moves back when their latest order is voided, and the views must then show the newer
 * row with the older as-of — as they do when the order arrived already voided. So the result
 * does not depend on the arrival order of an order and its payments.
 *
 * - Features: the event id is the version (`customer@orders.revisions`, zero-padded,
 *   processors/features/features-processor.ts): orders and revisions only grow. A customer
 *   whose every order is voided (features with no purchase days) is left out.
 * - Scores: `sequence` (014), then the as-of and the id as before, for rows written before
 *   sequences (0). A withdrawn score (segment ''; the customer has no active order) is left out.
 *
 * Dropped and created again, as 007 and 009 did: 18.16 has no CREATE OR REPLACE VIEW, and a
 * view holds no data. The other views read these by name at query time.
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const latestByVersion: Migration = {
  version: 15,
  name: 'latest features and scores by version, not as-of',
  statements: (db) => [
    sql`DROP TABLE IF EXISTS ${ident(db, 'customer_features_latest')}`,
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'customer_features_latest')} AS
      SELECT customer_id, tupleElement(f, 1) AS event_id, tupleElement(f, 2) AS event_time, tupleElement(f, 3) AS first_purchase_time,
        tupleElement(f, 4) AS last_purchase_time, tupleElement(f, 5) AS purchase_days, tupleElement(f, 6) AS repeat_purchase_days,
        tupleElement(f, 7) AS repeat_value_minor, tupleElement(f, 8) AS total_value_minor, tupleElement(f, 9) AS currency
      FROM (
        SELECT customer_id,
          argMax(tuple(event_id, event_time, first_purchase_time, last_purchase_time, purchase_days, repeat_purchase_days,
            repeat_value_minor, total_value_minor, currency), event_id) AS f
        FROM ${ident(db, 'customer_features')} GROUP BY customer_id
      )
      WHERE purchase_days > 0`,
    sql`DROP TABLE IF EXISTS ${ident(db, 'clv_scores_latest')}`,
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'clv_scores_latest')} AS
      SELECT customer_id, tupleElement(s, 1) AS event_id, tupleElement(s, 2) AS event_time, tupleElement(s, 3) AS model_version,
        tupleElement(s, 4) AS clv_minor, tupleElement(s, 5) AS p_alive, tupleElement(s, 6) AS expected_purchases,
        tupleElement(s, 7) AS expected_avg_value_minor, tupleElement(s, 8) AS horizon_days, tupleElement(s, 9) AS segment,
        tupleElement(s, 10) AS action, tupleElement(s, 11) AS currency,
        tupleElement(s, 12) AS clv_lower_minor, tupleElement(s, 13) AS clv_upper_minor, tupleElement(s, 14) AS clv_interval_level,
        tupleElement(s, 15) AS recommended_categories, tupleElement(s, 16) AS recommendation_reason,
        tupleElement(s, 17) AS recommended_min_unit_price_minor, tupleElement(s, 18) AS model_kind, tupleElement(s, 19) AS sequence
      FROM (
        SELECT customer_id,
          argMax(tuple(event_id, event_time, model_version, clv_minor, p_alive, expected_purchases, expected_avg_value_minor,
            horizon_days, segment, action, currency, clv_lower_minor, clv_upper_minor, clv_interval_level,
            recommended_categories, recommendation_reason, recommended_min_unit_price_minor, model_kind, sequence),
            tuple(sequence, event_time_ms, event_id)) AS s
        FROM ${ident(db, 'clv_scores')} GROUP BY customer_id
      )
      WHERE segment != ''`,
  ],
};
