/** The stack bench's in-memory states: dropping them empties every store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { dropStates } from '../bench/in-memory-states-pipeline.js';
import type { PipelineStores } from '../processors/pipeline.js';

test('dropStates deletes every state of every store, across scan pages', async () => {
  const stores = { ledgers: new InMemoryStateStore(), histories: new InMemoryStateStore(), scores: new InMemoryStateStore() } as unknown as PipelineStores;
  const fill = async (store: InMemoryStateStore<unknown>, n: number) => store.setMany(new Map(Array.from({ length: n }, (_, i) => [`k${i}`, { i }])));
  await fill(stores.ledgers as unknown as InMemoryStateStore<unknown>, 25_001);
  await fill(stores.histories as unknown as InMemoryStateStore<unknown>, 3);
  await fill(stores.scores as unknown as InMemoryStateStore<unknown>, 0);
  await dropStates(stores);
  for (const store of Object.values(stores)) assert.equal(await store.size(), 0);
});
