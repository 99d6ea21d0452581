/**
 * An EventLog that hands every call to another one. The bench's probes (latency-probe.ts,
 * avro-floor.ts) extend it and override only the publishing calls they watch.
 */
import type { ConsumerOptions, EventLog, OutgoingMessage, PublishOptions, RunningConsumer, TopicMessages } from '../core/ports/event-log.js';
import type { TopicSpec } from '../core/topics.js';

export class EventLogDecorator implements EventLog {
  constructor(protected readonly inner: EventLog) {}

  createTopics(specs: TopicSpec[]): Promise<void> {
    return this.inner.createTopics(specs);
  }

  publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    return this.inner.publish(topic, messages);
  }

  publishAll(batches: TopicMessages[], options?: PublishOptions): Promise<void> {
    return this.inner.publishAll(batches, options);
  }

  consume(options: ConsumerOptions): Promise<RunningConsumer> {
    return this.inner.consume(options);
  }

  lag(groupId: string, topics: string[]): Promise<number> {
    return this.inner.lag(groupId, topics);
  }

  checkWritable(topic: string): Promise<void> {
    return this.inner.checkWritable(topic);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
