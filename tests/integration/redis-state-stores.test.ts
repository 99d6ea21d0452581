/**
 * app/redis-state-stores.ts on the Redis that scripts/services starts (or CLV_REDIS_URL): the
 * processors' states, as a synthetic shop leaves them, written through their stores and read
 * back on every path (getMany, getManyRevised, scan, scanPrefix) exactly as the processors wrote
 * them; a state of the JSON format before (4) is refused by name. Run-scoped namespaces,
 * deleted at the end.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { syntheticDemoHistory } from '../../app/demo/demo-history.js';
import { replayMessages } from '../../app/demo/replay-messages.js';
import { embeddedPipeline } from '../../app/embedded.js';
import { createLogger } from '../../app/logger.js';
import { redisStateStores } from '../../app/redis-state-stores.js';
import { loadConfig } from '../../config/config.js';
import { compositeKey } from '../../core/composite-key.js';
import { ClvError } from '../../core/errors.js';
import type { StateStore } from '../../core/ports/state-store.js';
import { processorStateCodecs } from '../../processors/state-codecs.js';
import { runScoped, services } from './support/services.js';

const client = new Redis(services.redisUrl);
const stores = redisStateStores(client, { prefix: runScoped('states'), ledgerTtlSeconds: 3_600 });

after(async () => {
  // By raw key, without decoding: one test leaves a value of the old format behind on purpose.
  try {
    for (const store of Object.values(stores)) {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', store.layout.pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await client.unlink(...keys);
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
});

/** The states the processors leave after a small synthetic shop, per store, JSON-normalized (what format 4 gave back). */
async function shopStates() {
  const config = loadConfig({});
  const history = syntheticDemoHistory({ customers: 150, seed: 5, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });
  const { log, codec, pipeline } = embeddedPipeline(config, createLogger('silent'));
  await pipeline.start();
  await replayMessages({ log, codec, pipeline }, history.messages);
  await pipeline.stop();
  const read = async (store: StateStore<unknown>) => {
    const out = new Map<string, unknown>();
    for await (const page of store.scan(1000)) for (const [k, v] of page) out.set(k, JSON.parse(JSON.stringify(v)));
    return out;
  };
  return { ledgers: await read(pipeline.stores.ledgers), histories: await read(pipeline.stores.histories), scores: await read(pipeline.stores.scores) };
}

test('the processors\' states round-trip through Redis on every read path, stored as the write version and their codec\'s text', async () => {
  const states = await shopStates();
  for (const name of ['ledgers', 'histories', 'scores'] as const) {
    const store = stores[name] as unknown as StateStore<unknown> & { layout: { encode(k: string): string } };
    const expected = states[name];
    assert.ok(expected.size > 100, `${name}: ${expected.size}`);
    await store.setMany(expected, { writeVersion: 2 });
    const [firstKey, firstState] = [...expected][0];
    assert.equal(await client.get(store.layout.encode(firstKey)), `2\n${processorStateCodecs[name].encode(firstState as never, firstKey)}`);
    assert.deepStrictEqual(await store.getMany([...expected.keys()]), expected, `${name}: getMany`);
    const revised = (await store.getManyRevised!([firstKey])).get(firstKey)!;
    assert.equal(revised.revision, await client.get(store.layout.encode(firstKey)), `${name}: the revision is the stored text`);
    assert.deepStrictEqual(revised.value(), firstState);
    const scanned = new Map<string, unknown>();
    for await (const page of store.scan(97)) for (const [k, v] of page) scanned.set(k, v);
    assert.deepStrictEqual(scanned, expected, `${name}: scan`);
    const customer = name === 'ledgers' ? firstKey.split('/')[0] : firstKey;
    const prefix = name === 'ledgers' ? `${customer}/` : customer;
    const mine = new Map([...expected].filter(([k]) => (name === 'ledgers' ? k.startsWith(prefix) : k === customer)));
    const found = new Map<string, unknown>();
    for await (const page of store.scanPrefix(prefix, 50)) for (const [k, v] of page) if (mine.has(k)) found.set(k, v);
    assert.deepStrictEqual(found, mine, `${name}: scanPrefix`);
  }
});

test('a state in the JSON of state format 4 is refused, naming the format, and not retried', async () => {
  const key = compositeKey('C-json', 'O-1');
  await client.set(stores.ledgers.layout.encode(key), '0\n{"customerId":"C-json","orderId":"O-1"}');
  await assert.rejects(stores.ledgers.getMany([key]), (e: unknown) => e instanceof ClvError && !e.retriable && /does not deserialize: not an order ledger of state format 5: expected a JSON array of 15 fields, got object/.test(e.message));
});
