/**
 * Wraps an EventLog to measure event-to-score latency: the time from the latest input event
 * of a customer to the publication of the next score for that customer. (From the earliest
 * unscored event would also count the wait for a late payment, which is the shop's delay,
 * not the pipeline's.)
 */
import { EventLogDecorator } from './event-log-decorator.js';
import type { OutgoingMessage, PublishOptions, TopicMessages } from '../core/ports/event-log.js';
import { Topics } from '../core/topics.js';

export class LatencyProbe extends EventLogDecorator {
  private readonly pending = new Map<string, number>();
  readonly samplesMs: number[] = [];

  /**
   * An input counts from the call that publishes it (when the shop hands it over); a score
   * counts once its publication is acknowledged, when a subscriber could read it.
   */
  override async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
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

  override async publishAll(batches: TopicMessages[], options?: PublishOptions): Promise<void> {
    const now = performance.now();
    for (const b of batches) {
      if (b.topic === Topics.orders || b.topic === Topics.payments) for (const m of b.messages) if (m.key !== null) this.pending.set(m.key, now);
    }
    return this.inner.publishAll(batches, options);
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
