/**
 * Feeds demo messages to the embedded log in chunks and lets the pipeline drain each
 * chunk, so memory stays bounded by a chunk rather than the whole history. Encoding (the
 * producers' work) is timed apart from processing (the pipeline's work).
 */
import type { EventCodec } from '../../core/ports/event-codec.js';
import type { EventLog } from '../../core/ports/event-log.js';
import { encodeByTopic } from '../../producers/publish-messages.js';
import type { Pipeline } from '../../processors/pipeline.js';
import type { DemoMessage } from './demo-history.js';

export interface ReplayFigures {
  events: number;
  /** Wall time of encoding + processing. */
  seconds: number;
  eventsPerSecond: number;
  /** Time the pipeline took to process, encoding excluded. */
  processingSeconds: number;
  processedPerSecond: number;
  /**
   * CPU time of the whole process (all threads, GC included) while processing: on a machine
   * shared with other work it moves far less than wall time.
   */
  processingCpuSeconds: number;
}

export async function replayMessages(
  target: { log: EventLog; codec: EventCodec; pipeline: Pipeline },
  messages: readonly DemoMessage[],
  options: { chunk?: number; onProgress?: (published: number) => void } = {},
): Promise<ReplayFigures> {
  const chunk = options.chunk ?? 10_000;
  let processingMs = 0;
  let processingCpuUs = 0;
  const start = performance.now();
  for (let i = 0; i < messages.length; i += chunk) {
    const end = Math.min(messages.length, i + chunk);
    const byTopic = await encodeByTopic(target.codec, messages, i, end);
    const published = performance.now();
    const cpu = process.cpuUsage();
    for (const [topic, list] of byTopic) await target.log.publish(topic, list);
    await target.pipeline.waitUntilIdle(1);
    processingMs += performance.now() - published;
    const used = process.cpuUsage(cpu);
    processingCpuUs += used.user + used.system;
    options.onProgress?.(end);
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    events: messages.length,
    seconds,
    eventsPerSecond: messages.length / seconds,
    processingSeconds: processingMs / 1000,
    processedPerSecond: messages.length / (processingMs / 1000),
    processingCpuSeconds: processingCpuUs / 1e6,
  };
}
