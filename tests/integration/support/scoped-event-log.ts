/**
 * An EventLog that renames every topic and consumer group with a run-scoped suffix on its way
 * to the real broker, and back on the way in: production code (processors, the sink, the
 * erasure) runs unchanged on the shared Kafka without touching the clv topics and groups that
 * other runs use. What a consumer sees carries the canonical topic names, so codecs and
 * processors behave exactly as in production.
 */
import type { EventLog } from '../../../core/ports/event-log.js';

export function scopedEventLog(inner: EventLog, suffix: string): EventLog & { scoped: (name: string) => string } {
  const out = (name: string) => `${name}.${suffix}`;
  const back = (name: string) => name.slice(0, -(suffix.length + 1));
  return {
    scoped: out,
    createTopics: (specs) => inner.createTopics(specs.map((s) => ({ ...s, name: out(s.name) }))),
    publish: (topic, messages) => inner.publish(out(topic), messages),
    publishAll: (batches, options) => inner.publishAll(batches.map((b) => ({ ...b, topic: out(b.topic) })), options),
    consume: (options) => inner.consume({
      ...options,
      groupId: out(options.groupId),
      topics: options.topics.map(out),
      eachBatch: (batch, control) => options.eachBatch({
        topic: back(batch.topic),
        partition: batch.partition,
        messages: batch.messages.map((m) => ({ ...m, topic: back(m.topic) })),
      }, control),
    }),
    lag: (groupId, topics) => inner.lag(out(groupId), topics.map(out)),
    checkWritable: (topic) => inner.checkWritable(out(topic)),
    close: () => inner.close(),
  };
}
