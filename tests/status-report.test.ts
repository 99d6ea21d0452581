import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { consumerGroups, statusReport, type StatusReport } from '../app/status-report.js';
import { duration, statusText } from '../app/status-text.js';
import { loadSettings } from '../config/settings.js';
import { processorLagSources } from '../metrics/prometheus-observer.js';
import { embeddedPipeline } from './support/embedded-pipeline.js';
import { freePort } from './integration/support/free-port.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webhooksFile = fileURLToPath(new URL('./fixtures/webhooks.json', import.meta.url));

test('the consumer groups are the processors\' own (as the pipeline runs them), the sink\'s and one per webhook endpoint', () => {
  const groups = consumerGroups(loadSettings({ CLV_WEBHOOKS_FILE: webhooksFile, CLV_WEBHOOK_SECRET_CRM: 'x'.repeat(32) }));
  const processors = processorLagSources(embeddedPipeline().pipeline).map((s) => ({ group: s.group, topics: [...s.topics] }));
  assert.deepEqual(groups.slice(0, 3).map((g) => ({ group: g.group, topics: [...g.topics] })), processors);
  assert.deepEqual(groups.slice(3).map((g) => g.group), ['clv-clickhouse-sink', 'clv-webhooks-crm', 'clv-webhooks-warehouse-loader']);
  assert.equal(consumerGroups(loadSettings({})).length, 4);
});

test('with every service unreachable: each is down with why, within the timeout, and nothing else is guessed', async () => {
  const [kafka, registry, redis, clickhouse] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const settings = loadSettings({
    CLV_KAFKA_BROKERS: `127.0.0.1:${kafka}`, CLV_SCHEMA_REGISTRY_URL: `http://127.0.0.1:${registry}/apis/ccompat/v7`,
    CLV_REDIS_URL: `redis://127.0.0.1:${redis}`, CLV_CLICKHOUSE_URL: `http://127.0.0.1:${clickhouse}`, CLV_MODEL_REGISTRY_DIR: '/nonexistent/clv-models',
  });
  const r = await statusReport(settings, { timeoutMs: 2000 });
  assert.equal(r.ok, false);
  assert.deepEqual(r.services.map((s) => [s.service, s.up]), [['kafka', false], ['schema registry', false], ['redis', false], ['clickhouse', false]]);
  for (const s of r.services) assert.match(s.error ?? '', /ECONNREFUSED/, s.service);
  assert.deepEqual(r.lag, []);
  assert.deepEqual(r.lastScore, { eventTime: null, note: 'ClickHouse is down' });
  assert.equal(r.champion, null);
  const text = statusText(r);
  assert.match(text, /^kafka +DOWN {2}127\.0\.0\.1:\d+: .+\(after \d+ ms\)$/m);
  assert.match(text, /^lag +unknown: Kafka is down$/m);
});

/** A TCP server that accepts connections and never answers: a service hung rather than gone. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

test('clv status against services that accept but never answer: each is down after --timeout-ms, and the command ends (exit 1)', async () => {
  const servers = await Promise.all([silentServer(), silentServer(), silentServer(), silentServer()]);
  const [kafka, registry, redis, clickhouse] = servers.map((s) => s.port);
  try {
    // A check that left a socket open kept the process alive (Redis: for ever); execFile's timeout kills it, and the exit code says so.
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'cli', 'clv.ts'), 'status', '--timeout-ms', '1000', '--json'], {
      cwd: root, timeout: 60_000,
      env: {
        ...process.env, CLV_KAFKA_BROKERS: `127.0.0.1:${kafka}`, CLV_SCHEMA_REGISTRY_URL: `http://127.0.0.1:${registry}/apis/ccompat/v7`,
        CLV_REDIS_URL: `redis://127.0.0.1:${redis}`, CLV_CLICKHOUSE_URL: `http://127.0.0.1:${clickhouse}`, CLV_MODEL_REGISTRY_DIR: '/nonexistent/clv-models',
      },
    }).then(() => ({ code: 0, stdout: '', killed: false }), (e: { code: number; stdout: string; killed: boolean }) => e);
    assert.equal(r.killed, false, 'the command ended by itself');
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as StatusReport;
    assert.deepEqual(report.services.map((s) => [s.service, s.up, s.error]), [
      ['kafka', false, 'no answer within 1000 ms'], ['schema registry', false, 'no answer within 1000 ms'],
      ['redis', false, 'no answer within 1000 ms'], ['clickhouse', false, 'no answer within 1000 ms'],
    ]);
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});

const report: StatusReport = {
  checkedAt: '2026-01-02T00:00:00.000Z',
  ok: false,
  services: [
    { service: 'kafka', address: '127.0.0.1:9092', up: true, ms: 12 },
    { service: 'schema registry', address: 'http://127.0.0.1:8081/apis/ccompat/v7', up: true, ms: 5 },
    { service: 'redis', address: 'redis://127.0.0.1:6379', up: false, ms: 3, error: 'connect ECONNREFUSED 127.0.0.1:6379' },
    { service: 'clickhouse', address: 'http://127.0.0.1:8123 database clv', up: true, ms: 9 },
  ],
  lag: [
    { group: 'clv-purchases', topics: ['commerce.orders.v1', 'commerce.payments.v1'], lag: 0 },
    { group: 'clv-scoring', topics: ['clv.features.v1'], lag: 12_345 },
    { group: 'clv-clickhouse-sink', topics: ['clv.scores.v1'], lag: null, note: 'topic not created yet: clv.scores.v1' },
  ],
  lastScore: { eventTime: '1998-06-30T12:00:00.000Z' },
  champion: { version: 'v7', kind: 'bgnbd-gamma-gamma', registeredAt: '2025-12-30T22:00:00.000Z', ageMs: 2 * 86_400_000 + 2 * 3_600_000, promotedAt: '2025-12-30T22:05:00.000Z' },
};

test('one line per service, group, the newest score and the champion', () => {
  assert.equal(statusText(report), [
    'kafka              up    127.0.0.1:9092 (12 ms)',
    'schema registry    up    http://127.0.0.1:8081/apis/ccompat/v7 (5 ms)',
    'redis              DOWN  redis://127.0.0.1:6379: connect ECONNREFUSED 127.0.0.1:6379 (after 3 ms)',
    'clickhouse         up    http://127.0.0.1:8123 database clv (9 ms)',
    'lag                clv-purchases        0 (caught up)',
    'lag                clv-scoring          12,345 messages behind',
    'lag                clv-clickhouse-sink  unknown: topic not created yet: clv.scores.v1',
    'last score         1998-06-30T12:00:00.000Z (event time of the newest score in ClickHouse)',
    'champion           v7 (bgnbd-gamma-gamma), trained 2025-12-30T22:00:00.000Z, 2 d 2 h old, champion since 2025-12-30T22:05:00.000Z',
    '',
  ].join('\n'));
  assert.match(statusText({ ...report, champion: null }), /^champion +none: scoring uses the RFM rules until a model is trained \(clv train\)$/m);
});

test('ages read as days and hours down to seconds', () => {
  assert.deepEqual([duration(3 * 86_400_000 + 4 * 3_600_000 + 5), duration(5 * 3_600_000 + 12 * 60_000), duration(65_000), duration(42_000)], ['3 d 4 h', '5 h 12 min', '1 min 5 s', '42 s']);
});
