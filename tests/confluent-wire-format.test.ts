/**
 * The Confluent wire format both codecs share: the header, one reused scratch buffer that
 * grows for a large value, validation by the encoding itself with the bad fields named, and
 * the body read back whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import avro from 'avsc';
import { FramedAvroWriter, HEADER, readBody, schemaIdOf } from '../adapters/avro/confluent-wire-format.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

const type = avro.Type.forSchema({
  type: 'record',
  name: 'Thing',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'count', type: 'int' },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
});

test('wire format: magic byte, the schema id big-endian, then exactly the Avro body', () => {
  const value = { id: 'x', count: 3, kind: 'B', note: 'hi' };
  const bytes = new FramedAvroWriter().write('things', type, 0x01020304, value);
  assert.deepEqual([...bytes.subarray(0, HEADER)], [0, 1, 2, 3, 4]);
  assert.deepEqual(bytes.subarray(HEADER), type.toBuffer(value));
  assert.equal(schemaIdOf('things', bytes), 0x01020304);
  assert.deepEqual({ ...(readBody(type, bytes) as object) }, value);
});

test('wire format: each message is its own copy, and a value larger than the scratch buffer grows it', () => {
  const writer = new FramedAvroWriter();
  const first = writer.write('things', type, 7, { id: 'a', count: 1, kind: 'A', note: null });
  const big = 'z'.repeat(200_000);
  const large = writer.write('things', type, 7, { id: big, count: 2, kind: 'A', note: big });
  const after = writer.write('things', type, 7, { id: 'b', count: 3, kind: 'B', note: null });
  assert.equal((readBody(type, first) as { id: string }).id, 'a', 'not overwritten by later writes');
  assert.equal((readBody(type, large) as { note: string }).note.length, 200_000);
  assert.equal((readBody(type, after) as { id: string }).id, 'b');
});

test('wire format: a value that does not match is INVALID_EVENT naming every bad field', () => {
  const writer = new FramedAvroWriter();
  for (const [value, fields] of [
    [{ id: 'x', count: 1.5, kind: 'A' }, /count=1\.5/],
    [{ id: 7, count: 1, kind: 'C' }, /id=7, kind="C"/],
    [{ id: 'x', count: 1, kind: 'A', note: 3 }, /note=3/],
    [null, /\(root\)=null/],
  ] as const) {
    assert.throws(() => writer.write('things', type, 1, value), (e: ClvError) => {
      assert.equal(e.code, ErrorCodes.INVALID_EVENT);
      assert.match(e.message, /^value does not match things: /);
      assert.match(e.message, fields);
      return true;
    });
  }
  // The writer is still usable after a failed write.
  assert.equal(schemaIdOf('things', writer.write('things', type, 9, { id: 'ok', count: 0, kind: 'A' })), 9);
});

test('wire format: bytes without the header are UNDECODABLE; a truncated or padded body is refused', () => {
  for (const bytes of [Buffer.from('{"json":1}'), Buffer.from([0, 0, 0])]) {
    assert.throws(() => schemaIdOf('things', bytes), (e: ClvError) => e.code === ErrorCodes.UNDECODABLE && /no magic byte/.test(e.message));
  }
  const bytes = new FramedAvroWriter().write('things', type, 1, { id: 'abc', count: 5, kind: 'A', note: 'n' });
  assert.throws(() => readBody(type, bytes.subarray(0, bytes.length - 2)), /truncated/);
  assert.throws(() => readBody(type, Buffer.concat([bytes, Buffer.from([0, 0])])), /2 trailing bytes/);
});
