import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asClvError, versionAtLeast } from '../adapters/clickhouse/clickhouse-connection.js';
import { ErrorCodes } from '../core/errors.js';

test('clickhouse connection: query parameters from 19.11; failures are retriable unless the server says otherwise', () => {
  assert.deepEqual(['18.16.1', '19.10.1', '19.11.3.11', '24.8.4.13', 'garbage'].map((v) => versionAtLeast(v, 19, 11)), [false, false, true, true, false]);
  const network = asClvError(new Error('connect ECONNREFUSED 127.0.0.1:8123'), 'ctx');
  const tooManyParts = asClvError(new Error('Code: 252, e.displayText() = DB::Exception: Too many parts'), 'ctx');
  const syntax = asClvError(new Error('Code: 62, e.displayText() = DB::Exception: Syntax error'), 'ctx');
  assert.deepEqual([network, tooManyParts, syntax].map((e) => [e.code, e.retriable]), [
    [ErrorCodes.DEPENDENCY_FAILED, true], [ErrorCodes.DEPENDENCY_FAILED, true], [ErrorCodes.DEPENDENCY_FAILED, false],
  ]);
  assert.match(syntax.message, /^ctx: Code: 62/);
});

test('clickhouse connection: an unreachable server is reported without the password of its URL', async () => {
  const { freePort } = await import('./integration/support/free-port.js');
  const { ClickHouseConnection } = await import('../adapters/clickhouse/clickhouse-connection.js');
  const url = `http://clv:S3cretPassw0rd@127.0.0.1:${await freePort()}`;
  await assert.rejects(ClickHouseConnection.connect({ url, requestTimeoutMs: 2000 }), (e: Error) => {
    assert.match(e.message, /cannot reach ClickHouse at http:\/\/clv:\*\*\*@127\.0\.0\.1/);
    assert.ok(!e.message.includes('S3cretPassw0rd'), e.message);
    return true;
  });
});

test('clickhouse connection: user, password and CA from the settings become the client options, never part of the URL', async () => {
  const { clickhouseClientOptions, clickhouseConnection } = await import('../adapters/clickhouse/clickhouse-connection.js');
  const { loadConfig } = await import('../config/config.js');
  assert.deepEqual(clickhouseClientOptions(clickhouseConnection(loadConfig({}))), { url: 'http://127.0.0.1:8123' }, 'defaults: the URL alone');
  const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const options = clickhouseClientOptions({ url: 'https://ch.internal:8443', credentials: { username: 'clv', password: 'S3cret' }, tlsCa: ca });
  assert.deepEqual({ ...options, tls: { ca_cert: options.tls?.ca_cert.toString() } }, { url: 'https://ch.internal:8443', username: 'clv', password: 'S3cret', tls: { ca_cert: ca } });
});
