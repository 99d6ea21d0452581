/**
 * The monitoring as code against a real Prometheus (Debian's package) scraping real processes:
 * `clv run` (the processors and the ClickHouse sink), `clv run training anomalies` and `clv serve`, each
 * a child process of the built CLI with its /metrics on a free port. Orders and payments go in
 * through POST /v1/events, one undecodable message straight to Kafka; then every recording
 * rule, every alert expression without its threshold and every Grafana panel query of
 * monitoring/ must return data, and every metric they read must have series. The expressions
 * are read from the files (tests/support/monitoring-files.ts), so a new rule or panel is
 * checked here without changing this test.
 *
 * The volume rules compare with the same hour a day and a week ago, which a Prometheus started
 * a minute ago cannot have: that history of `clv_events_in_total` is written into its data dir
 * first (promtool tsdb create-blocks-from openmetrics), as job `clv-history`.
 *
 * `clv reconcile` is a batch job: a real run (on an empty statement for a day without captures:
 * clean) writes its metrics file into the directory a real node_exporter's textfile collector
 * reads, scraped as job `node`.
 *
 * It shares Kafka with the other suites (the processors' consumer groups and topics are the
 * product's own names) and uses a Redis database, a ClickHouse database and a model registry of
 * its own.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { ClickHouseAnalyticsStore } from '../../adapters/clickhouse/clickhouse-analytics-store.js';
import { ident, sql } from '../../adapters/clickhouse/sql.js';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { LocalModelRegistry } from '../../adapters/local-directory/local-model-registry.js';
import { createApiKey, formatApiKeyRecord } from '../../core/api-keys.js';
import { Topics } from '../../core/topics.js';
import { payment, placed } from '../support/commerce-events.js';
import { metricNamesIn, panelQueries, ruleFilePaths, rules, thresholdFreeOperands, withGrafanaIntervals } from '../support/monitoring-files.js';
import { freePort } from './support/free-port.js';
import { backfill, requirePrometheus, startPrometheus, startTextfileExporter, type NodeExporterProcess, type PrometheusProcess } from './support/prometheus.js';
import { runScoped, services } from './support/services.js';
import { clv, stackEnv, until, type ClvProcess } from './support/stack.js';

const root = resolve(import.meta.dirname, '..', '..');
const DAY_MS = 86_400_000;
const CUSTOMERS = 40;

// Stores of this file's own; Kafka is shared.
stackEnv.CLV_REDIS_URL = process.env.CLV_TEST_MONITORING_REDIS_URL ?? 'redis://127.0.0.1:6379/11';
stackEnv.CLV_CLICKHOUSE_DATABASE = `clv_itest_monitoring_${process.pid}`;
stackEnv.CLV_MODEL_REGISTRY_DIR = mkdtempSync(join(tmpdir(), 'clv-itest-monitoring-models-'));
stackEnv.CLV_LOG_LEVEL = 'info';

const dir = mkdtempSync(join(tmpdir(), 'clv-itest-prometheus-'));
const key = createApiKey('itest-monitoring', ['read', 'ingest']);
const prefix = runScoped('mon');
const champion = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'api-model.json'), 'utf8'));
const processes: ClvProcess[] = [];
let prometheus: PrometheusProcess;
let nodeExporter: NodeExporterProcess;
let api = '';
let postedPayments = 0;
const championRegisteredAtMs = Math.floor(Date.now() / 1000) * 1000 - 3 * DAY_MS;

/** A clv process, resolved once its log says it serves. */
async function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ClvProcess> {
  const p = clv(args, env);
  processes.push(p);
  await until(() => ready.test(p.output()) || p.child.exitCode !== null, `clv ${args.join(' ')} to start`, 90_000);
  assert.match(p.output(), ready, p.output());
  return p;
}

before(async () => {
  requirePrometheus();
  if (!existsSync(join(root, 'dist', 'cli', 'clv.js'))) throw new Error('dist/cli/clv.js is missing: run `npm run build` first');
  const redis = new Redis(stackEnv.CLV_REDIS_URL as string);
  await redis.flushdb();
  redis.disconnect();
  // A champion in the registry, so that scoring, the trainer and the API report it.
  const registry = new LocalModelRegistry(stackEnv.CLV_MODEL_REGISTRY_DIR as string);
  await registry.register({ version: champion.version, kind: 'bgnbd-gamma-gamma', registeredAt: new Date(championRegisteredAtMs).toISOString(), details: { source: 'itest' } }, champion);
  await registry.promote(champion.version);

  const now = Date.now();
  const history = ['commerce.orders.v1', 'commerce.payments.v1'].map((topic) => ({
    name: 'clv_events_in_total', labels: { topic, job: 'clv-history', instance: 'backfill' }, ratePerSecond: 2,
  }));
  backfill(dir, history, [7 * DAY_MS, DAY_MS].map((ago) => ({ fromMs: now - ago - 2 * 3_600_000, toMs: now - ago + 3_600_000 })));

  const [processorsPort, trainingPort, apiPort, apiMetricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  api = `http://127.0.0.1:${apiPort}`;
  await start(['run'], { CLV_METRICS_HOST: '127.0.0.1', CLV_METRICS_PORT: String(processorsPort) }, /processors started/);
  // Retrains every 2 s: on this test's few customers each run is refused for too little data.
  // The anomaly watch runs beside it, as in a deployment; three weeks of history judge no day.
  await start(['run', 'training', 'anomalies'], { CLV_METRICS_HOST: '127.0.0.1', CLV_METRICS_PORT: String(trainingPort), CLV_RETRAIN_INTERVAL_MS: '2000' }, /processors started/);
  await start(['serve'], {
    CLV_API_HOST: '127.0.0.1', CLV_API_PORT: String(apiPort), CLV_API_METRICS_PORT: String(apiMetricsPort), CLV_API_KEYS: formatApiKeyRecord(key.record), CLV_API_INDEX_REFRESH_MS: '1000',
  }, /API listening/);
  // On the API port /metrics needs the metrics scope; Prometheus scrapes the metrics port.
  assert.equal((await fetch(`${api}/metrics`)).status, 401);
  assert.equal((await fetch(`${api}/metrics`, { headers: { authorization: `Bearer ${key.key}` } })).status, 403);

  // A reconciliation run, as cron would start it, its metrics file where node_exporter reads.
  const textfiles = join(dir, 'textfiles');
  mkdirSync(textfiles);
  writeFileSync(join(dir, 'statement.csv'), 'reference,order_id,amount,currency,date\n');
  const reconcile = clv(['reconcile', '--statements', join(dir, 'statement.csv'), '--from', '1990-01-01', '--to', '1990-01-01',
    '--out', join(dir, 'reconciliation.csv'), '--metrics-file', join(textfiles, 'clv-reconcile.prom')]);
  assert.equal(await reconcile.exited, 0, reconcile.output());
  nodeExporter = await startTextfileExporter(textfiles);

  prometheus = await startPrometheus(dir, {
    ruleFiles: ruleFilePaths(),
    jobs: { 'clv-processors': [`127.0.0.1:${processorsPort}`], 'clv-training': [`127.0.0.1:${trainingPort}`], 'clv-api': [`127.0.0.1:${apiMetricsPort}`], node: [nodeExporter.target] },
    intervalSeconds: 1,
  });

  // Orders with their captured payments through the API, over the last weeks …
  const events: object[] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    const customer = `${prefix}-c${c}`;
    for (let o = 0; o < 1 + (c % 3); o++) {
      const order = `${customer}-o${o}`;
      const at = now - (20 - 7 * o) * DAY_MS - c * 60_000;
      events.push({ topic: Topics.orders, event: placed(order, 1500 + 100 * c, at, customer) });
      events.push({ topic: Topics.payments, event: payment('PAYMENT_CAPTURED', order, 1500 + 100 * c, at + 60_000, '', customer) });
    }
  }
  postedPayments = events.filter((e) => (e as { topic: string }).topic === Topics.payments).length;
  const posted = await fetch(`${api}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify(events) });
  assert.equal(posted.status, 202, await posted.text());
  // … and bytes no schema decodes, straight to Kafka: the purchases processor dead-letters them.
  const log = new KafkaEventLog({ brokers: services.kafkaBrokers });
  await log.publish(Topics.orders, [{ key: `${prefix}-poison`, value: Buffer.from('not avro') }]);
  await log.close();
  // Callers' reads, for the API's latency and status panels.
  for (const path of ['/v1/segments', `/v1/customers/${prefix}-c1`, '/v1/models']) {
    const res = await fetch(api + path, { headers: { authorization: `Bearer ${key.key}` } });
    assert.ok(res.status === 200 || res.status === 404, `${path}: ${res.status}`);
  }
});

after(async () => {
  await prometheus?.stop();
  await nodeExporter?.stop();
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  const codes = await Promise.all(processes.map((p) => p.exited));
  const redis = new Redis(stackEnv.CLV_REDIS_URL as string);
  await redis.flushdb();
  redis.disconnect();
  const store = await ClickHouseAnalyticsStore.open({ url: services.clickhouseUrl, database: stackEnv.CLV_CLICKHOUSE_DATABASE as string, migrate: false });
  await store.connection.command(sql`DROP DATABASE IF EXISTS ${ident(stackEnv.CLV_CLICKHOUSE_DATABASE as string)}`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(stackEnv.CLV_MODEL_REGISTRY_DIR as string, { recursive: true, force: true });
  for (const [i, code] of codes.entries()) assert.equal(code, 0, `a clv process stopped cleanly on SIGTERM:\n${processes[i].output().slice(-2000)}`);
});

interface Check {
  what: string;
  expr: string;
}

/** The checks whose query returns nothing, in order; waits for them to fill while data arrives (scrapes every second). */
async function eventuallyAllReturnData(checks: readonly Check[]): Promise<Check[]> {
  const empty = async () => {
    const out: Check[] = [];
    for (const c of checks) if ((await prometheus.query(c.expr)).length === 0) out.push(c);
    return out;
  };
  await until(async () => (await empty()).length === 0, 'every query to return data', 120_000).catch(() => {});
  return empty();
}

const listing = (checks: readonly Check[]) => checks.map((c) => `${c.what}: ${c.expr}`).join('\n');

test('Prometheus loads every rule of monitoring/rules and evaluates each without error', async () => {
  const expected = rules();
  await until(async () => {
    const { groups } = await prometheus.api<{ groups: Array<{ rules: Array<{ lastEvaluation: string }> }> }>('/api/v1/rules');
    return groups.flatMap((g) => g.rules).every((r) => !r.lastEvaluation.startsWith('0001'));
  }, 'every rule to be evaluated once', 60_000);
  const { groups } = await prometheus.api<{ groups: Array<{ name: string; rules: Array<{ name: string; type: string; health: string; lastError?: string }> }> }>('/api/v1/rules');
  const loaded = groups.flatMap((g) => g.rules);
  assert.deepEqual(loaded.map((r) => r.name).sort(), expected.map((r) => r.name).sort());
  for (const r of loaded) assert.equal(r.health, 'ok', `${r.name}: ${r.lastError}`);
});

test('every target is scraped: the processors, the trainer and the API', async () => {
  await until(async () => (await prometheus.query('up{job=~"clv.*"} == 1')).length === 3, 'three targets up', 60_000);
  const up = await prometheus.query('up{job=~"clv.*"}');
  assert.deepEqual(up.map((s) => [s.metric.job, s.value[1]]).sort(), [['clv-api', '1'], ['clv-processors', '1'], ['clv-training', '1']]);
});

test('every metric a rule or a dashboard panel reads has series', async () => {
  const names = new Set([...rules().map((r) => r.expr), ...panelQueries().map((q) => q.expr)].flatMap(metricNamesIn));
  const checks = [...names].map((name) => ({ what: name, expr: `count({__name__="${name}"})` }));
  assert.ok(checks.length > 25, `${checks.length} metrics`);
  const empty = await eventuallyAllReturnData(checks);
  assert.deepEqual(empty, [], `no series for:\n${listing(empty)}`);
});

test('every recording rule returns data, the volume baselines from the backfilled history included', async () => {
  const checks = rules().filter((r) => r.kind === 'record').map((r) => ({ what: `record ${r.name}`, expr: r.expr }));
  const empty = await eventuallyAllReturnData(checks);
  assert.deepEqual(empty, [], `recording rules without data:\n${listing(empty)}`);
  // The history says 2 events/s the same hour yesterday and last week.
  const baseline = await prometheus.query('topic:clv_commerce_events_in:rate1h_baseline');
  assert.deepEqual(baseline.map((s) => [s.metric.topic, Number(s.value[1])]).sort(), [['commerce.orders.v1', 2], ['commerce.payments.v1', 2]]);
});

test('every alert expression, without its threshold, returns data; none fires on this healthy stack', async () => {
  const alerts = rules().filter((r) => r.kind === 'alert');
  const checks = alerts.flatMap((a) => thresholdFreeOperands(a.expr).map((expr) => ({ what: `alert ${a.name}`, expr })));
  assert.ok(checks.length >= alerts.length);
  const empty = await eventuallyAllReturnData(checks);
  assert.deepEqual(empty, [], `alert expressions without data:\n${listing(empty)}`);
  const { alerts: active } = await prometheus.api<{ alerts: Array<{ labels: { alertname: string }; state: string }> }>('/api/v1/alerts');
  assert.deepEqual(active.filter((a) => a.state === 'firing').map((a) => a.labels.alertname), []);
});

test('every dashboard panel query returns data', async () => {
  const checks = panelQueries().map((q) => ({
    what: `${q.dashboard} / ${q.panel} / ${q.refId}`,
    expr: withGrafanaIntervals(q.expr, { rateInterval: '1m', interval: '15s', range: '1h' }),
  }));
  assert.ok(checks.length > 30, `${checks.length} panel queries`);
  const empty = await eventuallyAllReturnData(checks);
  assert.deepEqual(empty, [], `panel queries without data:\n${listing(empty)}`);
});

test('the metrics count what happened: posted payments, the dead letter, scores, refused retrains, the champion where it is loaded', async () => {
  const sum = async (expr: string) => (await prometheus.query(expr)).reduce((a, s) => a + Number(s.value[1]), 0);
  // The processors' groups may also have consumed other suites' messages: at least ours.
  await until(async () => (await sum('sum(clv_events_in_total{job="clv-processors",topic="commerce.payments.v1"})')) >= postedPayments, 'every posted payment consumed', 60_000);
  assert.ok((await sum('sum(clv_scores_total{job="clv-processors"})')) >= CUSTOMERS, 'a score per customer at least');
  assert.ok((await sum('sum(clv_dead_letters_total{reason="CLV_UNDECODABLE"})')) >= 1);
  // Scoring and the trainer each report the registry's champion, and when it was registered.
  const champions = await prometheus.query('clv_champion_trained_timestamp_seconds');
  assert.deepEqual(champions.map((c) => [c.metric.job, c.metric.version, Number(c.value[1])]).sort(), [
    ['clv-processors', champion.version, championRegisteredAtMs / 1000], ['clv-training', champion.version, championRegisteredAtMs / 1000],
  ]);
  // Too little data is counted as such, not as a failure (ClvTrainingFailed stays silent).
  await until(async () => (await sum('clv_training_runs_total{outcome="insufficient_data"}')) >= 1, 'a refused retrain counted', 60_000);
  assert.equal(await sum('clv_training_runs_total{outcome="failed"}'), 0);
});
