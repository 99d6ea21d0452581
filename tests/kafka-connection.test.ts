import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaConnection, kafkajsSecurity } from '../adapters/kafka/kafka-connection.js';
import { loadConfig } from '../config/config.js';

const CA = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';

test('kafka connection: the default settings give kafkajs neither ssl nor sasl (plaintext, as the local broker)', () => {
  const connection = kafkaConnection(loadConfig({}));
  assert.deepEqual(connection, { brokers: ['127.0.0.1:9092'], tls: null, sasl: null });
  assert.deepEqual(kafkajsSecurity(connection), {});
});

test('kafka connection: TLS with a CA and a client certificate, SCRAM credentials, as kafkajs takes them', () => {
  const security = kafkajsSecurity({
    brokers: ['b:9093'],
    tls: { ca: CA, client: { cert: 'CERT', privateKey: 'KEY' } },
    sasl: { mechanism: 'scram-sha-512', username: 'clv', password: 'S3cret' },
  });
  assert.deepEqual(security, { ssl: { ca: [CA], cert: 'CERT', key: 'KEY' }, sasl: { mechanism: 'scram-sha-512', username: 'clv', password: 'S3cret' } });
  // TLS with the system's CAs: an empty options object, which kafkajs treats as TLS on.
  assert.deepEqual(kafkajsSecurity({ brokers: ['b:9093'], tls: { ca: null, client: null } }), { ssl: {} });
});
