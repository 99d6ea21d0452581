/**
 * Pure mapping from decoded topic events to analytics table rows: one row per event, except
 * orders, which also give one row per line item. Rows carry exactly the table's columns
 * (decoded Avro records may carry more, or be class instances), so they are built by name.
 */
import type { DeadLetterEvent, OrderEvent } from '../../core/events.js';
import { analyticsColumns, type AnalyticsRows, type AnalyticsTable, type DeadLetterRow, type OrderLineItemRow, type OrderRow } from '../../core/ports/analytics-store.js';
import { Topics } from '../../core/topics.js';

/** A row and the table it belongs to. */
export type TableRow = { [T in AnalyticsTable]: { table: T; row: AnalyticsRows[T] } }[AnalyticsTable];

/** Which table each topic's events go to (orders also fill order_line_items). */
export const tableOfTopic: Readonly<Record<string, AnalyticsTable>> = {
  [Topics.orders]: 'orders',
  [Topics.payments]: 'payments',
  [Topics.purchases]: 'purchases',
  [Topics.features]: 'customer_features',
  [Topics.scores]: 'clv_scores',
  [Topics.segmentChanges]: 'segment_changes',
  [Topics.deadLetter]: 'dead_letters',
  [Topics.anomalies]: 'commerce_anomalies',
  [Topics.erasures]: 'erasures',
};

/** The rows of one decoded event of `topic`; none for a topic without a table. */
export function rowsOfEvent(topic: string, value: unknown): TableRow[] {
  const table = tableOfTopic[topic];
  if (table === undefined) return [];
  if (table === 'orders') {
    const order = value as OrderEvent;
    return [{ table: 'orders', row: orderRow(order) }, ...lineItemRows(order).map((row) => ({ table: 'order_line_items' as const, row }))];
  }
  if (table === 'dead_letters') return [{ table, row: deadLetterRow(value as DeadLetterEvent) }];
  return [{ table, row: pick(table, value) } as TableRow];
}

export function orderRow(e: OrderEvent): OrderRow {
  return {
    event_id: e.event_id, event_time: e.event_time, type: e.type, customer_id: e.customer_id, order_id: e.order_id,
    amount_minor: e.amount_minor, currency: e.currency, line_item_count: e.line_items.length,
  };
}

/** Line items numbered from 0 in event order: (event_id, line_no) identifies each. */
export function lineItemRows(e: OrderEvent): OrderLineItemRow[] {
  return e.line_items.map((item, line_no) => ({
    event_id: e.event_id, event_time: e.event_time, customer_id: e.customer_id, order_id: e.order_id, line_no,
    sku: item.sku, category: item.category, quantity: item.quantity, unit_price_minor: item.unit_price_minor,
  }));
}

/** The payload bytes as hex: text for JSON and analysts, and `unhex()` (unlike base64Decode) exists on 18.16. */
export function deadLetterRow(e: DeadLetterEvent): DeadLetterRow {
  return {
    event_id: e.event_id, event_time: e.event_time, source_topic: e.source_topic, source_partition: e.source_partition,
    source_offset: e.source_offset, key: e.key, payload_hex: Buffer.from(e.payload).toString('hex'),
    payload_json: e.payload_json, error_code: e.error_code, reason: e.reason,
  };
}

// Once per table, not per row: the sink maps every message it reads.
const namesByTable = new Map<AnalyticsTable, string[]>();

function columnNames(table: AnalyticsTable): string[] {
  let names = namesByTable.get(table);
  if (!names) namesByTable.set(table, (names = Object.keys(analyticsColumns[table])));
  return names;
}

/** The table's columns copied from an event whose fields are named like them. */
function pick<T extends AnalyticsTable>(table: T, value: unknown): AnalyticsRows[T] {
  const source = value as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const name of columnNames(table)) {
    const v = source[name];
    row[name] = Array.isArray(v) ? [...v] : v;
  }
  return row as unknown as AnalyticsRows[T];
}
