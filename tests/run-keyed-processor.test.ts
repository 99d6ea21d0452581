/**
 * ProcessorRunner's publish step on a fake log: a batch's topics are published together, and
 * state is saved only once every one of them is published; a codec's synchronous methods,
 * when it has them, give what its promise methods give. Fencing: the epoch a hold takes
 * and the write version its saves carry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { DeadLetterEvent } from '../core/events.js';
import { DECODE_NEEDS_IO, type EventCodec } from '../core/ports/event-codec.js';
import { Topics } from '../core/topics.js';
import type { EventLog, OutgoingMessage } from '../core/ports/event-log.js';
import type { KeyedProcessor } from '../processors/keyed-processor.js';
import { ProcessorRunner } from '../processors/run-keyed-processor.js';

const codec: EventCodec = {
  encode: async (_topic, value) => Buffer.from(JSON.stringify(value)),
  decode: async (_topic, bytes) => JSON.parse(bytes.toString()),
};

// Counts events per key; every event yields one output on each of two topics.
const counter: KeyedProcessor<number, { key: string }> = {
  name: 'counter',
  inputTopics: ['in'],
  accept: (_topic, value) => ({ event: value as { key: string } }),
  eventTime: () => 0,
  stateKey: (e) => e.key,
  apply: (state, e) => ({ state: (state ?? 0) + 1, outputs: [{ topic: 'out-a', key: e.key, value: 1 }, { topic: 'out-b', key: e.key, value: 2 }] }),
};

function fakeLog(publish: (topic: string, messages: OutgoingMessage[]) => Promise<void>): EventLog {
  return { publish, publishAll: async (batches) => { await Promise.all(batches.map((b) => publish(b.topic, b.messages))); }, createTopics: async () => {}, consume: async () => ({ stop: async () => {} }), lag: async () => 0, checkWritable: async () => {}, close: async () => {} };
}

/** The control of a batch of the member's `assignment`-th hold on its partition. */
const hold = (assignment: number) => ({ assignment, keepAlive: <T>(work: (signal: AbortSignal) => Promise<T>) => work(new AbortController().signal) });

const batch = { topic: 'in', partition: 0, messages: [{ topic: 'in', partition: 0, offset: '0', key: 'C1', value: Buffer.from(JSON.stringify({ key: 'C1' })) }] };

test('runner: a batch publishes all its topics at once and saves state after all are published', async () => {
  const events: string[] = [];
  const releases: Array<() => void> = [];
  const log = fakeLog((topic) => {
    events.push(`start ${topic}`);
    return new Promise<void>((resolve) => releases.push(() => (events.push(`done ${topic}`), resolve())));
  });
  const store = new InMemoryStateStore<number>();
  const runner = new ProcessorRunner(counter, { log, codec, store });
  const run = runner.processBatch(batch);
  while (releases.length < 2) await new Promise((r) => setImmediate(r));
  assert.deepEqual(events, ['start out-a', 'start out-b'], 'both topics in flight together');
  releases[1]();
  await new Promise((r) => setImmediate(r));
  assert.equal((await store.getMany(['C1'])).get('C1'), undefined, 'no state before every publish is done');
  releases[0]();
  await run;
  assert.equal((await store.getMany(['C1'])).get('C1'), 1);
});

test('runner: when one topic fails to publish the batch fails, after the other publish settled, and saves no state', async () => {
  let otherSettled = false;
  const log = fakeLog(async (topic) => {
    if (topic === 'out-a') throw new Error('broker down');
    await new Promise((r) => setTimeout(r, 20));
    otherSettled = true;
  });
  const store = new InMemoryStateStore<number>();
  const runner = new ProcessorRunner(counter, { log, codec, store });
  await assert.rejects(runner.processBatch(batch), /broker down/);
  assert.ok(otherSettled);
  assert.equal((await store.getMany(['C1'])).get('C1'), undefined);
});

test('runner with fencing: each hold on a partition takes one epoch, and every save of that hold carries it', async () => {
  const taken: string[] = [];
  let next = 40;
  const epochs = { take: async (group: string) => (taken.push(group), ++next) };
  const saves: Array<number | undefined> = [];
  const store = new InMemoryStateStore<number>();
  const setMany = store.setMany.bind(store);
  store.setMany = async (entries, options) => { saves.push(options?.writeVersion); await setMany(entries); };
  const runner = new ProcessorRunner(counter, { log: fakeLog(async () => {}), codec, store, epochs });
  const onPartition = (partition: number) => ({ ...batch, partition, messages: batch.messages.map((m) => ({ ...m, partition })) });
  await runner.processBatch(batch, hold(1));
  await runner.processBatch(batch, hold(1));
  await runner.processBatch(onPartition(1), hold(1));
  await runner.processBatch(batch, hold(2)); // reassigned after a rebalance: a new epoch
  assert.deepEqual(taken, ['counter', 'counter', 'counter']);
  assert.deepEqual(saves, [41, 41, 42, 43]);
});

test('runner with fencing: a save refused as stale fails the batch (not committed); without epochs saves carry no version', async () => {
  const stale = Object.assign(new Error('stale write refused'), { retriable: false });
  const refusing = new InMemoryStateStore<number>();
  refusing.setMany = async () => { throw stale; };
  const fenced = new ProcessorRunner(counter, { log: fakeLog(async () => {}), codec, store: refusing, epochs: { take: async () => 7 } });
  await assert.rejects(fenced.processBatch(batch, hold(1)), (e) => e === stale);

  const versions: Array<number | undefined> = [];
  const plain = new InMemoryStateStore<number>();
  const setMany = plain.setMany.bind(plain);
  plain.setMany = async (entries, options) => { versions.push(options?.writeVersion); await setMany(entries); };
  await new ProcessorRunner(counter, { log: fakeLog(async () => {}), codec, store: plain }).processBatch(batch, hold(1));
  assert.deepEqual(versions, [undefined]);
});

test('runner: a tombstone (an erased customer on a compacted topic) is skipped: no state, no output, no dead letter', async () => {
  const published: string[] = [];
  const store = new InMemoryStateStore<number>();
  const runner = new ProcessorRunner(counter, { log: fakeLog(async (topic) => void published.push(topic)), codec, store });
  await runner.processBatch({ ...batch, messages: [{ ...batch.messages[0], value: null }] });
  assert.deepEqual(published, []);
  assert.equal(await store.size(), 0);
  assert.deepEqual(runner.stats.deadLetters, {});
});

// The same JSON codec with synchronous methods; its promise methods fail, so a test fails if
// the runner awaits the codec when it need not.
const syncCodec: EventCodec = {
  encode: async () => assert.fail('encode awaited though encodeSync exists'),
  decode: async () => assert.fail('decode awaited though decodeSync exists'),
  encodeSync: (_topic, value) => {
    if (value === 'unencodable') throw new ClvError(ErrorCodes.INVALID_EVENT, 'value does not match out-b');
    return Buffer.from(JSON.stringify(value));
  },
  decodeSync: (_topic, bytes) => JSON.parse(bytes.toString()),
};

function recordingLog() {
  const published: Array<{ topic: string; key: string | null; value: string }> = [];
  const log = fakeLog(async (topic, messages) => {
    for (const m of messages) published.push({ topic, key: m.key, value: m.value!.toString() });
  });
  return { log, published };
}

const message = (offset: number, key: string, value: string) => ({ topic: 'in', partition: 0, offset: String(offset), key, value: Buffer.from(value) });

test('runner: a codec with synchronous methods is used through them, with the outputs and state of the promise path', async () => {
  const runs = [];
  for (const c of [codec, syncCodec]) {
    const { log, published } = recordingLog();
    const store = new InMemoryStateStore<number>();
    const runner = new ProcessorRunner(counter, { log, codec: c, store });
    await runner.processBatch({ topic: 'in', partition: 0, messages: [message(0, 'C1', '{"key":"C1"}'), message(1, 'C2', '{"key":"C2"}'), message(2, 'C1', '{"key":"C1"}')] });
    runs.push({ published, state: Object.fromEntries(await store.getMany(['C1', 'C2'])) });
  }
  assert.deepEqual(runs[1], runs[0]);
  assert.deepEqual(runs[1].state, { C1: 2, C2: 1 });
  assert.equal(runs[1].published.length, 6);
});

test('runner, synchronous codec: undecodable bytes and an event with an output that does not encode are dead-lettered, none of that event\'s outputs published', async () => {
  const processor: KeyedProcessor<number, { key: string; b?: string }> = {
    ...counter,
    accept: (_topic, value) => ({ event: value as { key: string; b?: string } }),
    apply: (state, e) => ({ state: (state ?? 0) + 1, outputs: [{ topic: 'out-a', key: e.key, value: 1 }, { topic: 'out-b', key: e.key, value: e.b ?? 2 }] }),
  } as KeyedProcessor<number, { key: string; b?: string }>;
  const { log, published } = recordingLog();
  const store = new InMemoryStateStore<number>();
  const runner = new ProcessorRunner(processor, { log, codec: syncCodec, store, now: () => 0 });
  await runner.processBatch({ topic: 'in', partition: 0, messages: [message(0, 'C1', 'not json'), message(1, 'C2', '{"key":"C2","b":"unencodable"}'), message(2, 'C3', '{"key":"C3"}')] });
  const dead = published.filter((p) => p.topic === Topics.deadLetter).map((p) => JSON.parse(p.value) as DeadLetterEvent);
  assert.deepEqual(dead.map((d) => [d.key, d.error_code]), [['C1', ErrorCodes.UNDECODABLE], ['C2', ErrorCodes.INVALID_EVENT]]);
  assert.deepEqual(published.filter((p) => p.topic !== Topics.deadLetter).map((p) => [p.topic, p.key]), [['out-a', 'C3'], ['out-b', 'C3']]);
  assert.deepEqual(Object.fromEntries(await store.getMany(['C1', 'C2', 'C3'])), { C3: 1 });
});

test('runner: bytes the codec cannot decode without waiting (DECODE_NEEDS_IO) are decoded by its promise method, in their place in the batch', async () => {
  // Synchronous for keys it "knows"; C2's bytes need the promise path, as a schema id not
  // fetched yet does for the schema-registry codec.
  const awaited: string[] = [];
  const partlySync: EventCodec = {
    ...syncCodec,
    decode: async (_topic, bytes) => {
      const value = JSON.parse(bytes.toString()) as { key: string };
      awaited.push(value.key);
      return value;
    },
    decodeSync: (_topic, bytes) => {
      const value = JSON.parse(bytes.toString()) as { key: string };
      return value.key === 'C2' ? DECODE_NEEDS_IO : value;
    },
  };
  const { log, published } = recordingLog();
  const store = new InMemoryStateStore<number>();
  const runner = new ProcessorRunner(counter, { log, codec: partlySync, store });
  await runner.processBatch({ topic: 'in', partition: 0, messages: [message(0, 'C1', '{"key":"C1"}'), message(1, 'C2', '{"key":"C2"}'), message(2, 'C1', '{"key":"C1"}')] });
  assert.deepEqual(awaited, ['C2']);
  assert.deepEqual(published.filter((p) => p.topic === 'out-a').map((p) => p.key), ['C1', 'C2', 'C1']);
  assert.deepEqual(Object.fromEntries(await store.getMany(['C1', 'C2'])), { C1: 2, C2: 1 });
  assert.deepEqual(runner.stats.deadLetters, {});
});
