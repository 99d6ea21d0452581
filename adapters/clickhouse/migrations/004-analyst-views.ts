/**
 * Analyst views. They read deduplicated data by construction: each picks one row per order
 * or customer with argMax over a tuple of all its columns, so redelivered duplicates
 * (identical rows) can never be counted twice, whether or not merges have run, and the
 * columns of one pick always come from the same row. (Per-column argMax could mix rows on
 * a tie; a tuple cannot.) `tupleElement` rather than `t.1`: both 18.16 and current parse it.
 * Days and months are UTC.
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const analystViews: Migration = {
  version: 4,
  name: 'analyst views',
  statements: (db) => [
    // The current state of every order: its highest revision.
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'purchases_latest')} AS
      SELECT customer_id, order_id, tupleElement(p, 1) AS event_id, tupleElement(p, 2) AS event_time, tupleElement(p, 3) AS event_time_ms,
        tupleElement(p, 4) AS revision, tupleElement(p, 5) AS status, tupleElement(p, 6) AS net_amount_minor,
        tupleElement(p, 7) AS currency, tupleElement(p, 8) AS categories
      FROM (
        SELECT customer_id, order_id,
          argMax(tuple(event_id, event_time, event_time_ms, revision, status, net_amount_minor, currency, categories), revision) AS p
        FROM ${ident(db, 'purchases')} GROUP BY customer_id, order_id
      )`,
    // Each customer's newest features snapshot (ties on time broken by event_id).
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'customer_features_latest')} AS
      SELECT customer_id, tupleElement(f, 1) AS event_id, tupleElement(f, 2) AS event_time, tupleElement(f, 3) AS first_purchase_time,
        tupleElement(f, 4) AS last_purchase_time, tupleElement(f, 5) AS purchase_days, tupleElement(f, 6) AS repeat_purchase_days,
        tupleElement(f, 7) AS repeat_value_minor, tupleElement(f, 8) AS total_value_minor, tupleElement(f, 9) AS currency
      FROM (
        SELECT customer_id,
          argMax(tuple(event_id, event_time, first_purchase_time, last_purchase_time, purchase_days, repeat_purchase_days,
            repeat_value_minor, total_value_minor, currency), tuple(event_time_ms, event_id)) AS f
        FROM ${ident(db, 'customer_features')} GROUP BY customer_id
      )`,
    // Each customer's newest score: current CLV, segment and action.
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'clv_scores_latest')} AS
      SELECT customer_id, tupleElement(s, 1) AS event_id, tupleElement(s, 2) AS event_time, tupleElement(s, 3) AS model_version,
        tupleElement(s, 4) AS clv_minor, tupleElement(s, 5) AS p_alive, tupleElement(s, 6) AS expected_purchases,
        tupleElement(s, 7) AS expected_avg_value_minor, tupleElement(s, 8) AS horizon_days, tupleElement(s, 9) AS segment,
        tupleElement(s, 10) AS action, tupleElement(s, 11) AS currency
      FROM (
        SELECT customer_id,
          argMax(tuple(event_id, event_time, model_version, clv_minor, p_alive, expected_purchases, expected_avg_value_minor,
            horizon_days, segment, action, currency), tuple(event_time_ms, event_id)) AS s
        FROM ${ident(db, 'clv_scores')} GROUP BY customer_id
      )`,
    // Revenue per UTC day of order placement, net of refunds; voided orders count nothing.
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'daily_revenue')} AS
      SELECT toDate(event_time) AS day, currency, count() AS orders, uniqExact(customer_id) AS customers,
        sum(net_amount_minor) AS revenue_minor
      FROM ${ident(db, 'purchases_latest')} WHERE status = 'ACTIVE'
      GROUP BY day, currency ORDER BY day, currency`,
    // Customers active (an ACTIVE purchase) in each month since their first purchase month.
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'cohort_retention')} AS
      SELECT cohort_month, months_since, active_customers, cohort_customers, active_customers / cohort_customers AS retention
      FROM (
        SELECT cohort_month, (toYear(month) * 12 + toMonth(month)) - (toYear(cohort_month) * 12 + toMonth(cohort_month)) AS months_since,
          count() AS active_customers
        FROM (
          SELECT customer_id, min(toStartOfMonth(event_time)) AS cohort_month, groupUniqArray(toStartOfMonth(event_time)) AS months
          FROM ${ident(db, 'purchases_latest')} WHERE status = 'ACTIVE' GROUP BY customer_id
        ) ARRAY JOIN months AS month
        GROUP BY cohort_month, months_since
      ) AS active ANY LEFT JOIN (
        SELECT cohort_month, count() AS cohort_customers
        FROM (SELECT customer_id, min(toStartOfMonth(event_time)) AS cohort_month FROM ${ident(db, 'purchases_latest')} WHERE status = 'ACTIVE' GROUP BY customer_id)
        GROUP BY cohort_month
      ) AS cohorts USING cohort_month
      ORDER BY cohort_month, months_since`,
    // Customers per recency × frequency × monetary bucket, from each customer's latest
    // features. Recency is measured from the newest features as-of time (the event-time
    // "now"), not the wall clock, so a replay of 1997 reads as of 1997. Buckets are labelled
    // by their lower bound: recency in days, frequency in repeat purchase days, monetary
    // as the number of digits − 1 of the mean purchase-day value in minor units (its decade).
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'rfm_distribution')} AS
      SELECT currency,
        multiIf(recency_days <= 30, 0, recency_days <= 90, 31, recency_days <= 180, 91, recency_days <= 365, 181, 366) AS recency_bucket_days,
        multiIf(repeat_purchase_days = 0, 0, repeat_purchase_days = 1, 1, repeat_purchase_days <= 3, 2, repeat_purchase_days <= 7, 4, 8) AS frequency_bucket,
        length(toString(intDiv(total_value_minor, days))) - 1 AS monetary_decade,
        count() AS customers, sum(total_value_minor) AS value_minor
      FROM (
        SELECT currency, repeat_purchase_days, total_value_minor, greatest(purchase_days, 1) AS days,
          intDiv(toInt64(toUInt32((SELECT max(event_time) FROM ${ident(db, 'customer_features')}))) - toInt64(toUInt32(last_purchase_time)), 86400) AS recency_days
        FROM ${ident(db, 'customer_features_latest')}
      )
      GROUP BY currency, recency_bucket_days, frequency_bucket, monetary_decade
      ORDER BY currency, recency_bucket_days, frequency_bucket, monetary_decade`,
  ],
};
