import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryAnalyticsStore } from '../adapters/in-memory/in-memory-analytics-store.js';
import { analyticsStoreContract, sampleRows } from './support/analytics-store-contract.js';

analyticsStoreContract('in-memory analytics store', async () => {
  const store = new InMemoryAnalyticsStore();
  return { store, readAll: async (table) => store.rows(table), close: () => store.close() };
});

test('in-memory analytics store: rows are copies, so callers cannot change stored data', async () => {
  const store = new InMemoryAnalyticsStore();
  const row = sampleRows().purchases;
  await store.insert('purchases', [row]);
  row.categories.push('changed');
  const [read] = store.rows('purchases');
  read.categories.push('changed too');
  assert.deepEqual(store.rows('purchases')[0].categories, ['music', 'books']);
});
