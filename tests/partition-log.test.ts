import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { KeyPool, PartitionLog } from '../adapters/in-memory/partition-log.js';
import type { OutgoingMessage } from '../core/ports/event-log.js';

test('PartitionLog: every message reads back as appended, across index growth and chunk boundaries', () => {
  const log = new PartitionLog();
  const appended: OutgoingMessage[] = [];
  // ~5,000 messages of up to 2 KiB: several 1 MiB chunks, and the offset index grown past its first 1,024.
  for (let i = 0; i < 5_000; i++) {
    const m: OutgoingMessage = i % 97 === 0 ? { key: `C${i}`, value: null } : { key: i % 89 === 0 ? null : `C${i % 300}`, value: randomBytes((i * 7919) % 2_048) };
    log.append(m);
    appended.push(m);
  }
  assert.equal(log.length, appended.length);
  appended.forEach((m, offset) => assert.deepEqual(log.at(offset), m, `offset ${offset}`));
});

test('PartitionLog: a value larger than a chunk gets a chunk of its own, and the next value still fits after it', () => {
  const log = new PartitionLog();
  const small = randomBytes(100);
  const huge = randomBytes((1 << 20) + 5);
  log.append({ key: 'a', value: small });
  log.append({ key: 'b', value: huge });
  log.append({ key: 'c', value: small });
  assert.deepEqual(log.at(0).value, small);
  assert.deepEqual(log.at(1).value, huge);
  assert.deepEqual(log.at(2).value, small);
});

test('PartitionLog: an empty value is not a tombstone', () => {
  const log = new PartitionLog();
  log.append({ key: 'a', value: Buffer.alloc(0) });
  log.append({ key: 'a', value: null });
  assert.deepEqual(log.at(0), { key: 'a', value: Buffer.alloc(0) });
  assert.deepEqual(log.at(1), { key: 'a', value: null });
});

test('PartitionLog: the log keeps its own copy: changing the published buffer afterwards changes nothing', () => {
  const log = new PartitionLog();
  const value = Buffer.from('original');
  log.append({ key: 'a', value });
  value.write('changed!');
  assert.equal(log.at(0).value?.toString(), 'original');
});

test('PartitionLog: partitions sharing a key pool each read back their own keys, one string per distinct key', () => {
  const keys = new KeyPool();
  const [a, b] = [new PartitionLog(keys), new PartitionLog(keys)];
  a.append({ key: 'C1', value: Buffer.from('x') });
  b.append({ key: 'C2', value: Buffer.from('y') });
  b.append({ key: 'C1', value: null });
  a.append({ key: null, value: Buffer.from('z') });
  assert.deepEqual([a.keyAt(0), a.keyAt(1), b.keyAt(0), b.keyAt(1)], ['C1', null, 'C2', 'C1']);
  assert.deepEqual([keys.numberOf('C1'), keys.numberOf('C2'), keys.numberOf('C3')], [0, 1, 2]);
  assert.equal(keys.keyOf(2), 'C3');
});
