/**
 * Wraps an EventLog to measure event-to-score latency: the time from the latest input event
 * of a customer to the publication of the next score for that customer. (From the earliest
 * unscored event would also count the wait for a late payment, which is the shop's delay,
 * not the pipeline's.)
 */
import type { ConsumerOptions, EventLog, OutgoingMessage, RunningConsumer } from '../core/ports/event-log.js';
import { Topics, type TopicSpec } from '../core/topics.js';

export class LatencyProbe implements EventLog {
  private readonly pending = new Map<string, number>();
  readonly samplesMs: number[] = [];

  constructor(private readonly inner: EventLog) {}

  createTopics(specs: TopicSpec[]): Promise<void> {
    return this.inner.createTopics(specs);
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const now = performance.now();
    if (topic === Topics.orders || topic === Topics.payments) {
      for (const m of messages) if (m.key !== null) this.pending.set(m.key, now);
    } else if (topic === Topics.scores) {
      for (const m of messages) {
        const since = m.key === null ? undefined : this.pending.get(m.key);
        if (since !== undefined) {
          this.samplesMs.push(now - since);
          this.pending.delete(m.key as string);
        }
      }
    }
    return this.inner.publish(topic, messages);
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
