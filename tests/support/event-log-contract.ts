/**
 * The EventLog port's contract, as one suite that every adapter runs (embedded now, Kafka
 * in the integration suite).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventLog, IncomingMessage, MessageBatch } from '../../core/ports/event-log.js';

let topicSeq = 0;
const freshTopic = () => `contract-${process.pid}-${Date.now()}-${topicSeq++}`;
const msg = (key: string, i: number) => ({ key, value: Buffer.from(`${key}:${i}`) });

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function eventLogContract(adapter: string, makeLog: () => Promise<EventLog>): void {
  test(`${adapter}: one key stays on one partition, in publish order`, async () => {
    const log = await makeLog();
    const topic = freshTopic();
    await log.createTopics([{ name: topic, partitions: 4, compacted: false }]);
    const keys = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'];
    for (let i = 0; i < 20; i++) await log.publish(topic, keys.map((k) => msg(k, i)));
    const seen: IncomingMessage[] = [];
    const consumer = await log.consume({ groupId: `g-${topic}`, topics: [topic], fromBeginning: true, eachBatch: async (b) => void seen.push(...b.messages) });
    await until(() => seen.length === 120, '120 messages');
    await consumer.stop();
    for (const k of keys) {
      const mine = seen.filter((m) => m.key === k);
      assert.equal(new Set(mine.map((m) => m.partition)).size, 1, `${k} on one partition`);
      assert.deepEqual(mine.map((m) => String(m.value)), Array.from({ length: 20 }, (_, i) => `${k}:${i}`));
    }
    await log.close();
  });

  test(`${adapter}: a created topic is writable; a topic never created is not`, async () => {
    const log = await makeLog();
    try {
      const topic = freshTopic();
      await log.createTopics([{ name: topic, partitions: 3, compacted: false }]);
      await log.checkWritable(topic);
      await assert.rejects(log.checkWritable(`${topic}-never-created`));
    } finally {
      await log.close();
    }
  });

  test(`${adapter}: publishAll publishes every topic of the call, or none (an unknown topic, an expired deadline)`, async () => {
    const log = await makeLog();
    try {
      const [a, b] = [freshTopic(), freshTopic()];
      await log.createTopics([{ name: a, partitions: 2, compacted: false }, { name: b, partitions: 2, compacted: false }]);
      await assert.rejects(log.publishAll([{ topic: a, messages: [msg('C1', 0)] }, { topic: `${b}-never-created`, messages: [msg('C1', 1)] }]));
      const expired = new AbortController();
      expired.abort();
      await assert.rejects(log.publishAll([{ topic: a, messages: [msg('C1', 2)] }, { topic: b, messages: [msg('C1', 3)] }], { signal: expired.signal }), /nothing was published/);
      await log.publishAll([{ topic: a, messages: [msg('C1', 4)] }, { topic: b, messages: [msg('C1', 5), msg('C2', 6)] }]);
      const seen: IncomingMessage[] = [];
      const consumer = await log.consume({ groupId: `g-${a}`, topics: [a, b], fromBeginning: true, eachBatch: async (batch) => void seen.push(...batch.messages) });
      await until(() => seen.length >= 3, '3 messages');
      await consumer.stop();
      assert.deepEqual(seen.map((m) => `${m.topic === a ? 'a' : 'b'}:${m.value}`).sort(), ['a:C1:4', 'b:C1:5', 'b:C2:6']);
    } finally {
      await log.close();
    }
  });

  test(`${adapter}: a failed batch is redelivered; a committed one is not`, async () => {
    const log = await makeLog();
    const topic = freshTopic();
    await log.createTopics([{ name: topic, partitions: 1, compacted: false }]);
    await log.publish(topic, [msg('C1', 0), msg('C1', 1), msg('C1', 2)]);
    let failures = 1;
    const delivered: string[] = [];
    const consumer = await log.consume({
      groupId: `g-${topic}`, topics: [topic], fromBeginning: true,
      eachBatch: async (b: MessageBatch) => {
        if (failures-- > 0) throw new Error('store is down');
        delivered.push(...b.messages.map((m) => String(m.value)));
      },
    });
    await until(() => delivered.length >= 3, 'redelivery');
    await until(async () => (await log.lag(`g-${topic}`, [topic])) === 0, 'commit');
    await consumer.stop();
    assert.deepEqual(delivered, ['C1:0', 'C1:1', 'C1:2']);
    // A new member of the same group starts after the committed offset.
    await log.publish(topic, [msg('C1', 3)]);
    const after: string[] = [];
    const second = await log.consume({ groupId: `g-${topic}`, topics: [topic], fromBeginning: true, eachBatch: async (b) => void after.push(...b.messages.map((m) => String(m.value))) });
    await until(() => after.length >= 1, 'the new message');
    await second.stop();
    assert.deepEqual(after, ['C1:3']);
    await log.close();
  });

  test(`${adapter}: two members of a group share the partitions, each message once`, async () => {
    const log = await makeLog();
    const topic = freshTopic();
    await log.createTopics([{ name: topic, partitions: 4, compacted: false }]);
    const byMember: string[][] = [[], []];
    const consumers = await Promise.all([0, 1].map((i) =>
      log.consume({ groupId: `g-${topic}`, topics: [topic], fromBeginning: true, eachBatch: async (b) => void byMember[i].push(...b.messages.map((m) => String(m.value))) }),
    ));
    await new Promise((r) => setTimeout(r, 50));
    const keys = Array.from({ length: 40 }, (_, i) => `C${i}`);
    await log.publish(topic, keys.map((k) => msg(k, 0)));
    await until(() => byMember[0].length + byMember[1].length >= 40, 'all messages');
    await until(async () => (await log.lag(`g-${topic}`, [topic])) === 0, 'commit');
    await Promise.all(consumers.map((c) => c.stop()));
    assert.equal(new Set([...byMember[0], ...byMember[1]]).size, 40);
    assert.ok(byMember[0].length > 0 && byMember[1].length > 0, 'both members got partitions');
    await log.close();
  });

  test(`${adapter}: lag counts what a group has not committed`, async () => {
    const log = await makeLog();
    const topic = freshTopic();
    await log.createTopics([{ name: topic, partitions: 2, compacted: false }]);
    await log.publish(topic, [msg('a', 0), msg('b', 0), msg('c', 0)]);
    assert.equal(await log.lag(`g-${topic}`, [topic]), 3);
    await log.close();
  });
}
