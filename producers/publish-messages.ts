/**
 * Publishes producer messages (events to encode, or raw bytes) onto an event log in
 * chunks, optionally paced to a rate. Used by `clv replay` and `clv generate`.
 */
import type { OrderEvent, PaymentEvent } from '../core/events.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { EventLog, OutgoingMessage } from '../core/ports/event-log.js';

export interface ProducerMessage {
  topic: string;
  key: string;
  value?: OrderEvent | PaymentEvent;
  /** Bytes published as they are (poison input for tests and demos). */
  poison?: Buffer;
}

export interface PublishOptions {
  /** Messages per second; unlimited when absent. */
  rate?: number;
  chunk?: number;
  onProgress?: (published: number) => void;
}

/** Messages encoded and published per step when no rate is set: a step's messages go out topic by topic (encodeByTopic). */
export const PUBLISH_CHUNK = 5000;

export async function publishMessages(log: EventLog, codec: EventCodec, messages: readonly ProducerMessage[], options: PublishOptions = {}): Promise<{ published: number; seconds: number }> {
  // Pacing works in 100 ms slices so a rate of a few hundred per second still flows smoothly.
  const chunk = options.rate ? Math.max(1, Math.round(options.rate / 10)) : options.chunk ?? PUBLISH_CHUNK;
  const started = performance.now();
  for (let i = 0, slice = 0; i < messages.length; i += chunk, slice++) {
    for (const [topic, list] of await encodeByTopic(codec, messages, i, i + chunk)) await log.publish(topic, list);
    options.onProgress?.(Math.min(messages.length, i + chunk));
    if (options.rate) {
      const wait = started + (slice + 1) * 100 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  return { published: messages.length, seconds: (performance.now() - started) / 1000 };
}

/** Encodes messages[from, to) grouped by topic, keeping their order within each topic. */
export async function encodeByTopic(codec: EventCodec, messages: readonly ProducerMessage[], from: number, to: number): Promise<Map<string, OutgoingMessage[]>> {
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (let j = from; j < Math.min(to, messages.length); j++) {
    const m = messages[j];
    let list = byTopic.get(m.topic);
    if (!list) byTopic.set(m.topic, (list = []));
    list.push({ key: m.key, value: m.poison ?? (await codec.encode(m.topic, m.value)) });
  }
  return byTopic;
}
