import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticDemoHistory } from '../app/demo/demo-history.js';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { EncodedMessages } from '../bench/encoded-messages.js';
import type { ProducerMessage } from '../producers/publish-messages.js';

test('EncodedMessages: each message keeps its topic, key and the bytes the codec makes, in order, poison bytes as they are', async () => {
  const history = syntheticDemoHistory({ customers: 60, seed: 3, currency: 'USD', timeZone: 'UTC', minorPerUnit: 100 });
  const messages: ProducerMessage[] = [...history.messages.slice(0, 300), { topic: history.messages[0].topic, key: 'C-poison', poison: Buffer.from('not avro') }];
  const codec = new AvroCodec();
  const encoded = await EncodedMessages.of(codec, messages);
  assert.equal(encoded.length, messages.length);
  assert.ok(new Set(messages.map((m) => m.topic)).size >= 2, 'the sample mixes topics');
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    assert.equal(encoded.topicAt(i), m.topic);
    assert.deepEqual(encoded.at(i), { key: m.key, value: m.poison ?? (await codec.encode(m.topic, m.value)) }, `message ${i}`);
  }
});
