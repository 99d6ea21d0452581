import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import type { StateCodec } from '../core/ports/state-store.js';
import { stateStoreContract, type Json } from './support/state-store-contract.js';

// Every store is its own namespace.
stateStoreContract('in-memory state store', () => new InMemoryStateStore());

// With a codec (as the embedded pipeline keeps states, as text): the same contract.
const jsonCodec: StateCodec<Json> = { encode: (value) => JSON.stringify(value), decode: (text) => JSON.parse(text) as Json };
stateStoreContract('in-memory state store with a codec, all values as text', () => new InMemoryStateStore(jsonCodec, { recent: 0 }));
stateStoreContract('in-memory state store with a codec, the 3 most recent values as given', () => new InMemoryStateStore(jsonCodec, { recent: 3 }));

test('in-memory state store with a codec and no recent values keeps the text: every read decodes it, the key is passed both ways, revisions are the text', async () => {
  const calls: string[] = [];
  const codec: StateCodec<{ n: number }> = {
    encode: (value, key) => (calls.push(`encode ${key}`), `${key}=${value.n}`),
    decode: (text, key) => {
      calls.push(`decode ${key}`);
      assert.ok(text.startsWith(`${key}=`), text);
      return { n: Number(text.slice(key.length + 1)) };
    },
  };
  const store = new InMemoryStateStore(codec, { recent: 0 });
  const value = { n: 1 };
  await store.setMany(new Map([['C1', value]]));
  // Changing the caller's object afterwards does not change the stored state.
  value.n = 2;
  assert.deepEqual(await store.getMany(['C1']), new Map([['C1', { n: 1 }]]));
  const revised = (await store.getManyRevised(['C1'])).get('C1')!;
  assert.equal(revised.revision, 'C1=1');
  assert.deepEqual(calls, ['encode C1', 'decode C1']);
  assert.deepEqual(revised.value(), { n: 1 });
  assert.deepEqual(calls, ['encode C1', 'decode C1', 'decode C1']);
  assert.deepEqual([...(await collect(store.scanPrefix('C', 10)))], [['C1', { n: 1 }]]);
});

test('in-memory state store with a codec: the most recently written values are kept as given, the older ones encoded once as they make room', async () => {
  let encoded = 0;
  const codec: StateCodec<{ n: number }> = { encode: (value) => (encoded++, JSON.stringify(value)), decode: (text) => JSON.parse(text) as { n: number } };
  const store = new InMemoryStateStore(codec, { recent: 2 });
  const a = { n: 1 };
  await store.setMany(new Map([['a', a], ['b', { n: 2 }]]));
  assert.equal(encoded, 0);
  assert.equal((await store.getMany(['a'])).get('a'), a, 'a recent value is the object written');
  // Writing a again makes it the newest: b is the one encoded when c arrives.
  await store.setMany(new Map([['a', a]]));
  await store.setMany(new Map([['c', { n: 3 }]]));
  assert.equal(encoded, 1);
  assert.equal((await store.getManyRevised(['b'])).get('b')?.revision, '{"n":2}');
  assert.equal((await store.getMany(['a'])).get('a'), a);
  // Written again, b is as given once more and not encoded again until it makes room.
  await store.setMany(new Map([['b', { n: 4 }]]));
  assert.equal(encoded, 2, 'a made room for b');
  assert.deepEqual(await store.getMany(['a', 'b', 'c']), new Map([['a', { n: 1 }], ['b', { n: 4 }], ['c', { n: 3 }]]));
  assert.equal(await store.size(), 3);
});

test('in-memory state store with a codec: a scan returns each key present at its start once, however writes move keys meanwhile', async () => {
  const store = new InMemoryStateStore(jsonCodec, { recent: 5 });
  const keys = Array.from({ length: 40 }, (_, i) => `C${i}`);
  await store.setMany(new Map(keys.map((k) => [k, 0])));
  const seen: string[] = [];
  let round = 0;
  for await (const page of store.scan(3)) {
    seen.push(...page.map(([k]) => k));
    // Rewrite keys already seen and keys not yet seen: both move between the recent values and the text.
    await store.setMany(new Map([[keys[round % 40], ++round], [keys[(round * 7) % 40], round]]));
  }
  assert.deepEqual(seen.sort(), [...keys].sort());
});

async function collect<T>(pages: AsyncIterable<Array<[string, T]>>): Promise<Array<[string, T]>> {
  const all: Array<[string, T]> = [];
  for await (const page of pages) all.push(...page);
  return all;
}
