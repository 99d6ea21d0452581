/**
 * Publishes demo messages onto the embedded log in chunks and lets the pipeline drain each
 * chunk, so memory stays bounded by a chunk rather than the whole history.
 */
import type { EventCodec } from '../../core/ports/event-codec.js';
import type { EventLog, OutgoingMessage } from '../../core/ports/event-log.js';
import type { Pipeline } from '../../processors/pipeline.js';
import type { DemoMessage } from './demo-history.js';

export interface ReplayFigures {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

export async function replayMessages(
  target: { log: EventLog; codec: EventCodec; pipeline: Pipeline },
  messages: readonly DemoMessage[],
  options: { chunk?: number; onProgress?: (published: number) => void } = {},
): Promise<ReplayFigures> {
  const chunk = options.chunk ?? 5000;
  const start = performance.now();
  for (let i = 0; i < messages.length; i += chunk) {
    const byTopic = new Map<string, OutgoingMessage[]>();
    const end = Math.min(messages.length, i + chunk);
    for (let j = i; j < end; j++) {
      const m = messages[j];
      let list = byTopic.get(m.topic);
      if (!list) byTopic.set(m.topic, (list = []));
      list.push({ key: m.key, value: m.poison ?? (await target.codec.encode(m.topic, m.value)) });
    }
    for (const [topic, list] of byTopic) await target.log.publish(topic, list);
    options.onProgress?.(end);
    await target.pipeline.waitUntilIdle(1);
  }
  const seconds = (performance.now() - start) / 1000;
  return { events: messages.length, seconds, eventsPerSecond: messages.length / seconds };
}
