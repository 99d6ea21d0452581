/**
 * RedisStateStore on the Redis that scripts/services starts (or CLV_REDIS_URL): the StateStore
 * contract, then what only Redis has — key layout and cluster slots, TTL, fenced writes,
 * errors, and data surviving a restart. Every key lives under a run-scoped namespace prefix
 * and is deleted at the end.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { firstKeyPart, FencedWriteError, RedisStateStore, type RedisStateStoreOptions } from '../../adapters/redis/redis-state-store.js';
import { compositeKey } from '../../core/composite-key.js';
import { ClvError } from '../../core/errors.js';
import type { StateCodec } from '../../core/ports/state-store.js';
import { stateStoreContract, type Json } from '../support/state-store-contract.js';
import { runScoped, services } from './support/services.js';

// ioredis' own slot function (a dependency of ioredis, untyped).
const clusterKeySlot = createRequire(import.meta.url)('cluster-key-slot') as (key: string) => number;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const run = runScoped('it_state');
const client = new Redis(services.redisUrl, {
  lazyConnect: true,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  retryStrategy: (times) => Math.min(times * 100, 1_000),
});

// Connection errors also reach the commands that fail; keep the last one for the message below.
let lastConnectionError: Error | null = null;
client.on('error', (error: Error) => void (lastConnectionError = error));

before(async () => {
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    const reason = (lastConnectionError ?? (error as Error)).message;
    throw new Error(`Redis is not reachable at ${services.redisUrl} (CLV_REDIS_URL): ${reason}. Start it with \`bash scripts/services/up.sh redis\`.`);
  }
});

after(async () => {
  if (client.status !== 'ready') return client.disconnect();
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `clv:${run}_*`, 'COUNT', 1_000);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  await client.quit();
});

let seq = 0;
/** A store on the shared client, in a namespace of this run. */
function store<T = Json>(options: Partial<RedisStateStoreOptions<T>> = {}, namespace = `t${seq++}`): RedisStateStore<T> {
  return new RedisStateStore<T>({ redis: client, namespace: `${run}_${namespace}`, ...options });
}

stateStoreContract('redis state store', (namespace) => store<Json>({}, namespace));

test('redis state store: keys follow clv:<namespace>:{<customer>}<rest>; one customer is one cluster slot', async () => {
  // Reference values from the CLUSTER KEYSLOT documentation.
  assert.equal(clusterKeySlot('somekey'), 11058);
  assert.equal(clusterKeySlot('foo{hash_tag}'), 2515);
  assert.equal(clusterKeySlot('bar{hash_tag}'), 2515);

  const ledgers = store({ hashTag: firstKeyPart }, 'ledgers');
  const histories = store({}, 'histories');
  await ledgers.setMany(new Map([[compositeKey('C42', 'O-7'), 1], [compositeKey('C42', 'O-8'), 2], [compositeKey('A/B', 'C'), 4], [compositeKey('A', 'B/C'), 5]]));
  await histories.setMany(new Map([['C42', 3], ['A/B', 6]]));
  assert.equal(await client.exists(`clv:${run}_ledgers:{C42}/O-7`, `clv:${run}_ledgers:{C42}/O-8`, `clv:${run}_histories:{C42}`), 3);
  // Customer A/B's order C and customer A's order B/C: two keys, each in its customer's slot.
  // Values carry their write version (0: written without one), then the JSON.
  assert.equal(await client.get(`clv:${run}_ledgers:{A/B}/C`), '0\n4');
  assert.equal(await client.get(`clv:${run}_ledgers:{A}/B%2FC`), '0\n5');
  assert.deepEqual([...(await ledgers.getMany([compositeKey('A/B', 'C'), compositeKey('A', 'B/C')])).values()], [4, 5]);

  const slots = [compositeKey('C42', 'O-7'), compositeKey('C42', 'O-8')].map((k) => clusterKeySlot(ledgers.layout.encode(k)));
  slots.push(clusterKeySlot(histories.layout.encode('C42')));
  assert.deepEqual(slots, Array(3).fill(clusterKeySlot('C42')));
  assert.equal(clusterKeySlot(ledgers.layout.encode(compositeKey('A/B', 'C'))), clusterKeySlot(histories.layout.encode('A/B')));
  // Customers spread over slots.
  const spread = new Set(Array.from({ length: 1_000 }, (_, i) => clusterKeySlot(histories.layout.encode(`C${i}`))));
  assert.ok(spread.size > 900, `${spread.size} slots for 1000 customers`);
});

test('redis state store: a codec is given each value\'s state key on every path, and the stored text is the write version and its output', async () => {
  // Leaves the key out of the text and puts it back when decoding, as the processors' codecs do.
  const calls: string[] = [];
  const codec: StateCodec<{ id: string; n: number }> = {
    encode: (value, key) => {
      calls.push(`encode ${key}`);
      return value.id === key ? String(value.n) : `${value.id}|${value.n}`;
    },
    decode: (text, key) => {
      calls.push(`decode ${key}`);
      const bar = text.indexOf('|');
      return bar < 0 ? { id: key, n: Number(text) } : { id: text.slice(0, bar), n: Number(text.slice(bar + 1)) };
    },
  };
  const s = store({ codec, hashTag: firstKeyPart });
  const values = new Map([[compositeKey('C1', 'O1'), { id: compositeKey('C1', 'O1'), n: 1 }], [compositeKey('C/2', 'O1'), { id: 'other', n: 2 }]]);
  await s.setMany(values, { writeVersion: 3 });
  assert.equal(await client.get(s.layout.encode('C1/O1')), '3\n1');
  assert.equal(await client.get(s.layout.encode(compositeKey('C/2', 'O1'))), '3\nother|2');
  assert.deepEqual(await s.getMany([...values.keys()]), values);
  const revised = await s.getManyRevised([compositeKey('C1', 'O1')]);
  assert.equal(revised.get('C1/O1')!.revision, '3\n1');
  assert.deepEqual(revised.get('C1/O1')!.value(), values.get('C1/O1'));
  const scanned = new Map<string, unknown>();
  for await (const page of s.scan(10)) for (const [k, v] of page) scanned.set(k, v);
  assert.deepEqual(scanned, values);
  for await (const page of s.scanPrefix(`${compositeKey('C/2')}/`, 10)) assert.deepEqual(page, [[compositeKey('C/2', 'O1'), { id: 'other', n: 2 }]]);
  assert.ok(calls.every((c) => /^(en|de)code (C1\/O1|C%2F2\/O1)$/.test(c)), calls.join(', '));
});

test('redis state store: ttlSeconds expires a key that long after its last write', async () => {
  const ledgers = store<Json>({ ttlSeconds: 3_600 });
  await ledgers.setMany(new Map([['C1/O1', 1]]));
  const raw = ledgers.layout.encode('C1/O1');
  const ttl = await client.ttl(raw);
  assert.ok(ttl > 3_590 && ttl <= 3_600, `ttl ${ttl}`);
  // Another write pushes the expiry out again.
  await client.expire(raw, 10);
  await ledgers.setMany(new Map([['C1/O1', 2]]));
  assert.ok((await client.ttl(raw)) > 3_590);

  const fenced = store<Json>({ ttlSeconds: 60 });
  await fenced.setMany(new Map([['C1', 1]]), { writeVersion: 1 });
  const fencedTtl = await client.ttl(fenced.layout.encode('C1'));
  assert.ok(fencedTtl > 50 && fencedTtl <= 60, `fenced ttl ${fencedTtl}`);

  const forever = store<Json>();
  await forever.setMany(new Map([['C1', 1]]));
  assert.equal(await client.ttl(forever.layout.encode('C1')), -1);

  // Expiry really removes the entry (Redis' TTL resolution is 1 s).
  const shortLived = store<Json>({ ttlSeconds: 1 });
  await shortLived.setMany(new Map([['C1/O1', 1]]));
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal((await shortLived.getMany(['C1/O1'])).size, 0);
});

test('redis state store: a batch larger than one fenced-write call (1,000 keys) is written whole, and fencing holds in every call', async () => {
  const namespace = `bigbatch${seq++}`;
  const owner = store<Json>({}, namespace);
  const keys = Array.from({ length: 2_500 }, (_, i) => `C${i}`);
  await owner.setMany(new Map(keys.map((k, i) => [k, { i }])), { writeVersion: 5 });
  assert.deepEqual(await owner.getMany(keys), new Map(keys.map((k, i) => [k, { i }])));
  // A newer owner took three keys, one in each call of the older writer's next batch.
  const taken = ['C10', 'C1500', 'C2400'];
  await owner.setMany(new Map(taken.map((k) => [k, 'newer'])), { writeVersion: 6 });
  const refused = await owner.setMany(new Map(keys.map((k) => [k, 'older'])), { writeVersion: 5 }).then(() => null, (e: unknown) => e);
  assert.ok(refused instanceof FencedWriteError, String(refused));
  assert.deepEqual(refused.refusedKeys, taken);
  const now = await owner.getMany(keys);
  for (const k of keys) assert.deepEqual(now.get(k), taken.includes(k) ? 'newer' : 'older', k);
});

test('redis state store: a fenced write refuses to replace a newer write version', async () => {
  const namespace = `fenced${seq++}`;
  const versioned = (writeVersion: number) => {
    const s = store<Json>({}, namespace);
    return { setMany: (entries: Map<string, Json>) => s.setMany(entries, { writeVersion }), getMany: (keys: string[]) => s.getMany(keys), layout: s.layout };
  };
  const [zombie, owner, next] = [versioned(4), versioned(5), versioned(6)];

  await owner.setMany(new Map([['C1', 'owner'], ['C2', 'owner']]));
  assert.equal(await client.get(owner.layout.encode('C1')), '5\n"owner"');

  // The zombie's batch: C1 is newer and stays; C3 is new and is written.
  const refused = await zombie.setMany(new Map([['C1', 'zombie'], ['C3', 'zombie']])).then(() => null, (e: unknown) => e);
  assert.ok(refused instanceof FencedWriteError, String(refused));
  assert.deepEqual(refused.refusedKeys, ['C1']);
  assert.equal(refused.retriable, false);
  assert.deepEqual(await owner.getMany(['C1', 'C2', 'C3']), new Map([['C1', 'owner'], ['C2', 'owner'], ['C3', 'zombie']]));

  // The same version may write again; a newer one takes over; then the older is refused.
  await owner.setMany(new Map([['C1', 'owner again']]));
  await next.setMany(new Map([['C1', 'next']]));
  await assert.rejects(owner.setMany(new Map([['C1', 'late']])), FencedWriteError);
  assert.deepEqual(await next.getMany(['C1']), new Map([['C1', 'next']]));

  // A write without a version (a re-score, a tool) keeps each key's version: it is neither
  // refused nor fences the owner out.
  await store<Json>({}, namespace).setMany(new Map([['C1', 'rescored'], ['C9', 'new']]));
  assert.equal(await client.get(owner.layout.encode('C1')), '6\n"rescored"');
  assert.equal(await client.get(owner.layout.encode('C9')), '0\n"new"');
  await next.setMany(new Map([['C1', 'next again'], ['C9', 'next']]));
  assert.deepEqual(await next.getMany(['C1', 'C9']), new Map([['C1', 'next again'], ['C9', 'next']]));
});

test('redis state store: a value without a write version (another state format) is neither overwritten nor read', async () => {
  const fenced = store<Json>({});
  await client.set(fenced.layout.encode('C1'), '"plain"');
  const notRetriable = (e: unknown) => e instanceof ClvError && !e.retriable && /no write version/.test(e.message);
  await assert.rejects(fenced.setMany(new Map([['C1', 'fenced']]), { writeVersion: 1 }), notRetriable);
  await assert.rejects(fenced.setMany(new Map([['C1', 'fenced']])), notRetriable);
  await assert.rejects(fenced.getMany(['C1']), notRetriable);
  assert.equal(await client.get(fenced.layout.encode('C1')), '"plain"');
});

test('redis state store: a namespace claimed for one state format refuses a build of another, and scans never see the claim', async () => {
  const namespace = `format${seq++}`;
  const first = store<Json>({}, namespace);
  await first.claimFormat(1);
  await first.claimFormat(1); // the same build again: fine
  await first.setMany(new Map([['C1', 'x']]));
  const pages: string[] = [];
  for await (const page of first.scan(100)) pages.push(...page.map(([k]) => k));
  assert.deepEqual(pages, ['C1']);
  await assert.rejects(store<Json>({}, namespace).claimFormat(2), (e: unknown) => e instanceof ClvError && /states of format 1; this build keeps format 2: rebuild them by replaying the topics/.test(e.message));
  await client.del(`clv-format:${run}_${namespace}`);
});

test('redis state store: unreadable values and keys of another type are not retriable', async () => {
  const s = store<Json>({});
  await client.set(s.layout.encode('C1'), '1\n{not json');
  await assert.rejects(s.getMany(['C1']), (e: unknown) => e instanceof ClvError && !e.retriable && /does not deserialize/.test(e.message));
  await client.hset(s.layout.encode('C2'), 'f', 'v');
  await assert.rejects(s.setMany(new Map([['C2', 1]])), (e: unknown) => e instanceof ClvError && !e.retriable && /WRONGTYPE/.test(e.message));
});

test('redis state store: malformed options are refused before any command', () => {
  const invalid = (e: unknown) => e instanceof ClvError && e.code === 'CLV_INVALID_CONFIG';
  assert.throws(() => store({ ttlSeconds: 0 }), invalid);
  assert.throws(() => store({ ttlSeconds: 1.5 }), invalid);
  assert.throws(() => store({}, 'a:b'), invalid);
  assert.throws(() => store({}, 'a*'), invalid);
});

test('redis state store: an unreachable Redis surfaces as a retriable dependency error', async () => {
  const port = await closedPort();
  const down = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 300, retryStrategy: () => null });
  down.on('error', () => {}); // reported through the failed commands, checked below
  const stores = [
    new RedisStateStore<Json>({ redis: down, namespace: `${run}_down` }),
    new RedisStateStore<Json>({ redis: `redis://127.0.0.1:${port}`, redisOptions: { retryStrategy: () => null, connectTimeout: 300 }, namespace: `${run}_down` }),
  ];
  const retriable = (e: unknown) => e instanceof ClvError && e.code === 'CLV_DEPENDENCY_FAILED' && e.retriable && e.cause instanceof Error;
  for (const s of stores) {
    await assert.rejects(s.getMany(['C1']), retriable);
    await assert.rejects(s.setMany(new Map([['C1', 1]])), retriable);
    await assert.rejects(s.setMany(new Map([['C1', 1]]), { writeVersion: 1 }), retriable);
    await assert.rejects(s.size(), retriable);
    await assert.rejects(async () => {
      for await (const _ of s.scan(10));
    }, retriable);
    await s.close();
  }
  down.disconnect();
});

test('redis state store: data survives a Redis restart (AOF), and the store carries on', async (t) => {
  const pidFile = `${process.env.SERVICES_HOME ?? `${repoRoot}.services`}/redis/redis.pid`;
  const servedPid = Number((await client.info('server')).match(/process_id:(\d+)/)?.[1]);
  if (!existsSync(pidFile) || Number(readFileSync(pidFile, 'utf8').trim()) !== servedPid) {
    t.skip(`the Redis at ${services.redisUrl} was not started by scripts/services/up.sh (no matching ${pidFile}); cannot restart it`);
    return;
  }
  const namespace = `restart${seq++}`;
  const plain = store<Json>({}, `${namespace}p`);
  const fenced = store<Json>({}, `${namespace}f`);
  const values = new Map<string, Json>(Array.from({ length: 500 }, (_, i) => [`C${i}`, { orders: { [`O${i}`]: { net: i } } }]));
  await plain.setMany(values);
  await fenced.setMany(values, { writeVersion: 3 });

  const script = (name: string) => execFileSync('bash', [`scripts/services/${name}.sh`, 'redis'], { cwd: repoRoot, stdio: 'pipe', timeout: 60_000 });
  script('down');
  script('up');
  for (let i = 0; client.status !== 'ready' || !(await client.ping().then(() => true, () => false)); i++) {
    if (i > 100) throw new Error('the shared client did not reconnect within 10 s of the restart');
    await new Promise((r) => setTimeout(r, 100));
  }

  assert.notEqual(Number((await client.info('server')).match(/process_id:(\d+)/)?.[1]), servedPid, 'a new process');
  assert.deepEqual(await plain.getMany([...values.keys()]), values);
  assert.deepEqual(await fenced.getMany([...values.keys()]), values);
  // The script cache is empty after a restart; ioredis loads the script again.
  await fenced.setMany(new Map([['C0', 'after restart']]), { writeVersion: 3 });
  await assert.rejects(store<Json>({}, `${namespace}f`).setMany(new Map([['C1', 'older']]), { writeVersion: 2 }), FencedWriteError);
  assert.equal((await fenced.getMany(['C0'])).get('C0'), 'after restart');
  assert.equal(await plain.size(), values.size);
});

/** A loopback port that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
