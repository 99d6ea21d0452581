/**
 * TLS, SASL and credential settings (config/transport-config.ts, config/secret-files.ts), with
 * certificates made by `openssl` for this run (tests/support/test-certificates.ts).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApiConfig } from '../config/api-config.js';
import { loadConfig } from '../config/config.js';
import { ErrorCodes } from '../core/errors.js';
import { makeTestCertificates } from './support/test-certificates.js';

const certs = makeTestCertificates();
after(() => certs.remove());
const SECRET = 'S3cret pass-w0rd ';
const passwordFile = join(certs.dir, 'password.txt');
writeFileSync(passwordFile, `${SECRET}\n`);
const emptyFile = join(certs.dir, 'empty.txt');
writeFileSync(emptyFile, '\n');
const notPem = join(certs.dir, 'not-pem.txt');
writeFileSync(notPem, 'hello');

/** The one-line message of the INVALID_CONFIG error `load` throws; fails when it does not throw one. */
function refusal(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    const error = e as Error & { code?: string };
    assert.equal(error.code, ErrorCodes.INVALID_CONFIG, error.message);
    assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
    return error.message;
  }
  return assert.fail('expected the settings to be refused');
}

test('defaults: plaintext, no SASL, no credentials (the embedded mode and the local services)', () => {
  const c = loadConfig({});
  assert.equal(c.kafkaTls, null);
  assert.equal(c.kafkaSasl, null);
  assert.equal(c.redisTlsCa, null);
  assert.equal(c.redisCredentials, null);
  assert.equal(c.clickhouseCredentials, null);
  assert.equal(c.clickhouseTlsCa, null);
  assert.equal(loadApiConfig({}).tls, null);
});

test('Kafka: TLS with a CA and a client certificate, SASL SCRAM with the password from a file', () => {
  const c = loadConfig({
    CLV_KAFKA_TLS: 'true',
    CLV_KAFKA_TLS_CA_FILE: certs.caCert,
    CLV_KAFKA_TLS_CERT_FILE: certs.clientCert,
    CLV_KAFKA_TLS_KEY_FILE: certs.clientKey,
    CLV_KAFKA_SASL_MECHANISM: 'scram-sha-256',
    CLV_KAFKA_SASL_USERNAME: 'clv',
    CLV_KAFKA_SASL_PASSWORD_FILE: passwordFile,
  });
  assert.equal(c.kafkaTls?.ca, certs.read(certs.caCert));
  assert.equal(c.kafkaTls?.client?.cert, certs.read(certs.clientCert));
  assert.equal(c.kafkaTls?.client?.privateKey, certs.read(certs.clientKey));
  // The file's trailing line break is dropped, the password's own trailing space kept.
  assert.deepEqual(c.kafkaSasl, { mechanism: 'scram-sha-256', username: 'clv', password: SECRET });
  assert.deepEqual(loadConfig({ CLV_KAFKA_TLS: 'true' }).kafkaTls, { ca: null, client: null }, 'TLS with the system CAs');
  assert.equal(loadConfig({ CLV_KAFKA_SASL_MECHANISM: 'scram-sha-512', CLV_KAFKA_SASL_USERNAME: 'u', CLV_KAFKA_SASL_PASSWORD: 'p' }).kafkaSasl?.mechanism, 'scram-sha-512');
});

test('Redis: a CA for rediss:// and an ACL user with a password, outside the URL', () => {
  const c = loadConfig({ CLV_REDIS_URL: 'rediss://127.0.0.1:6380', CLV_REDIS_TLS_CA_FILE: certs.caCert, CLV_REDIS_USERNAME: 'clv', CLV_REDIS_PASSWORD: SECRET });
  assert.equal(c.redisTlsCa, certs.read(certs.caCert));
  assert.deepEqual(c.redisCredentials, { username: 'clv', password: SECRET });
  assert.deepEqual(loadConfig({ CLV_REDIS_PASSWORD_FILE: passwordFile }).redisCredentials, { username: null, password: SECRET }, 'the default user');
});

test('ClickHouse: user and password as settings, a CA for https://', () => {
  const c = loadConfig({ CLV_CLICKHOUSE_URL: 'https://127.0.0.1:8443', CLV_CLICKHOUSE_TLS_CA_FILE: certs.caCert, CLV_CLICKHOUSE_USERNAME: 'clv', CLV_CLICKHOUSE_PASSWORD_FILE: passwordFile });
  assert.equal(c.clickhouseTlsCa, certs.read(certs.caCert));
  assert.deepEqual(c.clickhouseCredentials, { username: 'clv', password: SECRET });
  assert.deepEqual(loadConfig({ CLV_CLICKHOUSE_USERNAME: 'default' }).clickhouseCredentials, { username: 'default', password: '' });
});

test('API: a certificate and its key turn HTTPS on', () => {
  const api = loadApiConfig({ CLV_API_TLS_CERT_FILE: certs.serverCert, CLV_API_TLS_KEY_FILE: certs.serverKey });
  assert.deepEqual(api.tls, { cert: certs.read(certs.serverCert), privateKey: certs.read(certs.serverKey) });
});

test('a bad transport setting stops start-up with one line naming it', () => {
  const missing = join(certs.dir, 'missing.pem');
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ CLV_KAFKA_TLS: 'true', CLV_KAFKA_TLS_CA_FILE: missing }, /^invalid setting CLV_KAFKA_TLS_CA_FILE=".*missing\.pem": cannot read it \(ENOENT/],
    [{ CLV_KAFKA_TLS: 'true', CLV_KAFKA_TLS_CA_FILE: notPem }, /^invalid setting CLV_KAFKA_TLS_CA_FILE=".*not-pem\.txt": expected a PEM file/],
    [{ CLV_KAFKA_TLS_CA_FILE: certs.caCert }, /CLV_KAFKA_TLS_CA_FILE: it is set but unused, it needs CLV_KAFKA_TLS=true/],
    [{ CLV_KAFKA_TLS: 'yes' }, /CLV_KAFKA_TLS="yes": expected true or false/],
    [{ CLV_KAFKA_TLS: 'true', CLV_KAFKA_TLS_CERT_FILE: certs.clientCert }, /CLV_KAFKA_TLS_CERT_FILE and CLV_KAFKA_TLS_KEY_FILE go together/],
    [{ CLV_KAFKA_TLS: 'true', CLV_KAFKA_TLS_CERT_FILE: certs.clientCert, CLV_KAFKA_TLS_KEY_FILE: certs.serverKey }, /CLV_KAFKA_TLS_KEY_FILE=".*server\.key": not the private key of the certificate in CLV_KAFKA_TLS_CERT_FILE/],
    [{ CLV_KAFKA_TLS: 'true', CLV_KAFKA_TLS_CERT_FILE: certs.clientCert, CLV_KAFKA_TLS_KEY_FILE: certs.clientCert }, /CLV_KAFKA_TLS_KEY_FILE=".*client\.pem": expected an unencrypted PEM private key/],
    [{ CLV_KAFKA_SASL_MECHANISM: 'gssapi', CLV_KAFKA_SASL_USERNAME: 'u', CLV_KAFKA_SASL_PASSWORD: 'p' }, /CLV_KAFKA_SASL_MECHANISM="gssapi": expected one of scram-sha-256, scram-sha-512, plain/],
    [{ CLV_KAFKA_SASL_MECHANISM: 'scram-sha-512', CLV_KAFKA_SASL_USERNAME: 'u' }, /CLV_KAFKA_SASL_MECHANISM=scram-sha-512 needs CLV_KAFKA_SASL_USERNAME and CLV_KAFKA_SASL_PASSWORD/],
    [{ CLV_KAFKA_SASL_USERNAME: 'u', CLV_KAFKA_SASL_PASSWORD: 'p' }, /need CLV_KAFKA_SASL_MECHANISM/],
    [{ CLV_KAFKA_SASL_MECHANISM: 'plain', CLV_KAFKA_SASL_USERNAME: 'u', CLV_KAFKA_SASL_PASSWORD: 'p' }, /plain sends the password in clear: it needs CLV_KAFKA_TLS=true/],
    [{ CLV_KAFKA_SASL_MECHANISM: 'scram-sha-512', CLV_KAFKA_SASL_USERNAME: 'u', CLV_KAFKA_SASL_PASSWORD: 'p', CLV_KAFKA_SASL_PASSWORD_FILE: passwordFile }, /set CLV_KAFKA_SASL_PASSWORD or CLV_KAFKA_SASL_PASSWORD_FILE, not both/],
    [{ CLV_KAFKA_SASL_MECHANISM: 'scram-sha-512', CLV_KAFKA_SASL_USERNAME: 'u', CLV_KAFKA_SASL_PASSWORD_FILE: missing }, /CLV_KAFKA_SASL_PASSWORD_FILE=".*missing\.pem": cannot read it/],
    [{ CLV_KAFKA_SASL_MECHANISM: 'scram-sha-512', CLV_KAFKA_SASL_USERNAME: 'u', CLV_KAFKA_SASL_PASSWORD_FILE: emptyFile }, /CLV_KAFKA_SASL_PASSWORD_FILE=".*empty\.txt": the file is empty/],
    [{ CLV_REDIS_TLS_CA_FILE: certs.caCert }, /CLV_REDIS_TLS_CA_FILE: it is set but unused, it needs a rediss:\/\/ CLV_REDIS_URL/],
    [{ CLV_REDIS_URL: 'rediss://127.0.0.1:6380', CLV_REDIS_TLS_CA_FILE: missing }, /CLV_REDIS_TLS_CA_FILE=".*missing\.pem": cannot read it/],
    [{ CLV_REDIS_USERNAME: 'clv' }, /CLV_REDIS_USERNAME needs CLV_REDIS_PASSWORD/],
    [{ CLV_REDIS_URL: 'redis://:inurl@127.0.0.1:6379', CLV_REDIS_PASSWORD: 'p' }, /Redis credentials are both in CLV_REDIS_URL and in CLV_REDIS_USERNAME \/ CLV_REDIS_PASSWORD/],
    [{ CLV_CLICKHOUSE_TLS_CA_FILE: certs.caCert }, /CLV_CLICKHOUSE_TLS_CA_FILE: it is set but unused, it needs an https:\/\/ CLV_CLICKHOUSE_URL/],
    [{ CLV_CLICKHOUSE_PASSWORD: 'p' }, /CLV_CLICKHOUSE_PASSWORD needs CLV_CLICKHOUSE_USERNAME/],
    [{ CLV_CLICKHOUSE_URL: 'http://u:inurl@127.0.0.1:8123', CLV_CLICKHOUSE_USERNAME: 'u' }, /ClickHouse credentials are both in CLV_CLICKHOUSE_URL/],
  ];
  for (const [env, pattern] of cases) assert.match(refusal(() => loadConfig(env)), pattern, JSON.stringify(env));
  assert.match(refusal(() => loadApiConfig({ CLV_API_TLS_KEY_FILE: certs.serverKey })), /CLV_API_TLS_CERT_FILE and CLV_API_TLS_KEY_FILE go together/);
  assert.match(refusal(() => loadApiConfig({ CLV_API_TLS_CERT_FILE: missing, CLV_API_TLS_KEY_FILE: certs.serverKey })), /^invalid setting CLV_API_TLS_CERT_FILE=".*missing\.pem": cannot read it/);
  assert.match(refusal(() => loadApiConfig({ CLV_API_TLS_CERT_FILE: certs.serverCert, CLV_API_TLS_KEY_FILE: certs.otherServerKey })), /CLV_API_TLS_KEY_FILE=.*not the private key of the certificate in CLV_API_TLS_CERT_FILE \(CN=127\.0\.0\.1\)/);
});

test('no refusal quotes a password or a key: only names and paths', () => {
  const messages = [
    refusal(() => loadConfig({ CLV_KAFKA_SASL_MECHANISM: 'gssapi', CLV_KAFKA_SASL_USERNAME: 'u', CLV_KAFKA_SASL_PASSWORD: SECRET })),
    refusal(() => loadConfig({ CLV_KAFKA_SASL_MECHANISM: 'scram-sha-512', CLV_KAFKA_SASL_USERNAME: 'u', CLV_KAFKA_SASL_PASSWORD: SECRET, CLV_KAFKA_SASL_PASSWORD_FILE: passwordFile })),
    refusal(() => loadConfig({ CLV_REDIS_URL: `redis://:${SECRET.trim()}@127.0.0.1:6379`, CLV_REDIS_PASSWORD: SECRET })),
    refusal(() => loadConfig({ CLV_KAFKA_TLS: 'true', CLV_KAFKA_TLS_CA_FILE: certs.clientKey })),
    refusal(() => loadApiConfig({ CLV_API_TLS_CERT_FILE: certs.serverCert, CLV_API_TLS_KEY_FILE: certs.otherServerKey })),
  ];
  for (const message of messages) {
    assert.ok(!message.includes(SECRET.trim()), message);
    assert.ok(!message.includes('PRIVATE KEY'), message);
  }
});
