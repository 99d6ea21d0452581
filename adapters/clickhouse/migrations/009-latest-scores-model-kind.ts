/**
 * `clv_scores_latest` recreated with the model kind (008), as 007 did for intervals and
 * recommendations: a view's columns are fixed when it is created.
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const latestScoresModelKind: Migration = {
  version: 9,
  name: 'latest scores view with the model kind',
  statements: (db) => [
    sql`DROP TABLE IF EXISTS ${ident(db, 'clv_scores_latest')}`,
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'clv_scores_latest')} AS
      SELECT customer_id, tupleElement(s, 1) AS event_id, tupleElement(s, 2) AS event_time, tupleElement(s, 3) AS model_version,
        tupleElement(s, 4) AS clv_minor, tupleElement(s, 5) AS p_alive, tupleElement(s, 6) AS expected_purchases,
        tupleElement(s, 7) AS expected_avg_value_minor, tupleElement(s, 8) AS horizon_days, tupleElement(s, 9) AS segment,
        tupleElement(s, 10) AS action, tupleElement(s, 11) AS currency,
        tupleElement(s, 12) AS clv_lower_minor, tupleElement(s, 13) AS clv_upper_minor, tupleElement(s, 14) AS clv_interval_level,
        tupleElement(s, 15) AS recommended_categories, tupleElement(s, 16) AS recommendation_reason,
        tupleElement(s, 17) AS recommended_min_unit_price_minor, tupleElement(s, 18) AS model_kind
      FROM (
        SELECT customer_id,
          argMax(tuple(event_id, event_time, model_version, clv_minor, p_alive, expected_purchases, expected_avg_value_minor,
            horizon_days, segment, action, currency, clv_lower_minor, clv_upper_minor, clv_interval_level,
            recommended_categories, recommendation_reason, recommended_min_unit_price_minor, model_kind), tuple(event_time_ms, event_id)) AS s
        FROM ${ident(db, 'clv_scores')} GROUP BY customer_id
      )`,
  ],
};
