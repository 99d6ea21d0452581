/**
 * Feeds the Prometheus metrics (metrics/metrics-registry.ts) from the processors' batch summaries and a
 * periodic consumer-lag poll, keeping prom-client out of the processors.
 */
import { observeProcessing, recordConsumerLag, recordDeadLetter, recordEventsIn, recordEventsOut, recordScores, recordSegmentChange } from './metrics-registry.js';
import type { EventLog } from '../core/ports/event-log.js';
import { Topics } from '../core/topics.js';
import type { Pipeline } from '../processors/pipeline.js';
import type { SegmentChangedEvent } from '../core/events.js';
import type { Output } from '../processors/keyed-processor.js';
import type { BatchSummary } from '../processors/run-keyed-processor.js';

export function prometheusObserver(modelVersion: () => string | null): (summary: BatchSummary) => void {
  return (s) => {
    for (const [topic, n] of Object.entries(s.messagesIn)) recordEventsIn(topic, n);
    for (const [topic, n] of Object.entries(s.messagesOut)) recordEventsOut(topic, n);
    for (const [code, n] of Object.entries(s.deadLetters)) recordDeadLetter(code, n);
    observeProcessing(s.processor, s.seconds);
    const scores = s.messagesOut[Topics.scores];
    if (scores) recordScores(modelVersion() ?? 'none', scores);
    for (const t of segmentTransitions(s.outputs)) recordSegmentChange(t.from, t.to, t.count);
  };
}

/** A consumer group and the topics it reads, whose lag the gauge shows. */
export interface LagSource {
  group: string;
  topics: readonly string[];
}

/** The groups of the processors this process runs (default all of them). */
export function processorLagSources(pipeline: Pipeline, only?: readonly string[]): LagSource[] {
  return pipeline.runners
    .filter(({ processor }) => !only || only.some((n) => processor.name === `clv-${n}`))
    .map(({ processor }) => ({ group: processor.name, topics: [...processor.inputTopics] }));
}

/**
 * Polls the lag of every group this process consumes with (processors, the ClickHouse sink,
 * webhook endpoints) into the consumer-lag gauge; returns a stop function.
 */
export function pollConsumerLag(log: EventLog, sources: readonly LagSource[], everyMs = 10_000): () => void {
  const timer = setInterval(async () => {
    for (const { group, topics } of sources) {
      try {
        recordConsumerLag(group, await log.lag(group, [...topics]));
      } catch {
        // The lag poll is best effort: /readyz reports a log that is down.
      }
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** `from` is null the first time a customer is segmented. */
export interface SegmentTransition {
  from: string | null;
  to: string;
  count: number;
}

/** The segment-change outputs (core/events.ts SegmentChangedEvent) tallied by previous → new segment. */
export function segmentTransitions(outputs: readonly Output[]): SegmentTransition[] {
  const into = new Map<string, SegmentTransition>();
  for (const o of outputs) {
    if (o.topic !== Topics.segmentChanges) continue;
    const { previous_segment: from, segment: to } = o.value as SegmentChangedEvent;
    const key = `${from ?? ''}\u0000${to}`;
    const t = into.get(key);
    if (t) t.count++;
    else into.set(key, { from, to, count: 1 });
  }
  return [...into.values()];
}
