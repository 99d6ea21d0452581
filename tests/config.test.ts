import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config/config.js';
import { loadSettings } from '../config/settings.js';
import { ErrorCodes } from '../core/errors.js';

test('defaults make the embedded mode work with nothing set', () => {
  const c = loadConfig({});
  assert.equal(c.timeZone, 'UTC');
  assert.equal(c.currency, 'USD');
  assert.equal(c.minorPerUnit, 100);
  assert.equal(c.horizonMonths, 12);
  assert.equal(c.trainLstm, false);
  assert.equal(c.lstmEpochs, 20);
  assert.ok(Object.isFrozen(c));
});

test('currency decides the minor unit', () => {
  assert.equal(loadConfig({ CLV_CURRENCY: 'VND' }).minorPerUnit, 1);
  assert.equal(loadConfig({ CLV_CURRENCY: 'EUR' }).minorPerUnit, 100);
});

test('an invalid setting stops start-up with a message naming it', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ CLV_TIME_ZONE: 'Mars/Olympus' }, /CLV_TIME_ZONE="Mars\/Olympus".*IANA/],
    [{ CLV_HORIZON_MONTHS: 'twelve' }, /CLV_HORIZON_MONTHS="twelve".*integer/],
    [{ CLV_HORIZON_MONTHS: '0' }, /CLV_HORIZON_MONTHS/],
    [{ CLV_MONTHLY_DISCOUNT_RATE: '-0.1' }, /CLV_MONTHLY_DISCOUNT_RATE/],
    [{ CLV_PERIOD: 'fortnight' }, /CLV_PERIOD="fortnight".*one of day, week/],
    [{ CLV_CURRENCY: 'dollars' }, /CLV_CURRENCY/],
    [{ CLV_TRAIN_LSTM: 'yes' }, /CLV_TRAIN_LSTM="yes".*true or false/],
    [{ CLV_LSTM_EPOCHS: '0' }, /CLV_LSTM_EPOCHS="0".*integer ≥ 1/],
    [{ CLV_ONE_TIME_BUYER_AT_RISK_DAYS: '-5' }, /CLV_ONE_TIME_BUYER_AT_RISK_DAYS="-5".*integer ≥ 0/],
    [{ CLV_ONE_TIME_BUYER_AT_RISK_DAYS: '90', CLV_ONE_TIME_BUYER_LOST_DAYS: '60' }, /CLV_ONE_TIME_BUYER_LOST_DAYS="60".*more days than CLV_ONE_TIME_BUYER_AT_RISK_DAYS \(90\)/],
  ];
  for (const [env, pattern] of cases) {
    assert.throws(() => loadConfig(env), (e: Error & { code?: string }) => e.code === ErrorCodes.INVALID_CONFIG && pattern.test(e.message));
  }
});

test('production endpoints default to loopback and are validated', () => {
  const c = loadConfig({});
  assert.deepEqual(c.kafkaBrokers, ['127.0.0.1:9092']);
  assert.equal(c.redisUrl, 'redis://127.0.0.1:6379');
  assert.deepEqual(loadConfig({ CLV_KAFKA_BROKERS: 'a:1, b:2' }).kafkaBrokers, ['a:1', 'b:2']);
  assert.throws(() => loadConfig({ CLV_KAFKA_BROKERS: 'nohost' }), /CLV_KAFKA_BROKERS="nohost"/);
  assert.equal(c.kafkaClient, 'kafkajs');
  assert.equal(loadConfig({ CLV_KAFKA_CLIENT: 'confluent' }).kafkaClient, 'confluent');
  assert.throws(() => loadConfig({ CLV_KAFKA_CLIENT: 'rdkafka' }), /CLV_KAFKA_CLIENT="rdkafka".*one of kafkajs, confluent/);
  assert.throws(() => loadConfig({ CLV_REDIS_URL: 'http://x' }), /CLV_REDIS_URL.*redis:\/\//);
  assert.throws(() => loadConfig({ CLV_CLICKHOUSE_DATABASE: 'drop table' }), /CLV_CLICKHOUSE_DATABASE/);
});

test('CLV_HOLIDAYS takes built-in sets and holiday files, read and validated at start-up', () => {
  const files: Record<string, string> = {
    'shop/holidays.json': JSON.stringify({ holidays: [{ name: 'Anniversary sale', annual: { month: 6, day: 15 }, lowerWindow: 0, upperWindow: 2 }] }),
    'shop/bad.json': JSON.stringify({ holidays: [{ name: 'Typo', anual: { month: 6, day: 15 } }] }),
    'shop/retail-again.json': JSON.stringify({ include: ['retail'] }),
  };
  const readFile = (path: string) => {
    if (!(path in files)) throw new Error(`ENOENT: no such file, open '${path}'`);
    return files[path];
  };
  const names = loadConfig({ CLV_HOLIDAYS: 'vietnam,shop/holidays.json' }, readFile).holidays.holidays.map((h) => h.name);
  assert.ok(names.includes('Anniversary sale') && names.some((n) => /T[eế]t/.test(n)), names.join(', '));
  assert.ok(!names.includes('Black Friday'), 'retail is the default only when CLV_HOLIDAYS is unset');
  assert.throws(() => loadConfig({ CLV_HOLIDAYS: 'shop/missing.json' }, readFile), /CLV_HOLIDAYS="shop\/missing.json".*cannot read shop\/missing.json/);
  assert.throws(() => loadConfig({ CLV_HOLIDAYS: 'shop/bad.json' }, readFile), /holiday file shop\/bad.json/);
  assert.throws(() => loadConfig({ CLV_HOLIDAYS: 'retail,shop/retail-again.json' }, readFile), /CLV_HOLIDAYS.*duplicate holiday name/);
  assert.throws(() => loadConfig({ CLV_HOLIDAYS: 'mars' }, readFile), /CLV_HOLIDAYS="mars".*unknown: mars/);
});

test('the shipped example holiday file loads through CLV_HOLIDAYS', () => {
  const example = new URL('../config/holidays.example.json', import.meta.url).pathname;
  assert.ok(loadConfig({ CLV_HOLIDAYS: example }).holidays.holidays.length > 5);
});

test('one loader for every setting: a bad API or webhook setting stops any process, and URL passwords are never echoed', () => {
  assert.equal(loadSettings({}).webhooks, null);
  assert.equal(loadSettings({}).api.port, 3000);
  assert.throws(() => loadSettings({ CLV_API_PORT: 'http' }), /CLV_API_PORT="http"/);
  assert.throws(() => loadSettings({ CLV_WEBHOOKS_FILE: '/nonexistent/hooks.json' }), /CLV_WEBHOOKS_FILE/);
  assert.throws(() => loadSettings({ CLV_REDIS_URL: 'http://:S3cret@redis:6379' }), (e: Error) => /CLV_REDIS_URL/.test(e.message) && !e.message.includes('S3cret'));
});

test('scale-out settings: a Redis Cluster flag, and a ClickHouse cluster only with the URL of every shard', () => {
  const plain = loadConfig({});
  assert.equal(plain.redisCluster, false);
  assert.equal(plain.clickhouseCluster, null);
  assert.equal(loadConfig({ CLV_REDIS_CLUSTER: 'true' }).redisCluster, true);
  assert.deepEqual(loadConfig({ CLV_CLICKHOUSE_CLUSTER: 'clv_shards', CLV_CLICKHOUSE_SHARD_URLS: 'http://a:8123, http://b:8123' }).clickhouseCluster, { name: 'clv_shards', shardUrls: ['http://a:8123', 'http://b:8123'] });
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ CLV_REDIS_CLUSTER: 'yes' }, /CLV_REDIS_CLUSTER="yes".*true or false/],
    [{ CLV_CLICKHOUSE_CLUSTER: 'clv_shards' }, /CLV_CLICKHOUSE_CLUSTER="clv_shards".*CLV_CLICKHOUSE_SHARD_URLS/],
    [{ CLV_CLICKHOUSE_SHARD_URLS: 'http://a:8123' }, /CLV_CLICKHOUSE_SHARD_URLS=.*unset unless CLV_CLICKHOUSE_CLUSTER/],
    [{ CLV_CLICKHOUSE_CLUSTER: 'clv-shards', CLV_CLICKHOUSE_SHARD_URLS: 'http://a:8123' }, /CLV_CLICKHOUSE_CLUSTER="clv-shards".*remote_servers/],
    [{ CLV_CLICKHOUSE_CLUSTER: 's', CLV_CLICKHOUSE_SHARD_URLS: 'http://a:8123,a:8123' }, /CLV_CLICKHOUSE_SHARD_URLS=.*HTTP URLs of every shard/],
    [{ CLV_CLICKHOUSE_CLUSTER: 's', CLV_CLICKHOUSE_SHARD_URLS: 'http://a:8123,http://a:8123' }, /CLV_CLICKHOUSE_SHARD_URLS=.*each shard once/],
  ];
  for (const [env, pattern] of cases) {
    assert.throws(() => loadConfig(env), (e: Error & { code?: string }) => e.code === ErrorCodes.INVALID_CONFIG && pattern.test(e.message));
  }
});
