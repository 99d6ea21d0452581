/**
 * CustomerPurchaseHistory ⇄ stored text, state format 5: a JSON array by position. Lossless —
 * `decode` gives back what `JSON.parse(JSON.stringify(history))` would. Left out of the JSON:
 * field names; the customer id (the key); an order's categories when they are its lines'
 * distinct categories; most digits of times and days — an order's time is stored as its
 * distance from the previous order's, its day as its offset from the UTC day of its time
 * (−1, 0 or 1 in any time zone), a compacted day as its distance from the previous one.
 *
 * Layout: see PURCHASE_HISTORY_FIELDS and PURCHASED_ORDER_FIELDS (docs/database-schema.md lists them).
 */
import type { StateCodec } from '../../core/ports/state-store.js';
import type { CustomerPurchaseHistory, PurchasedOrder } from '../features/customer-purchase-history.js';
import type { CompactedPurchases } from '../features/purchase-history-compaction.js';
import { areLineCategories, distinctSorted, MS_PER_UTC_DAY, PositionalFields, since, statusCode, statusOf } from './positional-fields.js';

/** What each position holds (docs/database-schema.md). */
export const PURCHASE_HISTORY_FIELDS: readonly string[] = [
  'customerId: 0 when it is the key, else the id',
  'currency',
  'orders: one array per order, in the history\'s order (PURCHASED_ORDER_FIELDS)',
  'compacted: null, or [beforeDay, days flattened (day − the previous day, the first as it is; net; time − day × 86,400,000), lastTime or null, orders, revisions, categories flattened (category, orders, units, spend)]',
];

export const PURCHASED_ORDER_FIELDS: readonly string[] = [
  'orderId',
  'time − the previous order\'s time (the first as it is), epoch ms',
  'day − the UTC day of its time',
  'revision',
  '1 ACTIVE / 0 VOIDED',
  'net (minor units)',
  'categories: 0 when they are the lines\' distinct categories, sorted; else the list',
  'lines flattened: category, quantity, unit price, …',
];

const WHAT = 'a purchase history';

export const purchaseHistoryCodec: StateCodec<CustomerPurchaseHistory> = {
  encode(h: CustomerPurchaseHistory, key: string): string {
    // Loops, not map/flat: this runs for every history the features processor writes.
    const orders: unknown[] = new Array(h.orders.length);
    let previous = 0;
    for (let i = 0; i < h.orders.length; i++) {
      const o = h.orders[i];
      const lines = o.lines;
      const flat: Array<string | number> = [];
      for (const l of lines) flat.push(l[0], l[1], l[2]);
      const derived = areLineCategories(o.categories, lines.length, (j) => lines[j][0]);
      orders[i] = [o.orderId, since(o.time, previous, 'order time'), o.day - Math.floor(o.time / MS_PER_UTC_DAY), o.revision, statusCode(o.status), o.net, derived ? 0 : o.categories, flat];
      previous = o.time;
    }
    return JSON.stringify([h.customerId === key ? 0 : h.customerId, h.currency, orders, h.compacted === null ? null : compactedFields(h.compacted)]);
  },

  decode(text: string, key: string): CustomerPurchaseHistory {
    const f = PositionalFields.parse(text, WHAT, PURCHASE_HISTORY_FIELDS.length);
    const rawOrders = f.array(2, 'orders');
    const orders: PurchasedOrder[] = new Array(rawOrders.length);
    let previous = 0;
    for (let i = 0; i < rawOrders.length; i++) {
      const order = orderOf(rawOrders[i], previous);
      orders[i] = order;
      previous = order.time;
    }
    return {
      customerId: f.raw(0) === 0 ? key : f.string(0, 'customerId'),
      currency: f.string(1, 'currency'),
      orders,
      compacted: f.raw(3) === null ? null : compactedOf(PositionalFields.of(f.raw(3), `${WHAT}'s compacted days`, 6)),
    };
  },
};

function orderOf(raw: unknown, previousTime: number): PurchasedOrder {
  const o = PositionalFields.of(raw, `${WHAT}'s order`, PURCHASED_ORDER_FIELDS.length);
  const time = previousTime + o.number(1, 'time');
  const flat = o.array(7, 'lines', 3);
  const lines: Array<[string, number, number]> = [];
  for (let j = 0; j < flat.length; j += 3) {
    const category = flat[j];
    const quantity = flat[j + 1];
    const price = flat[j + 2];
    if (typeof category !== 'string' || typeof quantity !== 'number' || typeof price !== 'number') throw o.wrong(7, 'lines', '[category, quantity, unit price] triples');
    lines.push([category, quantity, price]);
  }
  return {
    orderId: o.string(0, 'orderId'),
    day: Math.floor(time / MS_PER_UTC_DAY) + o.number(2, 'day'),
    time,
    revision: o.number(3, 'revision'),
    status: statusOf(o, 4, 'status'),
    net: o.number(5, 'net'),
    categories: o.raw(6) === 0 ? lineCategories(lines) : o.strings(6, 'categories'),
    lines,
  };
}

function compactedFields(c: CompactedPurchases): unknown[] {
  const days: number[] = [];
  let previous = 0;
  for (const [day, net, time] of c.days) {
    days.push(day - previous, net, since(time, day * MS_PER_UTC_DAY, 'compacted day time'));
    previous = day;
  }
  return [c.beforeDay, days, c.lastTime, c.orders, c.revisions, c.categories.flat()];
}

function compactedOf(c: PositionalFields): CompactedPurchases {
  const flatDays = c.array(1, 'days', 3);
  const days: Array<[number, number, number]> = [];
  let day = 0;
  for (let i = 0; i < flatDays.length; i += 3) {
    const delta = flatDays[i];
    const net = flatDays[i + 1];
    const time = flatDays[i + 2];
    if (typeof delta !== 'number' || typeof net !== 'number' || typeof time !== 'number') throw c.wrong(1, 'days', '[day, net, time] triples');
    day += delta;
    days.push([day, net, day * MS_PER_UTC_DAY + time]);
  }
  const flatCategories = c.array(5, 'categories', 4);
  const categories: Array<[string, number, number, number]> = [];
  for (let i = 0; i < flatCategories.length; i += 4) {
    const [category, orders, units, spend] = flatCategories.slice(i, i + 4);
    if (typeof category !== 'string' || typeof orders !== 'number' || typeof units !== 'number' || typeof spend !== 'number') throw c.wrong(5, 'categories', '[category, orders, units, spend] quadruples');
    categories.push([category, orders, units, spend]);
  }
  return { beforeDay: c.number(0, 'beforeDay'), days, lastTime: c.numberOrNull(2, 'lastTime'), orders: c.number(3, 'orders'), revisions: c.number(4, 'revisions'), categories };
}

function lineCategories(lines: ReadonlyArray<readonly [string, number, number]>): string[] {
  return distinctSorted(lines.map((l) => l[0]));
}
