/**
 * `clv backup` and `clv restore` on the real services: a run-scoped ClickHouse database (every
 * analyst table filled, rows over several monthly partitions, a redelivered batch, strings that
 * break naive quoting), run-scoped Redis keys on the shared server (strings with and without
 * an expiry, a hash) and a model registry in a temporary directory (three versions, promoted
 * twice, CHAMPION moved back) are backed up by the built CLI, destroyed (database dropped,
 * keys deleted, directory removed), restored by the CLI, and compared with what was there:
 * every table's rows (with FINAL, and raw counts where nothing can merge), every view's
 * rows, every key's type, value and expiry instant, every registry file and the champion.
 * Nothing outside this run's database, key pattern and directories is touched.
 * Needs `npm run build`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { ident, sql } from '../../adapters/clickhouse/sql.js';
import { LocalModelRegistry } from '../../adapters/local-directory/local-model-registry.js';
import { firstKeyPart, RedisStateStore } from '../../adapters/redis/redis-state-store.js';
import { compositeKey } from '../../core/composite-key.js';
import type { AnalyticsRows, AnalyticsTable } from '../../core/ports/analytics-store.js';
import { nastyStrings, sampleRows } from '../support/analytics-store-contract.js';
import { openTestDatabase, type TestDatabase } from './clickhouse-test-database.js';
import { clv } from './support/stack.js';
import { runScoped, services } from './support/services.js';

const root = resolve(import.meta.dirname, '..', '..');
const run = runScoped('bk');
const work = mkdtempSync(join(tmpdir(), 'clv-itest-backup-'));
const registryDir = join(work, 'models');
const backupDir = join(work, 'backup');
const match = `clv:${run}_*`;
const redis = new Redis(services.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
let db: TestDatabase;
let env: NodeJS.ProcessEnv;

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 3, 10, 0, 0, 250);

/** Every table filled: 60 rows each over five monthly partitions, nasty strings in free text. */
async function fillClickHouse(): Promise<void> {
  const byTable = new Map<AnalyticsTable, object[]>();
  for (let i = 0; i < 60; i++) {
    const rows = sampleRows(`e${i}`, `C${i % 7}`);
    for (const [table, row] of Object.entries(rows) as Array<[AnalyticsTable, Record<string, unknown>]>) {
      const at = T0 + i * 2.5 * DAY;
      const spread = 'event_time' in row ? { ...row, event_time: at } : { ...row, trained_at: at, updated_at: at };
      // One order per row: an order's revision is one event, with one time (the views' argMax by revision relies on it).
      if ('order_id' in spread) Object.assign(spread, { order_id: `O${i}` });
      if (table === 'dead_letters') Object.assign(spread, { reason: nastyStrings[i % nastyStrings.length], key: i % 2 ? nastyStrings[i % nastyStrings.length] : null });
      if (table === 'model_runs') Object.assign(spread, { version: `v${i}` });
      byTable.set(table, [...(byTable.get(table) ?? []), spread]);
    }
  }
  for (const [table, rows] of byTable) await db.store.insert(table, rows as AnalyticsRows[typeof table][]);
  // A redelivered batch, as the sink writes after a crash: raw duplicates that FINAL collapses.
  await db.store.insert('orders', byTable.get('orders')!.slice(0, 10) as AnalyticsRows['orders'][]);
}

async function fillRedis(): Promise<void> {
  const ledgers = new RedisStateStore<unknown>({ redis, namespace: `${run}_ledgers`, hashTag: firstKeyPart, ttlSeconds: 3_600 });
  const histories = new RedisStateStore<unknown>({ redis, namespace: `${run}_histories` });
  const scores = new RedisStateStore<unknown>({ redis, namespace: `${run}_scores` });
  const customers = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'A/B' : i === 1 ? 'café ☕ 客户' : `C${i}`));
  await ledgers.setMany(new Map(customers.flatMap((c, i) => [[compositeKey(c, `O${i}`), { paid: i * 100, ids: [`p${i}`] }], [compositeKey(c, `O${i}b`), { paid: 1 }]])));
  await histories.setMany(new Map(customers.map((c, i) => [c, { days: Array.from({ length: i % 5 }, (_, d) => 19_000 + d) }])));
  await scores.setMany(new Map(customers.map((c, i) => [c, { clv: i * 1.5, segment: i % 3 ? 'high' : 'new' }])));
  await redis.hset(`clv:${run}_misc:hash`, { a: '1', b: nastyStrings.join('|') });
}

function fillRegistry(): Promise<void> {
  const registry = new LocalModelRegistry(registryDir);
  const info = (version: string, i: number) => ({ version, kind: 'bgnbd-gamma-gamma', registeredAt: new Date(T0 + i * DAY).toISOString(), details: { holdoutMae: 1 / (i + 1) } });
  return (async () => {
    for (const [i, v] of ['v1', 'v2', 'v3'].entries()) await registry.register(info(v, i), { params: { r: 0.24 + i, alpha: 4.4 } });
    await registry.promote('v2', 'training');
    await registry.promote('v3', 'training');
    await registry.promote('v2', 'rollback');
  })();
}

/** Every table's and view's rows (FINAL where the engine collapses), sorted, and raw counts. */
async function clickHouseContents(database: string): Promise<{ rows: Record<string, string[]>; raw: Record<string, number> }> {
  const tables = await db.store.connection.select<{ name: string; engine: string }>(sql`SELECT name, engine FROM system.tables WHERE database = ${database} ORDER BY name`);
  const rows: Record<string, string[]> = {};
  const raw: Record<string, number> = {};
  for (const { name, engine } of tables) {
    if (name === 'schema_migrations') continue;
    const final = engine.endsWith('MergeTree') && engine !== 'MergeTree';
    const target = ident(database, name);
    const all = await db.store.connection.select<object>(final ? sql`SELECT * FROM ${target} FINAL` : sql`SELECT * FROM ${target}`);
    rows[name] = all.map((r) => JSON.stringify(r)).sort();
    if (engine !== 'View') raw[name] = Number((await db.store.connection.select<{ n: string }>(sql`SELECT count() AS n FROM ${target}`))[0].n);
  }
  return { rows, raw };
}

async function matchingKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, page] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1_000);
    keys.push(...page);
    cursor = next;
  } while (cursor !== '0');
  return keys.sort();
}

/** Each key: its type, its value (GET or HGETALL) and its expiry instant (PEXPIRETIME). */
async function redisContents(): Promise<Record<string, { type: string; value: unknown; expiresAt: number }>> {
  const out: Record<string, { type: string; value: unknown; expiresAt: number }> = {};
  for (const key of await matchingKeys()) {
    const type = await redis.type(key);
    const value = type === 'hash' ? await redis.hgetall(key) : await redis.get(key);
    out[key] = { type, value, expiresAt: Number(await redis.call('PEXPIRETIME', key)) };
  }
  return out;
}

function registryFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) files[relative(dir, join(e.parentPath, e.name))] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return files;
}

async function destroy(): Promise<void> {
  await db.store.connection.command(sql`DROP DATABASE IF EXISTS ${ident(db.database)}`);
  const keys = await matchingKeys();
  if (keys.length > 0) await redis.unlink(...keys);
  rmSync(registryDir, { recursive: true, force: true });
}

async function clvRun(args: string[]): Promise<{ code: number | null; output: string }> {
  const p = clv(args, env);
  const code = await p.exited;
  return { code, output: p.output() };
}

before(async () => {
  if (!existsSync(join(root, 'dist', 'cli', 'clv.js'))) throw new Error('dist/cli/clv.js is missing: run `npm run build` first');
  await redis.connect();
  db = await openTestDatabase('clv_backup');
  env = { CLV_CLICKHOUSE_DATABASE: db.database, CLV_REDIS_URL: services.redisUrl, CLV_MODEL_REGISTRY_DIR: registryDir, CLV_LOG_LEVEL: 'warn' };
  await fillClickHouse();
  await fillRedis();
  await fillRegistry();
});

after(async () => {
  await destroy().catch(() => {});
  await db?.close();
  redis.disconnect();
  rmSync(work, { recursive: true, force: true });
});

test('backup, destroy, restore: every row, view, key (with its expiry) and registry file comes back, and the champion', async () => {
  const before = { clickhouse: await clickHouseContents(db.database), redis: await redisContents(), registry: registryFiles(registryDir) };
  // The fill is what the comparison needs: every table holds rows, expiring and lasting keys, a moved champion.
  for (const [table, rows] of Object.entries(before.clickhouse.rows)) assert.ok(rows.length > 0, `${table} is empty before the backup`);
  assert.equal(before.clickhouse.raw.orders, 70);
  assert.equal(before.clickhouse.rows.orders.length, 60);
  assert.equal(Object.keys(before.redis).length, 161);
  assert.equal(Object.values(before.redis).filter((k) => k.expiresAt > 0).length, 80);
  assert.equal(readFileSync(join(registryDir, 'CHAMPION'), 'utf8').trim(), 'v2');

  const backup = await clvRun(['backup', '--out', backupDir, '--redis-match', match]);
  assert.equal(backup.code, 0, backup.output);
  assert.match(backup.output, /redis .*: 161 keys \(80 with an expiry\)/);
  assert.match(backup.output, /models: 3 versions, champion v2/);

  await destroy();
  const tablesLeft = await db.store.connection.select(sql`SELECT name FROM system.tables WHERE database = ${db.database}`);
  assert.equal(tablesLeft.length, 0);
  assert.deepEqual(await matchingKeys(), []);
  assert.equal(existsSync(registryDir), false);

  const restore = await clvRun(['restore', '--from', backupDir]);
  assert.equal(restore.code, 0, restore.output);
  assert.match(restore.output, /redis .*: 161 keys/);
  assert.match(restore.output, /champion v2/);

  const after = { clickhouse: await clickHouseContents(db.database), redis: await redisContents(), registry: registryFiles(registryDir) };
  assert.deepEqual(Object.keys(after.clickhouse.rows).sort(), Object.keys(before.clickhouse.rows).sort());
  for (const table of Object.keys(before.clickhouse.rows)) {
    assert.equal(after.clickhouse.rows[table].length, before.clickhouse.rows[table].length, `${table}: rows`);
    assert.deepEqual(after.clickhouse.rows[table], before.clickhouse.rows[table], `${table}: contents`);
  }
  // Raw counts too, where no duplicate sorting key lets a background merge change them.
  for (const table of Object.keys(before.clickhouse.raw).filter((t) => t !== 'orders')) {
    assert.equal(after.clickhouse.raw[table], before.clickhouse.raw[table], `${table}: raw rows`);
  }
  assert.deepEqual(after.redis, before.redis);
  assert.deepEqual(after.registry, before.registry);
  const registry = new LocalModelRegistry(registryDir);
  assert.equal(await registry.championVersion(), 'v2');
  assert.deepEqual((await registry.load('v2')).artifact, { params: { r: 1.24, alpha: 4.4 } });
  assert.deepEqual((await registry.promotions()).map((p) => `${p.reason} ${p.previous}→${p.version}`), ['training null→v2', 'training v2→v3', 'rollback v3→v2']);
});

test('restore refuses targets that hold data, before writing anything (exit 2)', async () => {
  const rowsBefore = (await clickHouseContents(db.database)).raw;
  const r = await clvRun(['restore', '--from', backupDir]);
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /already holds rows: restore into an empty or new database/);
  assert.deepEqual((await clickHouseContents(db.database)).raw, rowsBefore);
});

test('restore refuses a damaged backup, naming the file (exit 2)', async () => {
  const damaged = join(work, 'damaged');
  const copy = await clvRun(['backup', '--out', damaged, '--redis-match', match]);
  assert.equal(copy.code, 0, copy.output);
  const file = join(damaged, 'clickhouse', 'payments.native');
  const bytes = readFileSync(file);
  bytes[bytes.length - 1] ^= 0xff;
  writeFileSync(file, bytes);
  const r = await clvRun(['restore', '--from', damaged]);
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /clickhouse\/payments\.native does not match its checksum/);
});

test('backup refuses an --out directory that is not empty (exit 2)', async () => {
  const r = await clvRun(['backup', '--out', backupDir, '--redis-match', match]);
  assert.equal(r.code, 2, r.output);
  assert.match(r.output, /--out .* exists and is not empty/);
});
