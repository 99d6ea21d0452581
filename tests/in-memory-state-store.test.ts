import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import type { StateCodec } from '../core/ports/state-store.js';
import { stateStoreContract, type Json } from './support/state-store-contract.js';

// Every store is its own namespace.
stateStoreContract('in-memory state store', () => new InMemoryStateStore());

// With a codec (as the embedded pipeline keeps states, as text): the same contract.
const jsonCodec: StateCodec<Json> = { encode: (value) => JSON.stringify(value), decode: (text) => JSON.parse(text) as Json };
stateStoreContract('in-memory state store with a codec', () => new InMemoryStateStore(jsonCodec));

test('in-memory state store with a codec keeps the text: every read decodes it, the key is passed both ways, a revision holds until the next write', async () => {
  const calls: string[] = [];
  const codec: StateCodec<{ n: number }> = {
    encode: (value, key) => (calls.push(`encode ${key}`), `${key}=${value.n}`),
    decode: (text, key) => {
      calls.push(`decode ${key}`);
      assert.ok(text.startsWith(`${key}=`), text);
      return { n: Number(text.slice(key.length + 1)) };
    },
  };
  const store = new InMemoryStateStore(codec);
  const value = { n: 1 };
  await store.setMany(new Map([['C1', value]]));
  // Changing the caller's object afterwards does not change the stored state.
  value.n = 2;
  assert.deepEqual(await store.getMany(['C1']), new Map([['C1', { n: 1 }]]));
  const revised = (await store.getManyRevised(['C1'])).get('C1')!;
  assert.equal((await store.getManyRevised(['C1'])).get('C1')!.revision, revised.revision);
  assert.deepEqual(calls, ['encode C1', 'decode C1']);
  assert.deepEqual(revised.value(), { n: 1 });
  assert.deepEqual(calls, ['encode C1', 'decode C1', 'decode C1']);
  assert.deepEqual([...(await collect(store.scanPrefix('C', 10)))], [['C1', { n: 1 }]]);
  // A value read before a write is the one stored when it was read.
  await store.setMany(new Map([['C1', { n: 3 }]]));
  assert.deepEqual(revised.value(), { n: 1 });
  const after = (await store.getManyRevised(['C1'])).get('C1')!;
  assert.notEqual(after.revision, revised.revision);
  assert.deepEqual(after.value(), { n: 3 });
});

async function collect<T>(pages: AsyncIterable<Array<[string, T]>>): Promise<Array<[string, T]>> {
  const all: Array<[string, T]> = [];
  for await (const page of pages) all.push(...page);
  return all;
}
