/** What reconciliation reports: one row per discrepancy, of a kind from a fixed list. */

/**
 * Every kind, in report order. Stable strings: they are the `kind` column of the report and
 * the label of `clv_reconciliation_discrepancies` (docs/reconciliation.md says what each means).
 */
export const DiscrepancyKinds = [
  /** A positive statement line whose reference no capture in the stream has. */
  'settled_not_captured',
  /** A negative statement line whose reference no refund in the stream has. */
  'settled_not_refunded',
  /** A capture of the reconciled days that no statement line settles. */
  'captured_not_settled',
  /** A refund of the reconciled days that no statement line settles. */
  'refund_not_settled',
  /** Reference matched, amounts differ (same currency). */
  'amount_mismatch',
  /** Reference matched, currencies differ. */
  'currency_mismatch',
  /** Reference matched, the statement names another order. */
  'order_mismatch',
  /** A reference settled more than once in the same direction. */
  'duplicate_settlement',
  /** A capture whose order was never placed in the stream. */
  'capture_without_order',
  /** An order with two or more captures whose net (captured − refunded) exceeds the order's amount. */
  'order_paid_twice',
] as const;

export type DiscrepancyKind = (typeof DiscrepancyKinds)[number];

export interface Discrepancy {
  kind: DiscrepancyKind;
  /** The order concerned ('' when unknown). */
  orderId: string;
  /** The payment reference(s) concerned, space-separated when several. */
  reference: string;
  /** What the stream says should be (an amount as "123.45 USD", a currency, an order id, a count); '' when nothing. */
  expected: string;
  /** What was found instead. */
  actual: string;
  /** The statement line concerned, or null for a discrepancy on the stream side only. */
  statementLine: number | null;
  /** One sentence for the person who resolves it. */
  detail: string;
}
