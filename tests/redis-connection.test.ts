import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { connectionErrors, redisConnectionOptions } from '../adapters/redis/redis-connection.js';
import { loadConfig } from '../config/config.js';

test('redis connection: CA, ACL user and password from the settings become ioredis options; none by default', () => {
  assert.deepEqual(redisConnectionOptions(loadConfig({})), {});
  const ca = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
  assert.deepEqual(redisConnectionOptions({ redisTlsCa: ca, redisCredentials: { username: 'clv', password: 'S3cret' } }), { tls: { ca: [ca] }, username: 'clv', password: 'S3cret' });
  assert.deepEqual(redisConnectionOptions({ redisTlsCa: null, redisCredentials: { username: null, password: 'S3cret' } }), { password: 'S3cret' }, 'the default user');
});

test("redis connection: a failed command's message gains the connection's last error until the client is ready again", () => {
  const client = new EventEmitter();
  const explain = connectionErrors(client);
  assert.equal(explain('Connection is closed.'), 'Connection is closed.', 'nothing to add yet');
  client.emit('error', new Error('self-signed certificate in certificate chain'));
  assert.equal(explain('Connection is closed.'), 'Connection is closed. (connection: self-signed certificate in certificate chain)');
  assert.equal(explain('failed: self-signed certificate in certificate chain'), 'failed: self-signed certificate in certificate chain', 'not said twice');
  client.emit('ready');
  assert.equal(explain('Connection is closed.'), 'Connection is closed.');
});
