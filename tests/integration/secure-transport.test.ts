/**
 * Encrypted and authenticated transport on real services, with certificates this test makes
 * (openssl, temp dir): its own Redis speaking only TLS with an ACL user, its own Kafka broker
 * whose client listener is SASL_SSL with SCRAM-SHA-256, and its own ClickHouse 18.16 on HTTPS
 * only with a password user (tests/integration/support/
 * secure-services.ts; free loopback ports, stopped at the end; the shared services are not
 * used). Everything goes through the settings loader and the clients the product builds from
 * it (kafkaConnection, redisConnectionOptions), as `clv run` does.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseAnalyticsStore } from '../../adapters/clickhouse/clickhouse-analytics-store.js';
import { clickhouseConnection } from '../../adapters/clickhouse/clickhouse-connection.js';
import { sql } from '../../adapters/clickhouse/sql.js';
import { kafkaConnection } from '../../adapters/kafka/kafka-connection.js';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { redisConnectionOptions } from '../../adapters/redis/redis-connection.js';
import { RedisPartitionEpochs } from '../../adapters/redis/redis-partition-epochs.js';
import { RedisStateStore } from '../../adapters/redis/redis-state-store.js';
import { loadConfig } from '../../config/config.js';
import type { Env } from '../../config/env.js';
import { ErrorCodes } from '../../core/errors.js';
import { ProcessorRunner } from '../../processors/run-keyed-processor.js';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.js';
import { HttpsClickHouse, kafkaLibs, SaslSslKafka, TlsRedis } from './support/secure-services.js';
import { appendProcessor, jsonCodec, type Seen } from './support/append-processor.js';

const libs = kafkaLibs();
const skip = libs === null ? 'no Kafka jars under $SERVICES_HOME/kafka/libs (scripts/services/install.sh kafka)' : false;
function installed(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skipClickHouse = installed('clickhouse-server') ? false : 'no clickhouse-server (scripts/services/install.sh clickhouse)';

const kafkaAccount = { username: 'clv', password: `kafka-${process.pid}-S3cret` };
const redisAccount = { username: 'clv-app', password: `redis-${process.pid}-S3cret` };
const clickhouseAccount = { username: 'clv_analyst', password: `ch-${process.pid}-S3cret` };
const topic = 'secure_in';
const groupId = 'clv-secure-test';

let dir: string;
let certs: TestCertificates;
let redis: TlsRedis | null = null;
let kafka: SaslSslKafka | null = null;
let clickhouse: HttpsClickHouse | null = null;
/** The settings of a process pointed at the two services, as environment variables. */
let env: Record<string, string>;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'clv-secure-'));
  certs = makeTestCertificates();
  [redis, kafka, clickhouse] = await Promise.all([
    TlsRedis.start(dir, certs, redisAccount),
    SaslSslKafka.start(dir, certs, kafkaAccount, libs as string),
    skipClickHouse ? null : HttpsClickHouse.start(dir, certs, clickhouseAccount),
  ]);
  const passwordFile = join(dir, 'kafka-password');
  writeFileSync(passwordFile, `${kafkaAccount.password}\n`);
  env = {
    CLV_KAFKA_BROKERS: kafka.brokers.join(','),
    CLV_KAFKA_TLS: 'true',
    CLV_KAFKA_TLS_CA_FILE: certs.caCert,
    CLV_KAFKA_SASL_MECHANISM: 'scram-sha-256',
    CLV_KAFKA_SASL_USERNAME: kafkaAccount.username,
    CLV_KAFKA_SASL_PASSWORD_FILE: passwordFile,
    CLV_REDIS_URL: redis.url,
    CLV_REDIS_TLS_CA_FILE: certs.caCert,
    CLV_REDIS_USERNAME: redisAccount.username,
    CLV_REDIS_PASSWORD: redisAccount.password,
    ...(clickhouse === null ? {} : {
      CLV_CLICKHOUSE_URL: clickhouse.url,
      CLV_CLICKHOUSE_TLS_CA_FILE: certs.caCert,
      CLV_CLICKHOUSE_USERNAME: clickhouseAccount.username,
      CLV_CLICKHOUSE_PASSWORD: clickhouseAccount.password,
      CLV_CLICKHOUSE_DATABASE: 'clv_secure',
    }),
  };
});

after(async () => {
  await Promise.all([redis?.stop(), kafka?.stop(), clickhouse?.stop()]);
  if (skip) return;
  certs.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** `env` with some settings replaced (undefined: removed). */
function settings(changes: Record<string, string | undefined> = {}) {
  const merged: Record<string, string | undefined> = { ...env, ...changes };
  return loadConfig(merged as Env);
}

const appending = appendProcessor(groupId, topic);

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The message of the error `work` rejects with (it must reject). */
async function refusal(work: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await work();
  } catch (error) {
    return error as Error & { code?: string };
  }
  return assert.fail('expected the connection to be refused');
}

test('a processor consumes through SASL_SSL (SCRAM-SHA-256) and saves its state to Redis over TLS as an ACL user', { skip }, async (t) => {
  const config = settings();
  const log = new KafkaEventLog({ ...kafkaConnection(config), sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 6_000 });
  const store = new RedisStateStore<Seen>({ redis: config.redisUrl, redisOptions: redisConnectionOptions(config), namespace: 'secure' });
  const epochs = new RedisPartitionEpochs(config.redisUrl, redisConnectionOptions(config));
  const runner = new ProcessorRunner(appending, { log, codec: jsonCodec, store, epochs });
  t.after(async () => {
    await runner.stop();
    await log.close();
    await Promise.all([store.close(), epochs.close()]);
  });
  await log.createTopics([{ name: topic, partitions: 2, compacted: false }]);
  assert.ok((await log.topicNames()).includes(topic));
  await runner.start();
  const events = [{ key: 'C1', id: 'e1' }, { key: 'C2', id: 'e2' }, { key: 'C1', id: 'e3' }];
  for (const e of events) await log.publish(topic, [{ key: e.key, value: await jsonCodec.encode(topic, e) }]);
  await until(async () => (await store.getMany(['C1'])).get('C1')?.events.length === 2 && (await log.lag(groupId, [topic])) === 0, 'the batch to be saved and committed');
  const saved = await store.getMany(['C1', 'C2']);
  assert.deepEqual(saved.get('C1'), { events: ['e1', 'e3'] });
  assert.deepEqual(saved.get('C2'), { events: ['e2'] });
});

test('Kafka refuses a wrong SCRAM password, a client without SASL and a client trusting another CA, each with a clear error', { skip }, async (t) => {
  const quick = { retry: { retries: 0 }, connectionTimeoutMs: 3_000, requestTimeoutMs: 5_000 };
  const attempt = async (changes: Record<string, string | undefined>) => {
    const log = new KafkaEventLog({ ...kafkaConnection(settings(changes)), ...quick });
    try {
      const error = await refusal(() => log.topicNames());
      t.diagnostic(error.message);
      return error;
    } finally {
      await log.close();
    }
  };
  const wrongPassword = await attempt({ CLV_KAFKA_SASL_PASSWORD_FILE: undefined, CLV_KAFKA_SASL_PASSWORD: 'not-the-password' });
  assert.equal(wrongPassword.code, ErrorCodes.DEPENDENCY_FAILED);
  assert.match(wrongPassword.message, /SASL SCRAM SHA256 authentication failed.*invalid credentials/);
  assert.ok(!wrongPassword.message.includes('not-the-password'), wrongPassword.message);

  const untrusted = await attempt({ CLV_KAFKA_TLS_CA_FILE: certs.otherCaCert });
  assert.match(untrusted.message, /unable to (get local issuer certificate|verify the first certificate)|self[- ]signed certificate/);

  const noSasl = await attempt({ CLV_KAFKA_SASL_MECHANISM: undefined, CLV_KAFKA_SASL_USERNAME: undefined, CLV_KAFKA_SASL_PASSWORD_FILE: undefined });
  // The broker closes a connection that skips the SASL handshake.
  assert.match(noSasl.message, /Kafka \(127\.0\.0\.1:\d+\): .*Closed connection/);
});

test('Redis refuses a wrong ACL password, no credentials and a client trusting another CA, each with a clear error', { skip }, async (t) => {
  const attempt = async (changes: Record<string, string | undefined>) => {
    const config = settings(changes);
    // Built as app/production.ts builds it: the message a processor would log.
    const store = new RedisStateStore<Seen>({ redis: config.redisUrl, redisOptions: redisConnectionOptions(config), namespace: 'secure' });
    try {
      const error = await refusal(() => store.getMany(['C1']));
      t.diagnostic(error.message);
      return error;
    } finally {
      await store.close().catch(() => undefined);
    }
  };
  const wrongPassword = await attempt({ CLV_REDIS_PASSWORD: 'not-the-password' });
  assert.equal(wrongPassword.code, ErrorCodes.DEPENDENCY_FAILED);
  assert.match(wrongPassword.message, /WRONGPASS invalid username-password pair or user is disabled/);
  assert.ok(!wrongPassword.message.includes('not-the-password'), wrongPassword.message);

  const anonymous = await attempt({ CLV_REDIS_USERNAME: undefined, CLV_REDIS_PASSWORD: undefined });
  assert.match(anonymous.message, /NOAUTH Authentication required/);

  const untrusted = await attempt({ CLV_REDIS_TLS_CA_FILE: certs.otherCaCert });
  assert.match(untrusted.message, /unable to (get local issuer certificate|verify the first certificate)|self[- ]signed certificate/);
});

test('the ClickHouse store migrates and queries over HTTPS as a password user; a wrong password and an untrusted CA are refused', { skip: skip || skipClickHouse }, async (t) => {
  const config = settings();
  const store = await ClickHouseAnalyticsStore.open({ ...clickhouseConnection(config), database: config.clickhouseDatabase });
  try {
    const rows = await store.connection.select<{ n: string }>(sql`SELECT count() AS n FROM system.tables WHERE database = 'clv_secure'`);
    assert.ok(Number(rows[0]?.n) > 0, 'the migrations created the analyst tables');
  } finally {
    await store.close();
  }
  const attempt = async (changes: Record<string, string | undefined>) => {
    const c = settings(changes);
    const error = await refusal(() => ClickHouseAnalyticsStore.open({ ...clickhouseConnection(c), database: c.clickhouseDatabase, migrate: false }));
    t.diagnostic(error.message);
    return error;
  };
  const wrongPassword = await attempt({ CLV_CLICKHOUSE_PASSWORD: 'not-the-password' });
  assert.equal(wrongPassword.code, ErrorCodes.DEPENDENCY_FAILED);
  assert.match(wrongPassword.message, /cannot reach ClickHouse at https:\/\/127\.0\.0\.1:\d+: .*Wrong password for user clv_analyst/);
  assert.ok(!wrongPassword.message.includes('not-the-password'), wrongPassword.message);
  const untrusted = await attempt({ CLV_CLICKHOUSE_TLS_CA_FILE: certs.otherCaCert });
  assert.match(untrusted.message, /unable to (get local issuer certificate|verify the first certificate)|self[- ]signed certificate/);
});
