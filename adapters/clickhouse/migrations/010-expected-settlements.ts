/**
 * The stream side of a settlement reconciliation (`clv reconcile`, docs/reconciliation.md):
 * every capture and refund once, under the reference a payment provider settles it by (the
 * payment id), with the signed amount a statement line should carry — positive for a
 * capture, negative for a refund. Failed payments never settle and are left out.
 *
 * One row per event_id, picked with argMax over a tuple of all columns as the analyst views
 * do (004), so redelivered duplicates count once whether or not merges have run. 18.16-safe:
 * GROUP BY, argMax, tupleElement, if; no window functions.
 */
import { ident, sql } from '../sql.js';
import type { Migration } from './migration.js';

export const expectedSettlements: Migration = {
  version: 10,
  name: 'expected settlements view',
  statements: (db) => [
    sql`CREATE VIEW IF NOT EXISTS ${ident(db, 'expected_settlements')} AS
      SELECT tupleElement(p, 1) AS reference, tupleElement(p, 2) AS type, tupleElement(p, 3) AS order_id, tupleElement(p, 4) AS customer_id,
        event_id, tupleElement(p, 5) AS event_time, tupleElement(p, 6) AS event_time_ms, toDate(tupleElement(p, 5)) AS day,
        tupleElement(p, 7) AS amount_minor, if(tupleElement(p, 2) = 'PAYMENT_REFUNDED', -tupleElement(p, 7), tupleElement(p, 7)) AS settlement_minor,
        tupleElement(p, 8) AS currency
      FROM (
        SELECT event_id, argMax(tuple(payment_id, type, order_id, customer_id, event_time, event_time_ms, amount_minor, currency), event_time_ms) AS p
        FROM ${ident(db, 'payments')} WHERE type IN ('PAYMENT_CAPTURED', 'PAYMENT_REFUNDED') GROUP BY event_id
      )`,
  ],
};
