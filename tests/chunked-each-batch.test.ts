import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { chunkedEachBatch } from '../adapters/kafka/chunked-each-batch.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { MessageBatch } from '../core/ports/event-log.js';

/** A kafkajs eachBatch payload for offsets first…first+count-1 that records what the handler does. */
function fakePayload(count: number, first = 10, stopAfterCommits = Infinity) {
  const events: string[] = [];
  let resolved: string | null = null;
  let commits = 0;
  const messages = Array.from({ length: count }, (_, i) => ({
    offset: String(first + i), key: Buffer.from(`C${i}`), value: Buffer.from(`v${i}`), timestamp: '0', attributes: 0, headers: {},
  })) as unknown as KafkaMessage[];
  const payload = {
    batch: { topic: 't', partition: 3, messages },
    resolveOffset: (offset: string) => { resolved = String(Number(offset) + 1); events.push(`resolve ${offset}`); },
    uncommittedOffsets: () => ({ topics: resolved === null ? [] : [{ topic: 't', partitions: [{ partition: 3, offset: resolved }] }] }),
    commitOffsetsIfNecessary: async (o?: { topics: { partitions: { offset: string }[] }[] }) => { commits++; events.push(`commit ${o?.topics[0]?.partitions[0]?.offset}`); },
    heartbeat: async () => void events.push('heartbeat'),
    isRunning: () => commits < stopAfterCommits,
    isStale: () => false,
    pause: () => () => {},
  } as unknown as EachBatchPayload;
  return { payload, events };
}

const timing = { intervalMs: 1_000, deadlineMs: 8_000 };
const offsets = (b: MessageBatch) => b.messages.map((m) => m.offset).join(',');

test('a fetched batch is handed on in chunks of at most maxBatchSize, each committed (next offset) after it resolved', async () => {
  const { payload, events } = fakePayload(5);
  await chunkedEachBatch({ groupId: 'g', assignment: () => 7, keepAlive: timing, maxBatchSize: 2, eachBatch: async (b) => void events.push(`handle ${offsets(b)}`) })(payload);
  assert.deepEqual(events, [
    'handle 10,11', 'resolve 11', 'commit 12', 'heartbeat',
    'handle 12,13', 'resolve 13', 'commit 14', 'heartbeat',
    'handle 14', 'resolve 14', 'commit 15', 'heartbeat',
  ]);
});

test('a failing chunk is neither resolved nor committed; the error is retriable, keeps its cause and is reported', async () => {
  const { payload, events } = fakePayload(5);
  const reported: unknown[] = [];
  const cause = new TypeError('x is undefined');
  const handler = chunkedEachBatch({
    groupId: 'g', assignment: () => 7, keepAlive: timing, maxBatchSize: 2,
    eachBatch: async (b) => { events.push(`handle ${offsets(b)}`); if (b.messages[0].offset === '12') throw cause; },
    onBatchError: (error, context) => reported.push({ error, context }),
  });
  await assert.rejects(handler(payload), (e: ClvError) => {
    // kafkajs gives up on TypeError or retriable: false; the wrapper makes it back off and retry.
    assert.equal(e.code, ErrorCodes.DEPENDENCY_FAILED);
    assert.equal(e.retriable, true);
    assert.equal(e.cause, cause);
    assert.match(e.message, /t\/3 at offset 12: x is undefined/);
    return true;
  });
  // The heartbeat after the failure tells an evicted member at once (kafkajs then rejoins).
  assert.deepEqual(events, ['handle 10,11', 'resolve 11', 'commit 12', 'heartbeat', 'handle 12,13', 'heartbeat']);
  assert.deepEqual(reported, [{ error: cause, context: { groupId: 'g', topic: 't', partition: 3, offset: '12' } }]);
});

test('a stop request ends the batch after the chunk in hand is committed', async () => {
  const { payload, events } = fakePayload(5, 0, 1);
  await chunkedEachBatch({ groupId: 'g', assignment: () => 7, keepAlive: timing, maxBatchSize: 2, eachBatch: async (b) => void events.push(`handle ${offsets(b)}`) })(payload);
  assert.deepEqual(events, ['handle 0,1', 'resolve 1', 'commit 2', 'heartbeat']);
});

test('messages keep topic, partition and offset; keys become strings; a tombstone keeps its null value', async () => {
  const { payload } = fakePayload(2);
  const messages = (payload.batch.messages as unknown as { key: Buffer | null; value: Buffer | null }[]);
  messages[1].key = null;
  messages[1].value = null;
  const seen: MessageBatch[] = [];
  await chunkedEachBatch({ groupId: 'g', assignment: () => 7, keepAlive: timing, maxBatchSize: 10, eachBatch: async (b) => void seen.push(b) })(payload);
  assert.deepEqual(seen, [{ topic: 't', partition: 3, messages: [
    { topic: 't', partition: 3, offset: '10', key: 'C0', value: Buffer.from('v0') },
    { topic: 't', partition: 3, offset: '11', key: null, value: null },
  ] }]);
});

test('maxBatchSize must be a positive integer', () => {
  for (const maxBatchSize of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => chunkedEachBatch({ groupId: 'g', assignment: () => 7, keepAlive: timing, maxBatchSize, eachBatch: async () => {} }), (e: ClvError) => e.code === ErrorCodes.INVALID_CONFIG);
  }
});

test("the handler is told the member's hold on the partition, read once as the fetched batch starts", async () => {
  const { payload } = fakePayload(4);
  let assignment = 3;
  const seen: number[] = [];
  await chunkedEachBatch({ groupId: 'g', assignment: () => assignment, keepAlive: timing, maxBatchSize: 2, eachBatch: async (_b, control) => {
    seen.push(control.assignment);
    assignment = 4; // a rebalance while the batch is in hand: its chunks still belong to the old hold
  } })(payload);
  assert.deepEqual(seen, [3, 3]);
});
