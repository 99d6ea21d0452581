/** The stack bench's in-memory states: dropping them empties every store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateStore } from '../core/ports/state-store.js';
import { dropStates } from '../bench/in-memory-states-pipeline.js';
import { objectStateStores } from '../bench/object-state-stores.js';

test('dropStates deletes every state of every store, across scan pages', async () => {
  const stores = objectStateStores();
  const fill = (store: StateStore<unknown>, n: number) => store.setMany(new Map(Array.from({ length: n }, (_, i) => [`k${i}`, { i }])));
  await fill(stores.ledgers as StateStore<unknown>, 25_001);
  await fill(stores.histories as StateStore<unknown>, 3);
  assert.equal(await stores.ledgers.size(), 25_001);
  await dropStates(stores);
  for (const store of Object.values(stores)) assert.equal(await store.size(), 0);
});
