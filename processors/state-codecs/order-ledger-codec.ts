/**
 * OrderLedger ⇄ stored text, state format 5: a JSON array by position. Lossless — `decode`
 * gives back what `JSON.parse(JSON.stringify(ledger))` would — and about a quarter of the
 * ledger's JSON (measured: bench/redis-memory-bench.ts). Where the bytes went in JSON and
 * what this leaves out:
 * - field names (~45% of the JSON);
 * - the customer and order ids, which the state key already says (compositeKey(customer, order));
 * - the last emitted purchase's detail (date, categories, lines), which settle() takes from the
 *   ledger itself and which is therefore, field for field, the ledger's own: stored once, with
 *   a flag, and spelled out only if it ever differs;
 * - the categories when they are the distinct categories of the lines, as with one placement;
 * - the placement's [time, event id] when they are the placement date and a seen id (an index);
 * - most digits of the times: each is stored as its distance from the first (`t0`), and
 *   `seenFrom` as its distance from `t0 - DEDUP_WINDOW_MS`.
 *
 * Layout: see ORDER_LEDGER_FIELDS (docs/database-schema.md lists it).
 */
import { compositeKey, compositeKeyParts } from '../../core/composite-key.js';
import type { PurchaseLineItem } from '../../core/events.js';
import type { StateCodec } from '../../core/ports/state-store.js';
import { DEDUP_WINDOW_MS, type OrderLedger, type PurchaseDetail } from '../purchases/purchase-joiner.js';
import { areLineCategories, distinctSorted, PositionalFields, sameStrings, since, statusCode, statusOf } from './positional-fields.js';

/** What each position holds (docs/database-schema.md). */
export const ORDER_LEDGER_FIELDS: readonly string[] = [
  't0: placedAt, else the first seen event time, else 0 (epoch ms); the times below are relative to it',
  'ids: 0 when the key is compositeKey(customerId, orderId), else [customerId, orderId]',
  'placedAt − t0, or null',
  'currency',
  'lineItems flattened: category, quantity, unit_price_minor, category, …',
  'categories: 0 when they are the lines\' distinct categories, sorted; else the list',
  'lineItemsFrom: null, or [time − t0, event id — or its index in seen when it is one of them]',
  'cancelled: 1 or 0',
  'captures flattened: payment_id, amount, …',
  'refunded (minor units)',
  'seen flattened: event id, event_time − t0, …',
  'refundIds',
  'applied',
  'seenFrom + DEDUP_WINDOW_MS − t0, or null',
  'emitted: null, or [revision, 1 ACTIVE / 0 VOIDED, net] — with a 4th field [placedAt − t0 or null, categories, lineItems flattened] only when its detail is not the ledger\'s',
];

const WHAT = 'an order ledger';
const LENGTH = ORDER_LEDGER_FIELDS.length;

export const orderLedgerCodec: StateCodec<OrderLedger> = {
  encode(l: OrderLedger, key: string): string {
    const t0 = l.placedAt ?? l.seen[0]?.[1] ?? 0;
    const seen: Array<string | number> = [];
    for (const [id, time] of l.seen) seen.push(id, since(time, t0, 'seen event time'));
    let from: [number, string | number] | null = null;
    if (l.lineItemsFrom !== null) {
      const [time, id] = l.lineItemsFrom;
      const at = l.seen.findIndex(([seenId]) => seenId === id);
      from = [since(time, t0, 'lineItemsFrom time'), at >= 0 ? at : id];
    }
    const captures: Array<string | number> = [];
    for (const [id, amount] of l.captures) captures.push(id, amount);
    const e = l.emitted;
    const emitted =
      e === null
        ? null
        : sameDetail(e.detail, l)
          ? [e.revision, statusCode(e.status), e.net]
          : [e.revision, statusCode(e.status), e.net, [e.detail.placedAt === null ? null : since(e.detail.placedAt, t0, 'emitted placedAt'), e.detail.categories, flatLines(e.detail.lineItems)]];
    return JSON.stringify([
      t0,
      compositeKey(l.customerId, l.orderId) === key ? 0 : [l.customerId, l.orderId],
      l.placedAt === null ? null : l.placedAt - t0,
      l.currency,
      flatLines(l.lineItems),
      areLineCategories(l.categories, l.lineItems.length, (i) => l.lineItems[i].category) ? 0 : l.categories,
      from,
      l.cancelled ? 1 : 0,
      captures,
      l.refunded,
      seen,
      l.refundIds,
      l.applied,
      l.seenFrom === null ? null : since(l.seenFrom + DEDUP_WINDOW_MS, t0, 'seenFrom'),
      emitted,
    ]);
  },

  decode(text: string, key: string): OrderLedger {
    const f = PositionalFields.parse(text, WHAT, LENGTH);
    const t0 = f.number(0, 't0');
    const [customerId, orderId] = idsOf(f, key);
    const placedAt = f.numberOrNull(2, 'placedAt');
    const lineItems = linesOf(f, 4, 'lineItems');
    const categories = f.raw(5) === 0 ? lineCategories(lineItems) : f.strings(5, 'categories');
    const seen = idNumberPairs(f, 10, 'seen', '[event id, time] pairs', t0);
    let lineItemsFrom: [number, string] | null = null;
    if (f.raw(6) !== null) {
      const from = f.array(6, 'lineItemsFrom');
      const [time, ref] = from;
      const id = typeof ref === 'number' ? seen[ref]?.[0] : ref;
      if (from.length !== 2 || typeof time !== 'number' || typeof id !== 'string') throw f.wrong(6, 'lineItemsFrom', '[time, event id or seen index]');
      lineItemsFrom = [t0 + time, id];
    }
    const captures = idNumberPairs(f, 8, 'captures', '[payment id, amount] pairs', 0);
    const seenFrom = f.numberOrNull(13, 'seenFrom');
    const ledger: OrderLedger = {
      customerId,
      orderId,
      placedAt: placedAt === null ? null : t0 + placedAt,
      currency: f.string(3, 'currency'),
      categories,
      lineItems,
      lineItemsFrom,
      cancelled: flagOf(f, 7, 'cancelled'),
      captures,
      refunded: f.number(9, 'refunded'),
      seen,
      refundIds: f.strings(11, 'refundIds'),
      applied: f.number(12, 'applied'),
      seenFrom: seenFrom === null ? null : t0 + seenFrom - DEDUP_WINDOW_MS,
      emitted: null,
    };
    if (f.raw(14) !== null) ledger.emitted = emittedOf(f, ledger, t0);
    return ledger;
  },
};

function idsOf(f: PositionalFields, key: string): [string, string] {
  if (f.raw(1) === 0) {
    const parts = compositeKeyParts(key);
    if (parts.length !== 2) throw new Error(`not ${WHAT} key: ${JSON.stringify(key)} is not compositeKey(customerId, orderId), and the value names no ids`);
    return [parts[0], parts[1]];
  }
  const ids = f.strings(1, 'ids');
  if (ids.length !== 2) throw f.wrong(1, 'ids', '0 or [customerId, orderId]');
  return [ids[0], ids[1]];
}

function emittedOf(f: PositionalFields, ledger: OrderLedger, t0: number): OrderLedger['emitted'] {
  const raw = f.raw(14);
  if (!Array.isArray(raw) || (raw.length !== 3 && raw.length !== 4)) throw f.wrong(14, 'emitted', 'null or [revision, status, net] (and a detail)');
  const e = PositionalFields.of(raw, `${WHAT}'s emitted revision`, raw.length);
  let detail: PurchaseDetail;
  if (raw.length === 3) {
    // As settle() makes it: the ledger's own values (and arrays).
    detail = { placedAt: ledger.placedAt, categories: ledger.categories, lineItems: ledger.lineItems };
  } else {
    const d = PositionalFields.of(e.raw(3), `${WHAT}'s emitted detail`, 3);
    const placedAt = d.numberOrNull(0, 'placedAt');
    detail = { placedAt: placedAt === null ? null : t0 + placedAt, categories: d.strings(1, 'categories'), lineItems: linesOf(d, 2, 'lineItems') };
  }
  return { revision: e.number(0, 'revision'), status: statusOf(e, 1, 'status'), net: e.number(2, 'net'), detail };
}

function flagOf(f: PositionalFields, i: number, name: string): boolean {
  const v = f.raw(i);
  if (v !== 0 && v !== 1) throw f.wrong(i, name, '1 or 0');
  return v === 1;
}

function flatLines(lines: readonly PurchaseLineItem[]): Array<string | number> {
  const flat: Array<string | number> = [];
  for (const l of lines) flat.push(l.category, l.quantity, l.unit_price_minor);
  return flat;
}

function linesOf(f: PositionalFields, i: number, name: string): PurchaseLineItem[] {
  const flat = f.array(i, name, 3);
  const lines: PurchaseLineItem[] = [];
  for (let j = 0; j < flat.length; j += 3) {
    const category = flat[j];
    const quantity = flat[j + 1];
    const price = flat[j + 2];
    if (typeof category !== 'string' || typeof quantity !== 'number' || typeof price !== 'number') throw f.wrong(i, name, '[category, quantity, unit price] triples');
    lines.push({ category, quantity, unit_price_minor: price });
  }
  return lines;
}

function lineCategories(lines: readonly PurchaseLineItem[]): string[] {
  return distinctSorted(lines.map((l) => l.category));
}

/** Whether `detail` is, value for value, the ledger's date, categories and lines. */
function sameDetail(detail: PurchaseDetail, l: OrderLedger): boolean {
  if (detail.placedAt !== l.placedAt || !sameStrings(detail.categories, l.categories)) return false;
  const a = detail.lineItems;
  const b = l.lineItems;
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].category !== b[i].category || a[i].quantity !== b[i].quantity || a[i].unit_price_minor !== b[i].unit_price_minor) return false;
  }
  return true;
}

/** A flat [id, number, id, number, …] field as pairs, each number plus `offset` (times are stored as distances). */
function idNumberPairs(f: PositionalFields, index: number, name: string, what: string, offset: number): Array<[string, number]> {
  const flat = f.array(index, name, 2);
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i < flat.length; i += 2) {
    const id = flat[i];
    const n = flat[i + 1];
    if (typeof id !== 'string' || typeof n !== 'number') throw f.wrong(index, name, what);
    pairs.push([id, n + offset]);
  }
  return pairs;
}
