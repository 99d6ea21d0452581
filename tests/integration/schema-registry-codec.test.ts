/**
 * SchemaRegistryCodec against a real Confluent-compatible registry (Apicurio, started by
 * scripts/services/up.sh registry). Subjects are run-scoped (`<topic>_<pid>_<t>-value`) and
 * deleted afterwards, so the shared dev registry keeps no test history and the real subjects
 * are left to the services that own them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import avro from 'avsc';
import { AvroCodec } from '../../adapters/avro/avro-codec.js';
import { loadTopicSchemas } from '../../adapters/avro/schema-files.js';
import { SchemaRegistryCodec, subjectOf } from '../../adapters/avro/schema-registry-codec.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { DECODE_NEEDS_IO } from '../../core/ports/event-codec.js';
import { Topics } from '../../core/topics.js';
import { day, payment, placed } from '../support/commerce-events.js';
import { runScoped, services } from './support/services.js';

const url = services.schemaRegistryUrl;
const local = loadTopicSchemas();
/** Real topic → this run's stand-in topic with the same schema. */
const scoped = new Map([...local.keys()].map((t) => [t, runScoped(t)]));
const scopedSchemas = new Map([...local].map(([t, s]) => [scoped.get(t) as string, s]));
const created = new Set<string>();
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
const undecodable = (pattern: RegExp) => (e: ClvError) => e.code === ErrorCodes.UNDECODABLE && pattern.test(e.message);

async function codecFor(schemas: Map<string, object>): Promise<SchemaRegistryCodec> {
  const codec = new SchemaRegistryCodec({ url, schemas });
  for (const topic of schemas.keys()) created.add(subjectOf(topic));
  await codec.registerAll();
  return codec;
}

let codec: SchemaRegistryCodec;
let ids: Map<string, number>;

before(async () => {
  try {
    const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (e) {
    const reason = [(e as Error).message, ((e as Error).cause as Error | undefined)?.message].filter(Boolean).join(': ');
    throw new Error(`schema registry is not reachable at ${url} (${reason}). Start it with \`bash scripts/services/up.sh kafka registry\`, or point CLV_SCHEMA_REGISTRY_URL at a registry.`);
  }
  codec = new SchemaRegistryCodec({ url, schemas: scopedSchemas });
  for (const topic of scopedSchemas.keys()) created.add(subjectOf(topic));
  ids = await codec.registerAll();
});

after(async () => {
  // Apicurio (like Confluent) needs a soft delete before a permanent one.
  for (const subject of created) {
    for (const query of ['', '?permanent=true']) await fetch(`${url}/subjects/${encodeURIComponent(subject)}${query}`, { method: 'DELETE' }).catch(() => undefined);
  }
});

test('every topic schema registers under <topic>-value, and registering again keeps the ids', async () => {
  assert.equal(ids.size, local.size);
  for (const id of ids.values()) assert.ok(Number.isInteger(id) && id > 0);
  assert.deepEqual(await new SchemaRegistryCodec({ url, schemas: scopedSchemas }).registerAll(), ids);
  const subjects = (await (await fetch(`${url}/subjects`)).json()) as string[];
  for (const topic of scopedSchemas.keys()) assert.ok(subjects.includes(`${topic}-value`), topic);
});

test('a value of every topic schema round-trips with its registry id in the header', async () => {
  for (const [topic, schema] of scopedSchemas) {
    const type = avro.Type.forSchema(schema as avro.Schema);
    const value = type.random();
    const bytes = await codec.encode(topic, value);
    assert.equal(bytes[0], 0, 'magic byte');
    assert.equal(bytes.readUInt32BE(1), ids.get(topic), `${topic} schema id`);
    assert.ok(type.toBuffer(await codec.decode(topic, bytes)).equals(type.toBuffer(value)), topic);
  }
});

test('order and payment events round-trip, and a fresh codec (no local ids) decodes them by fetching the schema', async () => {
  const order = placed('O1', 1999, day(3), 'C1', ['jazz']);
  const pay = payment('PAYMENT_REFUNDED', 'O1', 500, day(4));
  const orders = scoped.get(Topics.orders) as string;
  const payments = scoped.get(Topics.payments) as string;
  const reader = new SchemaRegistryCodec({ url, schemas: scopedSchemas });
  assert.deepEqual(plain(await reader.decode(orders, await codec.encode(orders, order))), order);
  assert.deepEqual(plain(await reader.decode(payments, await codec.encode(payments, pay))), pay);
});

test('the synchronous paths: encodeSync gives encode\'s bytes; decodeSync waits for nothing it has not fetched (DECODE_NEEDS_IO) and decodes once decode fetched the schema', async () => {
  const orders = scoped.get(Topics.orders) as string;
  const order = placed('O5', 2500, day(5), 'C5', ['folk']);
  const bytes = codec.encodeSync(orders, order);
  assert.ok(bytes.equals(await codec.encode(orders, order)));
  assert.deepEqual(plain(codec.decodeSync(orders, bytes)), order, 'its own schema id needs no fetch');
  const reader = new SchemaRegistryCodec({ url, schemas: scopedSchemas });
  assert.equal(reader.decodeSync(orders, bytes), DECODE_NEEDS_IO, 'an id not fetched yet');
  assert.deepEqual(plain(await reader.decode(orders, bytes)), order);
  assert.deepEqual(plain(reader.decodeSync(orders, bytes)), order, 'fetched once, then synchronous');
  assert.throws(() => reader.encodeSync(orders, order), (e: ClvError) => e.code === ErrorCodes.INVALID_CONFIG && /registerAll/.test(e.message));
  assert.throws(() => codec.decodeSync(orders, Buffer.from('x')), undecodable(/no magic byte/));
});

test('the Avro body is byte-identical to the embedded AvroCodec\'s: only the schema id in the header differs', async () => {
  const embedded = new AvroCodec();
  const cases: Array<[string, unknown]> = [[Topics.orders, placed('O2', 4500, day(9), 'C7', ['rock', 'jazz'])], [Topics.payments, payment('PAYMENT_CAPTURED', 'O2', 4500, day(9))]];
  for (const [topic, value] of cases) {
    const fromRegistry = await codec.encode(scoped.get(topic) as string, value);
    const fromEmbedded = await embedded.encode(topic, value);
    assert.ok(fromRegistry.subarray(5).equals(fromEmbedded.subarray(5)), topic);
  }
});

test('poison bytes are UNDECODABLE with a reason: no magic byte, unknown schema id, bad Avro, another topic\'s schema', async () => {
  const orders = scoped.get(Topics.orders) as string;
  const header = (id: number) => Buffer.from([0, id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff]);
  await assert.rejects(codec.decode(orders, Buffer.from('{"json":true}')), undecodable(/no magic byte/));
  await assert.rejects(codec.decode(orders, Buffer.from([0, 1])), undecodable(/no magic byte/));
  await assert.rejects(codec.decode(orders, Buffer.concat([header(0x7ffffff0), Buffer.from([2, 0x41])])), undecodable(/unknown schema id 2147483632/));
  const ordersId = ids.get(orders) as number;
  await assert.rejects(codec.decode(orders, Buffer.concat([header(ordersId), Buffer.from([0xff, 0xff, 0xff])])), undecodable(new RegExp(`schema id ${ordersId}`)));
  const paymentsId = ids.get(scoped.get(Topics.payments) as string) as number;
  const aPayment = await codec.encode(scoped.get(Topics.payments) as string, payment('PAYMENT_CAPTURED', 'O3', 100, day(1)));
  await assert.rejects(codec.decode(orders, aPayment), undecodable(new RegExp(`schema id ${paymentsId} \\(clv.commerce.PaymentEvent\\) cannot be read as clv.commerce.OrderEvent`)));
});

test('a value that does not match the schema is INVALID_EVENT naming the bad fields', async () => {
  const orders = scoped.get(Topics.orders) as string;
  await assert.rejects(codec.encode(orders, { ...placed('O1', 1, day(1)), amount_minor: 19.99, currency: null }), (e: ClvError) => {
    assert.equal(e.code, ErrorCodes.INVALID_EVENT);
    assert.match(e.message, /amount_minor=19\.99/);
    assert.match(e.message, /currency=null/);
    return true;
  });
});

test('an incompatible schema under an existing subject fails start-up with INVALID_CONFIG quoting the registry', async () => {
  const topic = runScoped('evolving');
  const v1 = { type: 'record', name: 'Thing', namespace: 'clv.test', fields: [{ name: 'id', type: 'string' }] };
  await codecFor(new Map([[topic, v1]]));
  const v2 = { ...v1, fields: [{ name: 'id', type: 'long' }] };
  await assert.rejects(codecFor(new Map([[topic, v2]])), (e: ClvError) => {
    assert.equal(e.code, ErrorCodes.INVALID_CONFIG);
    assert.ok(e.message.includes(`${topic}-value`), e.message);
    assert.match(e.message, /HTTP 409.*ncompatible/);
    return true;
  });
});

test('a compatible evolution gets a new id; bytes of the old version decode into the new shape with defaults', async () => {
  const topic = runScoped('evolving-ok');
  const v1 = { type: 'record', name: 'Thing', namespace: 'clv.test', fields: [{ name: 'id', type: 'string' }] };
  const old = await codecFor(new Map([[topic, v1]]));
  const v2 = { ...v1, fields: [...v1.fields, { name: 'score', type: 'double', default: 0.5 }] };
  const current = await codecFor(new Map([[topic, v2]]));
  const oldBytes = await old.encode(topic, { id: 'x' });
  const newBytes = await current.encode(topic, { id: 'y', score: 2 });
  assert.notEqual(oldBytes.readUInt32BE(1), newBytes.readUInt32BE(1));
  assert.deepEqual(plain(await current.decode(topic, oldBytes)), { id: 'x', score: 0.5 });
  assert.deepEqual(plain(await current.decode(topic, newBytes)), { id: 'y', score: 2 });
});

test('encoding before registerAll is INVALID_CONFIG; an unreachable registry is a retriable DEPENDENCY_FAILED, not a bad message', async () => {
  const orders = scoped.get(Topics.orders) as string;
  await assert.rejects(new SchemaRegistryCodec({ url, schemas: scopedSchemas }).encode(orders, placed('O1', 1, day(1))), (e: ClvError) => e.code === ErrorCodes.INVALID_CONFIG && /registerAll/.test(e.message));
  const port = await closedPort();
  const offline = new SchemaRegistryCodec({ url: `http://127.0.0.1:${port}/apis/ccompat/v7`, schemas: scopedSchemas });
  const bytes = await codec.encode(orders, placed('O1', 1, day(1)));
  for (const attempt of [() => offline.decode(orders, bytes), () => offline.registerAll()]) {
    await assert.rejects(attempt, (e: ClvError) => e.code === ErrorCodes.DEPENDENCY_FAILED && e.retriable && e.message.includes(`127.0.0.1:${port}`));
  }
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
