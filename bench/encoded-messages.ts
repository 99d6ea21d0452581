/**
 * The load generator's input, encoded once and packed (adapters/in-memory/partition-log.ts):
 * a real producer is another process, and its copy of the input, kept as hundreds of
 * thousands of message objects in the heap under test, would be marked by every major
 * collection the pipeline pays for.
 */
import { PartitionLog } from '../adapters/in-memory/partition-log.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { EventLog, OutgoingMessage } from '../core/ports/event-log.js';
import type { ProducerMessage } from '../producers/publish-messages.js';
import type { Pipeline } from '../processors/pipeline.js';

export class EncodedMessages {
  private readonly topics: string[] = [];
  private readonly topicOf: Uint8Array;
  private readonly messages = new PartitionLog();

  private constructor(length: number) {
    this.topicOf = new Uint8Array(length);
  }

  /** Encodes `messages` in order (poison bytes as they are). */
  static async of(codec: EventCodec, messages: readonly ProducerMessage[]): Promise<EncodedMessages> {
    const encoded = new EncodedMessages(messages.length);
    for (const m of messages) encoded.push(m.topic, { key: m.key, value: m.poison ?? (await codec.encode(m.topic, m.value)) });
    return encoded;
  }

  get length(): number {
    return this.messages.length;
  }

  topicAt(i: number): string {
    return this.topics[this.topicOf[i]];
  }

  at(i: number): OutgoingMessage {
    return this.messages.at(i);
  }

  private push(topic: string, message: OutgoingMessage): void {
    let t = this.topics.indexOf(topic);
    if (t < 0) t = this.topics.push(topic) - 1;
    this.topicOf[this.messages.length] = t;
    this.messages.append(message);
  }
}

/**
 * Messages [from, to) at full speed, as app/demo/replay-messages.ts does (chunks of 10,000
 * published topic by topic, the pipeline drained after each); the figure is processing only.
 */
export async function replayEncoded(target: { log: EventLog; pipeline: Pipeline }, messages: EncodedMessages, from: number, to: number) {
  const chunk = 10_000;
  let processingMs = 0;
  for (let i = from; i < to; i += chunk) {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (let j = i; j < Math.min(to, i + chunk); j++) {
      const topic = messages.topicAt(j);
      let list = byTopic.get(topic);
      if (list === undefined) byTopic.set(topic, (list = []));
      list.push(messages.at(j));
    }
    const published = performance.now();
    for (const [topic, list] of byTopic) await target.log.publish(topic, list);
    await target.pipeline.waitUntilIdle(1);
    processingMs += performance.now() - published;
  }
  return { events: to - from, processedPerSecond: (to - from) / (processingMs / 1000) };
}
