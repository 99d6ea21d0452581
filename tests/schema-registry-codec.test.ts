import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaRegistryCodec } from '../adapters/avro/schema-registry-codec.js';
import { freePort } from './integration/support/free-port.js';

test('schema registry codec: an unreachable registry is reported without the password of its URL', async () => {
  const codec = new SchemaRegistryCodec({ url: `http://clv:S3cretPassw0rd@127.0.0.1:${await freePort()}/apis/ccompat/v7` });
  await assert.rejects(codec.registerAll(), (e: Error) => {
    assert.match(e.message, /schema registry/);
    assert.ok(!e.message.includes('S3cretPassw0rd'), e.message);
    return true;
  });
});
