/**
 * `clv status` on the real services (scripts/services/up.sh): every service up, lag per
 * consumer group, the newest score in ClickHouse, the champion and its age; one service down.
 * Lag, scores and champion are checked on run-scoped topics, groups, a database and a
 * registry of the test's own, so the shared clv topics and groups are only read.
 * Spawns dist/cli/clv.js: run `npm run build` first.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { LocalModelRegistry } from '../../adapters/local-directory/local-model-registry.js';
import { statusReport, type StatusReport } from '../../app/status-report.js';
import { loadSettings } from '../../config/settings.js';
import type { ClvScoreEvent } from '../../core/events.js';
import { openTestDatabase, type TestDatabase } from './clickhouse-test-database.js';
import { freePort } from './support/free-port.js';
import { runScoped, services } from './support/services.js';
import { clv, stackEnv, until } from './support/stack.js';

const topic = runScoped('clv_status_topic');
const [neverRan, caughtUp] = [runScoped('clv_status_never_ran'), runScoped('clv_status_caught_up')];
let admin: Admin;
let log: KafkaEventLog;
let db: TestDatabase;

before(async () => {
  admin = new kafkajs.Kafka({ brokers: services.kafkaBrokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  log = new KafkaEventLog({ brokers: services.kafkaBrokers });
  db = await openTestDatabase('clv_status');
});

after(async () => {
  await log.close();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.deleteGroups([neverRan, caughtUp]).catch(() => undefined);
  await admin.disconnect();
  await db.close();
});

/** The test's own settings: the shared services, its own ClickHouse database and model registry. */
const settingsWith = (env: NodeJS.ProcessEnv) => loadSettings({ ...stackEnv, ...env });

test('clv status with every service up: one line each, a lag line per consumer group, exit 0', async () => {
  const p = clv(['status']);
  assert.equal(await p.exited, 0, p.output());
  const lines = p.output().trimEnd().split('\n');
  for (const service of ['kafka', 'schema registry', 'redis', 'clickhouse']) {
    assert.match(lines.find((l) => l.startsWith(`${service} `)) ?? '', /^\S+( \S+)? +up {4}/, service);
  }
  for (const group of ['clv-purchases', 'clv-features', 'clv-scoring', 'clv-clickhouse-sink']) {
    assert.match(lines.find((l) => l.includes(` ${group} `)) ?? '', /^lag +\S+ +(0 \(caught up\)|[\d,]+ messages behind|unknown: topics? not created yet: .+)$/, group);
  }
  assert.match(lines.find((l) => l.startsWith('champion')) ?? '', /none: scoring uses the RFM rules/);
  const json = clv(['status', '--json']);
  assert.equal(await json.exited, 0, json.output());
  const report = JSON.parse(json.output()) as StatusReport;
  assert.equal(report.ok, true);
  assert.deepEqual(report.lag.map((g) => g.group), ['clv-purchases', 'clv-features', 'clv-scoring', 'clv-clickhouse-sink']);
});

test('lag per group: a group that never ran counts every message; one that consumed them all is at 0 (a replay processed)', async () => {
  await log.createTopics([{ name: topic, partitions: 2, compacted: false }]);
  await log.publish(topic, ['a', 'b', 'c', 'd', 'e'].map((k) => ({ key: k, value: Buffer.from(k) })));
  let seen = 0;
  const consumer = await log.consume({ groupId: caughtUp, topics: [topic], fromBeginning: true, eachBatch: async (b) => { seen += b.messages.length; } });
  const groups = [{ group: neverRan, topics: [topic] }, { group: caughtUp, topics: [topic] }, { group: caughtUp, topics: [runScoped('clv_status_missing')] }];
  try {
    await until(async () => seen === 5 && (await log.lag(caughtUp, [topic])) === 0, 'the consumer to commit all five');
    const report = await statusReport(settingsWith({ CLV_CLICKHOUSE_DATABASE: db.database }), { timeoutMs: 5000, groups });
    assert.deepEqual(report.lag.map((g) => [g.group, g.lag]), [[neverRan, 5], [caughtUp, 0], [caughtUp, null]]);
    assert.match(report.lag[2].note ?? '', /^topic not created yet: clv_status_missing/);
  } finally {
    await consumer.stop();
  }
});

test('the newest score is the latest event time the sink wrote to clv_scores; none before the first', async () => {
  const settings = settingsWith({ CLV_CLICKHOUSE_DATABASE: db.database });
  const before = await statusReport(settings, { timeoutMs: 5000, groups: [] });
  assert.deepEqual(before.lastScore, { eventTime: null, note: `no scores in ${db.database}.clv_scores yet` });
  const score = (customer: string, time: string): ClvScoreEvent => ({
    event_id: `${customer}@${time}`, event_time: Date.parse(time), customer_id: customer, model_version: 'v1', model_kind: 'bgnbd-gamma-gamma', clv_minor: 1000, p_alive: 0.8,
    expected_purchases: 1.2, expected_avg_value_minor: 900, horizon_days: 365, segment: 'medium_value', action: 'nurture', currency: 'USD',
    recommended_categories: [], recommendation_reason: '', recommended_min_unit_price_minor: 0, clv_lower_minor: null, clv_upper_minor: null, clv_interval_level: null, sequence: 1,
  });
  await db.store.insert('clv_scores', [score('A', '1998-06-30T12:00:00.000Z'), score('B', '1998-01-02T12:00:00.000Z')]);
  const report = await statusReport(settings, { timeoutMs: 5000, groups: [] });
  assert.deepEqual(report.lastScore, { eventTime: '1998-06-30T12:00:00.000Z' });
});

test('the champion, when it was trained and promoted, and its age', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clv-status-models-'));
  const registry = new LocalModelRegistry(dir);
  await registry.register({ version: 'v1', kind: 'bgnbd-gamma-gamma', registeredAt: '2026-01-01T00:00:00.000Z', details: {} }, {});
  await registry.promote('v1', 'training');
  const report = await statusReport(settingsWith({ CLV_MODEL_REGISTRY_DIR: dir }), { timeoutMs: 5000, groups: [], nowMs: Date.parse('2026-01-03T06:00:00.000Z') });
  assert.equal(report.champion?.version, 'v1');
  assert.equal(report.champion?.kind, 'bgnbd-gamma-gamma');
  assert.equal(report.champion?.registeredAt, '2026-01-01T00:00:00.000Z');
  assert.equal(report.champion?.ageMs, 54 * 3_600_000);
  assert.ok(report.champion?.promotedAt, 'promotion time from PROMOTIONS.jsonl');
  const p = clv(['status'], { CLV_MODEL_REGISTRY_DIR: dir });
  assert.equal(await p.exited, 0, p.output());
  assert.match(p.output(), /^champion +v1 \(bgnbd-gamma-gamma\), trained 2026-01-01T00:00:00\.000Z, .+ old, champion since /m);
});

test('one service down (Redis on a port nothing listens on): its line says why, the others are up, exit 1', async () => {
  const port = await freePort();
  const p = clv(['status'], { CLV_REDIS_URL: `redis://127.0.0.1:${port}` });
  assert.equal(await p.exited, 1, p.output());
  const lines = p.output().trimEnd().split('\n');
  assert.match(lines.find((l) => l.startsWith('redis ')) ?? '', new RegExp(`^redis +DOWN {2}redis://127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`));
  for (const service of ['kafka', 'schema registry', 'clickhouse']) assert.match(lines.find((l) => l.startsWith(`${service} `)) ?? '', / up {4}/, service);
});
