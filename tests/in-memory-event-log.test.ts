import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { eventLogContract } from './support/event-log-contract.js';

eventLogContract('in-memory event log', async () => new InMemoryEventLog({ maxBackoffMs: 20 }));

test('in-memory event log: seek replays a partition from an offset', async () => {
  const log = new InMemoryEventLog();
  await log.createTopics([{ name: 't', partitions: 1, compacted: false }]);
  await log.publish('t', [0, 1, 2].map((i) => ({ key: 'k', value: Buffer.from(String(i)) })));
  const seen: string[] = [];
  const c = await log.consume({ groupId: 'g', topics: ['t'], fromBeginning: true, eachBatch: async (b) => void seen.push(...b.messages.map((m) => String(m.value))) });
  while ((await log.lag('g', ['t'])) > 0) await new Promise((r) => setTimeout(r, 5));
  log.seek('g', 't', 0, 1);
  while (seen.length < 5) await new Promise((r) => setTimeout(r, 5));
  await c.stop();
  assert.deepEqual(seen, ['0', '1', '2', '1', '2']);
});

test('in-memory event log: read returns every message with its offset', async () => {
  const log = new InMemoryEventLog();
  await log.createTopics([{ name: 't', partitions: 3, compacted: false }]);
  await log.publish('t', [{ key: 'a', value: Buffer.from('x') }, { key: 'b', value: Buffer.from('y') }]);
  assert.equal(log.read('t').length, 2);
  assert.throws(() => log.read('missing'), /unknown topic missing/);
});
