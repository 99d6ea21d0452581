/**
 * Wraps an EventLog to measure event-to-score latency: the time from the latest input event
 * of a customer to the publication of the next score for that customer. (From the earliest
 * unscored event would also count the wait for a late payment, which is the shop's delay,
 * not the pipeline's.)
 */
import type { ConsumerOptions, EventLog, OutgoingMessage, PublishOptions, RunningConsumer, TopicMessages } from '../core/ports/event-log.js';
import { Topics, type TopicSpec } from '../core/topics.js';

export class LatencyProbe implements EventLog {
  private readonly pending = new Map<string, number>();
  readonly samplesMs: number[] = [];

  constructor(private readonly inner: EventLog) {}

  createTopics(specs: TopicSpec[]): Promise<void> {
    return this.inner.createTopics(specs);
  }

  /**
   * An input counts from the call that publishes it (when the shop hands it over); a score
   * counts once its publication is acknowledged, when a subscriber could read it.
   */
  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (topic === Topics.orders || topic === Topics.payments) {
      const now = performance.now();
      for (const m of messages) if (m.key !== null) this.pending.set(m.key, now);
      return this.inner.publish(topic, messages);
    }
    if (topic !== Topics.scores) return this.inner.publish(topic, messages);
    const since = messages.map((m) => (m.key === null ? undefined : this.pending.get(m.key)));
    await this.inner.publish(topic, messages);
    const now = performance.now();
    messages.forEach((m, i) => {
      const from = since[i];
      // A newer input of the customer while the score was in flight starts a new wait.
      if (from !== undefined && this.pending.get(m.key as string) === from) {
        this.samplesMs.push(now - from);
        this.pending.delete(m.key as string);
      }
    });
  }

  async publishAll(batches: TopicMessages[], options?: PublishOptions): Promise<void> {
    const now = performance.now();
    for (const b of batches) {
      if (b.topic === Topics.orders || b.topic === Topics.payments) for (const m of b.messages) if (m.key !== null) this.pending.set(m.key, now);
    }
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

  /** Forgets customers whose events produced no score (e.g. a failed payment). */
  reset(): void {
    this.pending.clear();
    this.samplesMs.length = 0;
  }
}

export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
