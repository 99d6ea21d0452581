import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../app/logger.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

const SECRET = 'S3cretPassw0rd';

function captured() {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  return { stream, text: () => text };
}

test('the root logger redacts credentials by key and URL passwords anywhere in a line', () => {
  const out = captured();
  const logger = createLogger('debug', out.stream);
  logger.info({ headers: { authorization: `Bearer ${SECRET}`, 'x-api-key': `clv_k_${SECRET}`, cookie: SECRET } }, 'request');
  logger.info({ req: { headers: { authorization: `Basic ${SECRET}` } } }, 'nested request');
  logger.info({ apiKey: SECRET, api_key: SECRET, password: SECRET, secret: SECRET, jwtSecret: SECRET, jwt: SECRET, token: SECRET, config: { jwt: { secret: SECRET } } }, 'settings');
  logger.warn(`cannot reach ClickHouse at http://clv:${SECRET}@127.0.0.1:8123`);
  logger.warn({ redis: `redis://:${SECRET}@127.0.0.1:6379/0` }, 'redis');
  logger.error({ err: new Error(`connect to https://user:${SECRET}@host/x failed`) }, 'failed');
  logger.error({ err: new ClvError(ErrorCodes.DEPENDENCY_FAILED, 'down', { cause: new Error(`at rediss://a:${SECRET}@h:1`) }) }, 'cause');
  logger.info({ url: `http://127.0.0.1:8081/x?user=u&password=${SECRET}` }, 'query');
  const text = out.text();
  assert.equal(text.trim().split('\n').length, 8, 'every line was written');
  assert.ok(!text.includes(SECRET), text);
  assert.match(text, /http:\/\/clv:\*\*\*@127\.0\.0\.1:8123/, 'the URL stays readable, its password masked');
});

test('the root logger never writes a transport secret: SASL, Redis and ClickHouse passwords, private keys', async () => {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { loadSettings } = await import('../config/settings.js');
  const { kafkajsSecurity, kafkaConnection } = await import('../adapters/kafka/kafka-connection.js');
  const { redisConnectionOptions } = await import('../adapters/redis/redis-connection.js');
  const { clickhouseClientOptions, clickhouseConnection } = await import('../adapters/clickhouse/clickhouse-connection.js');
  const { makeTestCertificates } = await import('./support/test-certificates.js');
  const certs = makeTestCertificates();
  try {
    const passwordFile = join(certs.dir, 'redis-password');
    writeFileSync(passwordFile, `redis-${SECRET}\n`);
    const settings = loadSettings({
      CLV_KAFKA_TLS: 'true', CLV_KAFKA_TLS_CA_FILE: certs.caCert, CLV_KAFKA_TLS_CERT_FILE: certs.clientCert, CLV_KAFKA_TLS_KEY_FILE: certs.clientKey,
      CLV_KAFKA_SASL_MECHANISM: 'scram-sha-512', CLV_KAFKA_SASL_USERNAME: 'clv', CLV_KAFKA_SASL_PASSWORD: `kafka-${SECRET}`,
      CLV_REDIS_URL: 'rediss://127.0.0.1:6380', CLV_REDIS_TLS_CA_FILE: certs.caCert, CLV_REDIS_USERNAME: 'clv', CLV_REDIS_PASSWORD_FILE: passwordFile,
      CLV_CLICKHOUSE_URL: 'https://127.0.0.1:8443', CLV_CLICKHOUSE_USERNAME: 'clv', CLV_CLICKHOUSE_PASSWORD: `clickhouse-${SECRET}`,
      CLV_API_TLS_CERT_FILE: certs.serverCert, CLV_API_TLS_KEY_FILE: certs.serverKey,
    });
    const { config } = settings;
    const out = captured();
    const logger = createLogger('debug', out.stream);
    logger.info({ settings }, 'settings');
    logger.info({ config }, 'config');
    logger.info({ api: settings.api }, 'api');
    logger.info({ kafka: kafkajsSecurity(kafkaConnection(config)), redis: redisConnectionOptions(config), clickhouse: clickhouseClientOptions(clickhouseConnection(config)) }, 'client options');
    logger.info({ kafkaTls: config.kafkaTls, tls: settings.api.tls }, 'tls');
    logger.error(`TLS setup failed with key ${certs.read(certs.serverKey)}`);
    const text = out.text();
    assert.equal(text.trim().split('\n').length, 6, 'every line was written');
    for (const secret of [`kafka-${SECRET}`, `redis-${SECRET}`, `clickhouse-${SECRET}`, SECRET]) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.ok(!/PRIVATE KEY-----\\n[A-Za-z0-9+/]/.test(text), `a private key leaked: ${text}`);
    assert.match(text, /"username":"clv"/, 'user names stay readable');
  } finally {
    certs.remove();
  }
});
