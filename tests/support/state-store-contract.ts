/**
 * The StateStore port's contract, as one suite that every adapter runs (in-memory in the unit
 * suite, Redis in the integration suite).
 *
 * `makeStore(namespace)` returns a store of that namespace; two namespaces must not see each
 * other's keys. Each test asks for fresh namespaces, so a shared server needs no cleanup
 * between tests (the caller cleans up at the end).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateStore } from '../../core/ports/state-store.js';

/** A plain JSON value, as every processor state is. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type MakeStore = (namespace: string) => StateStore<Json> | Promise<StateStore<Json>>;

let namespaceSeq = 0;
const freshNamespace = () => `contract${namespaceSeq++}`;

/** Keys as processors make them (`customerId`, `customerId/orderId`) and awkward ones. */
const awkwardKeys = ['C1', 'C1/O1', 'C1/O2/x', '客户-ü/订单:1', 'a:b:c', 'with space', '{C2}/O1', 'C}3/O%7D', '%25', '😀', '/O9', ''];

/** Shaped like a CustomerPurchaseHistory: nested objects, arrays, unicode, numbers. */
function history(customerId: string, orders: number): Json {
  const byId: Record<string, Json> = {};
  for (let i = 0; i < orders; i++) {
    byId[`O${i}`] = { day: 9_862 + 7 * i, time: 852_076_800_000 + i * 86_400_000, revision: 1 + (i % 3), status: i % 4 === 3 ? 'VOIDED' : 'ACTIVE', net: 1_999 * (i + 1), categories: ['music', 'bücher', '音乐'].slice(0, 1 + (i % 3)) };
  }
  return { customerId, currency: 'USD', orders: byId };
}

/** Shaped like an OrderLedger: nulls, booleans, empty containers, records of numbers. */
function ledger(customerId: string, orderId: string): Json {
  return { customerId, orderId, placedAt: null, currency: 'USD', categories: [], cancelled: false, captures: { 'P-1': 2_500 }, refunds: {}, seen: ['e1', 'e2'], emitted: { revision: 1, status: 'ACTIVE', net: 2_500 } };
}

const edgeValues: Json[] = [0, -1.5, Number.MAX_SAFE_INTEGER, 'plain string', '', true, false, [], {}, [[1, [2, [3]]], { a: { b: { c: null } } }], { 'key with / and : and 🙂': 'é\n"\\' }];

export function stateStoreContract(adapter: string, makeStore: MakeStore): void {
  test(`${adapter}: getMany of missing keys returns no entry`, async () => {
    const store = await makeStore(freshNamespace());
    assert.equal((await store.getMany([])).size, 0);
    const found = await store.getMany(['nobody', 'nobody/O1', '']);
    assert.equal(found.size, 0);
  });

  test(`${adapter}: setMany then getMany returns equal values, for awkward keys and nested values`, async () => {
    const store = await makeStore(freshNamespace());
    const entries = new Map<string, Json>();
    awkwardKeys.forEach((key, i) => entries.set(key, i % 2 === 0 ? history(key, 1 + i) : ledger(key, `O${i}`)));
    edgeValues.forEach((value, i) => entries.set(`edge/${i}`, value));
    await store.setMany(entries);
    const found = await store.getMany([...entries.keys(), 'missing', 'C1/missing']);
    assert.deepEqual(found, entries);
  });

  test(`${adapter}: a key written again holds the last value; other keys are untouched`, async () => {
    const store = await makeStore(freshNamespace());
    await store.setMany(new Map<string, Json>([['C1', history('C1', 1)], ['C1/O1', ledger('C1', 'O1')]]));
    await store.setMany(new Map<string, Json>([['C1', history('C1', 5)]]));
    const found = await store.getMany(['C1', 'C1/O1']);
    assert.deepEqual(found.get('C1'), history('C1', 5));
    assert.deepEqual(found.get('C1/O1'), ledger('C1', 'O1'));
    assert.equal(await store.size(), 2);
  });

  test(`${adapter}: getManyRevised gives getMany's values, the same revision while a key is unchanged, a new one once another value is written`, async (t) => {
    const store = await makeStore(freshNamespace());
    if (!store.getManyRevised) return t.skip('the store has no getManyRevised (optional)');
    await store.setMany(new Map<string, Json>([['C1', history('C1', 1)], ['C2', history('C2', 2)]]));
    const first = await store.getManyRevised(['C1', 'C2', 'missing']);
    assert.deepEqual([...first.keys()].sort(), ['C1', 'C2']);
    assert.deepEqual(first.get('C1')!.value(), history('C1', 1));
    const again = await store.getManyRevised(['C1', 'C2']);
    assert.equal(again.get('C1')!.revision, first.get('C1')!.revision);
    assert.notEqual(again.get('C1')!.revision, again.get('C2')!.revision);
    await store.setMany(new Map<string, Json>([['C1', history('C1', 5)]]));
    const after = await store.getManyRevised(['C1', 'C2']);
    assert.notEqual(after.get('C1')!.revision, first.get('C1')!.revision);
    assert.deepEqual(after.get('C1')!.value(), history('C1', 5));
    assert.equal(after.get('C2')!.revision, first.get('C2')!.revision);
  });

  test(`${adapter}: scan returns every entry exactly once across pages, and nothing of other namespaces`, async () => {
    const namespace = freshNamespace();
    const neighbour = await makeStore(`${namespace}x`);
    await neighbour.setMany(new Map<string, Json>(Array.from({ length: 50 }, (_, i) => [`C${i}`, 'neighbour'])));
    const store = await makeStore(namespace);
    const written = new Map<string, Json>();
    for (let i = 0; i < 2_500 - awkwardKeys.length; i++) written.set(i % 5 === 0 ? `C${i}` : `C${i - (i % 5)}/O${i}`, i % 5 === 0 ? history(`C${i}`, 2) : ledger(`C${i}`, `O${i}`));
    for (const key of awkwardKeys) written.set(key, `awkward ${key}`);
    const keys = [...written.keys()];
    for (let i = 0; i < keys.length; i += 1_000) await store.setMany(new Map(keys.slice(i, i + 1_000).map((k) => [k, written.get(k) as Json])));

    const pageSize = 100;
    const seen = new Map<string, Json>();
    let pages = 0;
    for await (const page of store.scan(pageSize)) {
      pages++;
      assert.ok(page.length > 0 && page.length <= 2 * pageSize, `page of ${page.length}`);
      for (const [key, value] of page) {
        assert.ok(!seen.has(key), `${key} returned twice`);
        seen.set(key, value);
      }
    }
    assert.equal(seen.size, written.size);
    assert.ok(pages >= written.size / (2 * pageSize), `${pages} pages`);
    for (const [key, value] of written) assert.deepEqual(seen.get(key), value, key);
  });

  test(`${adapter}: scan of an empty store yields no page`, async () => {
    const store = await makeStore(freshNamespace());
    let pages = 0;
    for await (const _ of store.scan(10)) pages++;
    assert.equal(pages, 0);
  });

  test(`${adapter}: size counts the namespace's keys, not writes and not other namespaces`, async () => {
    const namespace = freshNamespace();
    const store = await makeStore(namespace);
    const neighbour = await makeStore(`${namespace}x`);
    assert.equal(await store.size(), 0);
    await neighbour.setMany(new Map<string, Json>([['C1', 1]]));
    await store.setMany(new Map<string, Json>(awkwardKeys.map((k) => [k, k])));
    await store.setMany(new Map<string, Json>([['C1', 'again']]));
    assert.equal(await store.size(), awkwardKeys.length);
    assert.equal(await neighbour.size(), 1);
  });

  test(`${adapter}: scanPrefix returns exactly the keys that start with the prefix, glob and brace characters included`, async () => {
    const namespace = freshNamespace();
    const store = await makeStore(namespace);
    const neighbour = await makeStore(`${namespace}x`);
    const keys = ['C*[1]', 'C*[1]/O1', 'C*[1]/O2', 'C*[1]/B/O3', 'C*[1]x/O4', 'C?[1]/O5', 'C*[12]/O6', 'C}1/O7', 'C}1', '%7D/O8'];
    await store.setMany(new Map<string, Json>(keys.map((k) => [k, k])));
    await neighbour.setMany(new Map<string, Json>([['C*[1]/O9', 'other namespace']]));
    const found = async (prefix: string) => {
      const out: string[] = [];
      for await (const page of store.scanPrefix(prefix, 2)) for (const [k, v] of page) { assert.equal(v, k); out.push(k); }
      return out.sort();
    };
    assert.deepEqual(await found('C*[1]/'), ['C*[1]/B/O3', 'C*[1]/O1', 'C*[1]/O2']);
    assert.deepEqual(await found('C*[1]'), ['C*[1]', 'C*[1]/B/O3', 'C*[1]/O1', 'C*[1]/O2', 'C*[1]x/O4']);
    assert.deepEqual(await found('C}1/'), ['C}1/O7']);
    assert.deepEqual(await found('%7D'), ['%7D/O8']);
    assert.deepEqual(await found('nobody/'), []);
  });

  test(`${adapter}: deleteMany removes the keys, counts those that existed, and leaves the rest`, async () => {
    const store = await makeStore(freshNamespace());
    await store.setMany(new Map<string, Json>([['C1', 1], ['C1/O1', 2], ['C2', 3]]));
    assert.equal(await store.deleteMany(['C1', 'C1/O1', 'missing']), 2);
    assert.equal(await store.deleteMany([]), 0);
    assert.deepEqual(await store.getMany(['C1', 'C1/O1', 'C2']), new Map([['C2', 3]]));
    assert.equal(await store.size(), 1);
  });
}
