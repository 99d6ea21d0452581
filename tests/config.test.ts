import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config/config.js';
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
  assert.throws(() => loadConfig({ CLV_REDIS_URL: 'http://x' }), /CLV_REDIS_URL.*redis:\/\//);
  assert.throws(() => loadConfig({ CLV_CLICKHOUSE_DATABASE: 'drop table' }), /CLV_CLICKHOUSE_DATABASE/);
});
