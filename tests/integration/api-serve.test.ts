/**
 * `clv serve` on the real stack, run as an operator would (a child process of the built CLI):
 * customers scored by the real scoring processor into Redis are served with their
 * explanation by the registry's champion; an unknown customer is 404, a request without a
 * key 401; POST /v1/events lands in Kafka in the registry's wire format; /readyz sees
 * Redis, Kafka and the schema registry; SIGTERM stops it cleanly.
 *
 * It shares the services with other suites without disturbing them: no topic, group or
 * database is reset; its customers carry a run-scoped id and their Redis keys are deleted after.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from './support/free-port.js';
import { join, resolve } from 'node:path';
import { AvroCodec } from '../../adapters/avro/avro-codec.js';
import { InMemoryEventLog } from '../../adapters/in-memory/in-memory-event-log.js';
import { InMemoryStateStore } from '../../adapters/in-memory/in-memory-state-store.js';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { LocalModelRegistry } from '../../adapters/local-directory/local-model-registry.js';
import { RedisStateStore } from '../../adapters/redis/redis-state-store.js';
import { SchemaRegistryCodec } from '../../adapters/avro/schema-registry-codec.js';
import { createApiKey, formatApiKeyRecord } from '../../core/api-keys.js';
import { dayIndexer } from '../../core/calendar.js';
import type { OrderEvent } from '../../core/events.js';
import { Topics } from '../../core/topics.js';
import { Pipeline } from '../../processors/pipeline.js';
import type { CustomerScoreState } from '../../processors/scoring/customer-scorer.js';
import { processorStateCodecs } from '../../processors/state-codecs.js';
import { BgNbdGammaGammaModel } from '../../models/kinds/bgnbd-gamma-gamma-model.js';
import { day, payment, placed } from '../support/commerce-events.js';
import { defaultPolicy } from '../support/embedded-pipeline.js';
import { runScoped, services } from './support/services.js';
import { stackEnv, until } from './support/stack.js';

const root = resolve(import.meta.dirname, '..', '..');
const artifact = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'api-model.json'), 'utf8'));
const model = BgNbdGammaGammaModel.fromJSON(artifact);
const reader = createApiKey('itest-reader', ['read', 'ingest']);
const prefix = runScoped('serve');
const customers = [`${prefix}-a`, `${prefix}-b`];
let scores: RedisStateStore<CustomerScoreState>;
let server: ChildProcess;
let output = '';
let exited: Promise<number | null>;
let base = '';


/** The real processors (in memory), writing their scores to the Redis namespace `clv run` uses. */
async function scoreIntoRedis(): Promise<void> {
  const log = new InMemoryEventLog({ maxBackoffMs: 20 });
  const codec = new AvroCodec();
  const pipeline = new Pipeline({
    log, codec,
    stores: { ledgers: new InMemoryStateStore(), histories: new InMemoryStateStore(), scores },
    validation: { currency: 'USD', maxFutureSkewMs: 86_400_000, now: Date.now },
    scoring: { dayOf: dayIndexer('UTC'), policy: defaultPolicy, hysteresis: 0.1, minorPerUnit: 100 },
    partitions: 2, batchSize: 50,
  });
  pipeline.useModel(model);
  await pipeline.start();
  const buys: Array<[string, number, number]> = [[customers[0], 2500, 1], [customers[0], 4000, 30], [customers[0], 1800, 90], [customers[1], 900, 5]];
  for (const [i, [customer, amount, d]] of buys.entries()) {
    await log.publish(Topics.orders, [{ key: customer, value: await codec.encode(Topics.orders, placed(`${prefix}-O${i}`, amount, day(d), customer)) }]);
    await log.publish(Topics.payments, [{ key: customer, value: await codec.encode(Topics.payments, payment('PAYMENT_CAPTURED', `${prefix}-O${i}`, amount, day(d) + 60_000, '', customer)) }]);
  }
  await pipeline.waitUntilIdle();
  await pipeline.stop();
  const stored = await scores.getMany(customers);
  assert.equal(stored.size, customers.length, `the processors scored every customer: ${JSON.stringify(pipeline.stats())}`);
}

before(async () => {
  scores = new RedisStateStore({ redis: stackEnv.CLV_REDIS_URL as string, namespace: 'scores', codec: processorStateCodecs.scores });
  await scoreIntoRedis();
  const registry = new LocalModelRegistry(stackEnv.CLV_MODEL_REGISTRY_DIR as string);
  if ((await registry.championVersion()) !== model.version) {
    await registry.register({ version: model.version, kind: 'bgnbd-gamma-gamma', registeredAt: new Date().toISOString(), details: { holdout: { mae: 1.25 } } }, artifact);
    await registry.promote(model.version);
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [join(root, 'dist', 'cli', 'clv.js'), 'serve'], {
    env: { ...stackEnv, CLV_API_HOST: '127.0.0.1', CLV_API_PORT: String(port), CLV_API_KEYS: formatApiKeyRecord(reader.record), CLV_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d) => (output += d));
  server.stderr?.on('data', (d) => (output += d));
  exited = new Promise((r) => server.on('exit', (code) => r(code)));
  await until(() => output.includes('API listening') || server.exitCode !== null, '`clv serve` to listen', 60_000);
  assert.match(output, /API listening/, output);
});

after(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGKILL');
    await exited;
  }
  // Only this run's keys: other suites may be using the same database.
  const layout = scores.layout;
  const { Redis } = await import('ioredis');
  const redis = new Redis(stackEnv.CLV_REDIS_URL as string);
  await redis.del(...customers.map((c) => layout.encode(c)));
  redis.disconnect();
  await scores?.close();
});

const get = (path: string, key: string | null = reader.key) => fetch(base + path, { headers: key ? { authorization: `Bearer ${key}` } : {} });

test('serves a customer scored by the scoring processor, explained by the registry champion', async () => {
  const stored = (await scores.getMany([customers[0]])).get(customers[0])!;
  const res = await get(`/v1/customers/${encodeURIComponent(customers[0])}`);
  assert.equal(res.status, 200);
  const body: any = await res.json();
  assert.equal(body.customer_id, customers[0]);
  assert.equal(body.scored, true);
  assert.equal(body.model_version, model.version);
  assert.equal(body.clv.value_minor, stored.clvMinor);
  assert.equal(body.segment, stored.segment);
  assert.equal(body.features.purchase_days, 3);
  assert.equal(body.features.total_value_minor, 2500 + 4000 + 1800);
  assert.equal(body.explanation.details.matches_score, true, 'the champion recomputes the stored score');
  assert.ok(body.p_alive > 0 && body.p_alive <= 1);
});

test('GET /v1/models shows the champion with its registry record: training time and holdout metrics', async () => {
  const info = (await new LocalModelRegistry(stackEnv.CLV_MODEL_REGISTRY_DIR as string).list()).find((i) => i.version === model.version)!;
  const list: any = await (await get('/v1/models')).json();
  const champion = list.models.find((m: { version: string }) => m.version === model.version);
  assert.equal(champion.status, 'champion');
  assert.equal(champion.trained_at, new Date(info.registeredAt).toISOString());
  const detail: any = await (await get(`/v1/models/${encodeURIComponent(model.version)}`)).json();
  assert.equal(detail.metrics['holdout.mae'], 1.25);
});

test('404 for an unknown customer, 401 without a key', async () => {
  const unknown = await get(`/v1/customers/${prefix}-nobody`);
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'API_CUSTOMER_NOT_FOUND');
  const anonymous = await get(`/v1/customers/${encodeURIComponent(customers[0])}`, null);
  assert.equal(anonymous.status, 401);
  const wrong = await get(`/v1/customers/${encodeURIComponent(customers[0])}`, `clv_itest-reader_${'x'.repeat(43)}`);
  assert.equal(wrong.status, 401);
});

test('/readyz checks Redis, Kafka and the schema registry; segments come from the index built over Redis', async () => {
  const res = await get('/readyz', null);
  const body: any = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.deepEqual(Object.keys(body.checks).sort(), ['event_log', 'read_model', 'schema_registry']);
  const segments: any = await (await get('/v1/segments')).json();
  const total = (segments.segments as Array<{ customers: number }>).reduce((a, s) => a + s.customers, 0);
  assert.ok(total >= customers.length, `segment sizes count the scored customers: ${JSON.stringify(segments)}`);
});

test('POST /v1/events publishes to Kafka in the schema registry wire format', async () => {
  const order: OrderEvent = placed(`${prefix}-posted`, 1234, Date.now() - 60_000, `${prefix}-c`);
  const res = await fetch(`${base}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${reader.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ topic: Topics.orders, event: order }),
  });
  assert.equal(res.status, 202, await res.clone().text());
  const log = new KafkaEventLog({ brokers: services.kafkaBrokers });
  const codec = new SchemaRegistryCodec({ url: services.schemaRegistryUrl });
  let found: OrderEvent | null = null;
  const consumer = await log.consume({
    groupId: `${prefix}-reader`, topics: [Topics.orders], fromBeginning: true,
    eachBatch: async (b) => {
      for (const m of b.messages) {
        if (m.key !== order.customer_id) continue;
        found = (await codec.decode(Topics.orders, m.value!)) as OrderEvent;
      }
    },
  });
  try {
    await until(() => found !== null, 'the posted order on the orders topic', 60_000);
  } finally {
    await consumer.stop();
    await log.close();
  }
  assert.equal(found!.event_id, order.event_id);
  assert.equal(found!.amount_minor, 1234);
});

test('SIGTERM: stops accepting, closes its clients and exits 0', async () => {
  server.kill('SIGTERM');
  assert.equal(await exited, 0, output);
  assert.match(output, /"msg":"stopped"/);
});
