import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { loadTopicSchemas } from '../adapters/avro/schema-files.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { Topics } from '../core/topics.js';
import { day, payment, placed } from './support/commerce-events.js';

const codec = new AvroCodec();

test('every topic has a schema in schemas/', () => {
  const schemas = loadTopicSchemas();
  for (const topic of Object.values(Topics)) assert.ok(schemas.has(topic), topic);
});

test('order and payment events round-trip in the Confluent wire format', async () => {
  const order = placed('O1', 1999, day(3), 'C1', ['jazz']);
  const bytes = await codec.encode(Topics.orders, order);
  assert.equal(bytes[0], 0, 'magic byte');
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
  assert.deepEqual(plain(await codec.decode(Topics.orders, bytes)), order);
  const pay = payment('PAYMENT_REFUNDED', 'O1', 500, day(4));
  assert.deepEqual(plain(await codec.decode(Topics.payments, await codec.encode(Topics.payments, pay))), pay);
});

test('money is never a binary float on the wire: a fractional amount does not encode', async () => {
  await assert.rejects(codec.encode(Topics.orders, { ...placed('O1', 1, day(1)), amount_minor: 19.99 }), (e: ClvError) => {
    assert.equal(e.code, ErrorCodes.INVALID_EVENT);
    assert.match(e.message, /amount_minor=19\.99/);
    return true;
  });
});

test('bytes that are not a valid encoding are UNDECODABLE, with a reason', async () => {
  for (const bytes of [Buffer.from('{"json":true}'), Buffer.from([0, 0, 0, 0, 99, 1, 2]), Buffer.from([0, 0, 0, 0, 1, 0xff, 0xff, 0xff])]) {
    await assert.rejects(codec.decode(Topics.orders, bytes), (e: ClvError) => e.code === ErrorCodes.UNDECODABLE && e.message.length > 10);
  }
});
