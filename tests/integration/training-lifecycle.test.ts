/**
 * The training lifecycle on the real stack, run as `clv` processes: `clv train` (first run
 * promoted, a second forced), `clv models rollback`, `clv models list`, and `clv run training`
 * sweeping decay in data time. Histories and score states are written to Redis directly
 * (the stream itself is pipeline-cdnow's business); model runs are read back from ClickHouse.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ClickHouseAnalyticsStore } from '../../adapters/clickhouse/clickhouse-analytics-store.js';
import { ident, sql } from '../../adapters/clickhouse/sql.js';
import { RedisStateStore } from '../../adapters/redis/redis-state-store.js';
import { featuresOf, latestEventTime, type CustomerPurchaseHistory } from '../../processors/features/customer-purchase-history.js';
import type { CustomerScoreState } from '../../processors/scoring/customer-scorer.js';
import { processorStateCodecs } from '../../processors/state-codecs.js';
import { trainingHistories } from '../support/training-histories.js';
import { services } from './support/services.js';
import { clv, clvOk, stackEnv, until } from './support/stack.js';

// A Redis database and ClickHouse database of this file's own: nothing shared with the
// other integration files but the Kafka topics the re-scores publish to.
stackEnv.CLV_REDIS_URL = process.env.CLV_TEST_TRAINING_REDIS_URL ?? 'redis://127.0.0.1:6379/9';
stackEnv.CLV_CLICKHOUSE_DATABASE = `clv_itest_training_${process.pid}`;
const CUSTOMERS = 600;
let histories: RedisStateStore<CustomerPurchaseHistory>;
let scores: RedisStateStore<CustomerScoreState>;

before(async () => {
  const redis = new Redis(stackEnv.CLV_REDIS_URL as string);
  await redis.flushdb();
  redis.disconnect();
  histories = new RedisStateStore({ redis: stackEnv.CLV_REDIS_URL as string, namespace: 'histories', codec: processorStateCodecs.histories });
  scores = new RedisStateStore({ redis: stackEnv.CLV_REDIS_URL as string, namespace: 'scores', codec: processorStateCodecs.scores });
  const source = trainingHistories(CUSTOMERS, 400);
  for await (const page of source.scan(1000)) {
    await histories.setMany(new Map(page));
    // Score states as the scoring processor leaves them before any model.
    await scores.setMany(new Map(page.map(([id, h]) => [id, { features: featuresOf(h, latestEventTime(h), `${id}-f`)!, segment: null, clvMinor: 0, modelVersion: null, asOfMs: null, recommendation: null, interval: null, sequence: 0, sweptToMs: null }])));
  }
});

after(async () => {
  await histories?.close();
  await scores?.close();
  const store = await ClickHouseAnalyticsStore.open({ url: services.clickhouseUrl, database: stackEnv.CLV_CLICKHOUSE_DATABASE as string, migrate: false });
  await store.connection.command(sql`DROP DATABASE IF EXISTS ${ident(stackEnv.CLV_CLICKHOUSE_DATABASE as string)}`);
  await store.close();
});

async function modelVersions(): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for await (const page of scores.scan(1000)) for (const [, s] of page) counts.set(s.modelVersion, (counts.get(s.modelVersion) ?? 0) + 1);
  return counts;
}

async function runStatuses(): Promise<Record<string, string>> {
  const store = await ClickHouseAnalyticsStore.open({ url: services.clickhouseUrl, database: stackEnv.CLV_CLICKHOUSE_DATABASE as string, migrate: false });
  try {
    return Object.fromEntries((await store.modelRuns()).map((r) => [r.version, r.status]));
  } finally {
    await store.close();
  }
}

test('clv train promotes the first version, records it in ClickHouse and re-scores everyone', async () => {
  const out = await clvOk(['train', '--as-of', '1998-02-05', '--version', 'lc-v1']);
  assert.match(out, /promoted: no champion to beat/);
  assert.match(out, new RegExp(`re-scored ${CUSTOMERS} customers; ${CUSTOMERS} scores`));
  assert.deepEqual([...(await modelVersions())], [['lc-v1', CUSTOMERS]]);
  assert.deepEqual(await runStatuses(), { 'lc-v1': 'champion' });
});

test('a second run is compared with the champion; --force promotes it', async () => {
  const kept = await clvOk(['train', '--as-of', '1998-02-05', '--version', 'lc-v2']);
  assert.match(kept, /(not )?promoted: holdout value MAE [\d.]+ vs champion [\d.]+/);
  await clvOk(['train', '--as-of', '1998-02-05', '--version', 'lc-v3', '--force']);
  assert.equal(readFileSync(join(stackEnv.CLV_MODEL_REGISTRY_DIR as string, 'CHAMPION'), 'utf8').trim(), 'lc-v3');
  assert.deepEqual([...(await modelVersions())], [['lc-v3', CUSTOMERS]]);
});

test('clv models rollback returns to the previous champion and re-scores everyone with it', async () => {
  const before = await runStatuses();
  const out = await clvOk(['models', 'rollback']);
  const previous = before['lc-v2'] === 'retired' ? 'lc-v2' : 'lc-v1';
  assert.match(out, new RegExp(`champion: ${previous} \\(was lc-v3\\); re-scored ${CUSTOMERS} customers`));
  assert.equal(readFileSync(join(stackEnv.CLV_MODEL_REGISTRY_DIR as string, 'CHAMPION'), 'utf8').trim(), previous);
  assert.deepEqual([...(await modelVersions())], [[previous, CUSTOMERS]]);
  const statuses = await runStatuses();
  assert.equal(statuses[previous], 'champion');
  assert.equal(statuses['lc-v3'], 'retired');
  const listed = (await clvOk(['models', 'list', '--json'])).trim().split('\n').map((l) => JSON.parse(l) as { version: string; status: string });
  assert.deepEqual(listed.map((r) => r.version), ['lc-v1', 'lc-v2', 'lc-v3']);
  assert.equal(listed.find((r) => r.version === previous)!.status, 'champion');
});

test('clv run training sweeps decay as of the data\'s time, not the wall clock: repeat buyers long silent by then become lost', async () => {
  stackEnv.CLV_DECAY_SWEEP_INTERVAL_MS = '500';
  stackEnv.CLV_LOG_LEVEL = 'info';
  let dataTimeMs = -Infinity;
  for await (const page of scores.scan(1000)) for (const [, s] of page) dataTimeMs = Math.max(dataTimeMs, s.features.event_time, s.asOfMs ?? -Infinity);
  const sweptAsOf = Math.floor(dataTimeMs / 500) * 500;
  const running = clv(['run', 'training']);
  try {
    await until(async () => {
      if (!/decay sweep/.test(running.output())) return false;
      for await (const page of scores.scan(1000)) for (const [, s] of page) if ((s.asOfMs ?? -Infinity) < sweptAsOf) return false;
      return true;
    }, `every customer swept as of ${new Date(sweptAsOf).toISOString()}`, 60_000);
  } finally {
    running.child.kill('SIGTERM');
  }
  let repeatBuyers = 0;
  let lost = 0;
  for await (const page of scores.scan(1000)) {
    for (const [id, s] of page) {
      assert.ok(s.asOfMs! <= dataTimeMs, `${id} scored as of ${new Date(s.asOfMs!).toISOString()}, after the data's last event`);
      if (s.features.purchase_days > 1) repeatBuyers++;
      if (s.features.purchase_days > 1 && s.segment === 'lost') lost++;
    }
  }
  // BG/NBD keeps a one-time buyer alive (p_alive = 1 at x = 0); some who came back and then
  // fell silent for a long while by the data's end are lost, not all (some still buy).
  assert.ok(lost > 0 && lost < repeatBuyers, `${lost} of ${repeatBuyers} repeat buyers lost`);
  assert.equal(await running.exited, 0, running.output());
  assert.match(running.output(), /decay sweep/);
});
