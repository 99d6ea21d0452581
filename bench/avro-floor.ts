/**
 * The Avro floor of an embedded replay (issue 14): the codec work the pipeline could not
 * avoid, done bare. Every message the processors consumed in the measured stretch is decoded
 * and every message they published is encoded, with the project's own codec and nothing
 * else (no processors, stores or log), so `project / floor` says how much of the machine
 * the pipeline spends beyond the serialisation it must do.
 *
 * The work is recorded at the log (CodecWorkRecorder, one array push per publish call, not
 * per message) rather than by wrapping the codec, so the measured pipeline runs its codec
 * exactly as in production. The floor runs in a worker thread (avro-floor-worker.ts) while
 * the pipeline waits: a heap of its own, so neither side pays for collecting the other's
 * garbage — run in the pipeline's heap, the floor was charged with the pipeline's major
 * collections.
 */
import { askWorker } from './ask-worker.js';
import { EventLogDecorator } from './event-log-decorator.js';
import { Worker } from 'node:worker_threads';
import type { AvroCodec } from '../adapters/avro/avro-codec.js';
import type { OutgoingMessage, PublishOptions, TopicMessages } from '../core/ports/event-log.js';
import { Topics } from '../core/topics.js';

/** Topics the processors decode (their inputs) and encode (their outputs, dead letters included). */
const consumed: ReadonlySet<string> = new Set([Topics.orders, Topics.payments, Topics.purchases, Topics.features]);
const produced: ReadonlySet<string> = new Set([Topics.purchases, Topics.features, Topics.scores, Topics.segmentChanges, Topics.deadLetter]);

/** A message as published: its key places it on a partition (the processor floor batches by partition). */
export interface RecordedMessage {
  topic: string;
  key: string | null;
  bytes: Uint8Array;
}

/** Messages in publish order: `decodes` to decode, `encodes` to encode (decoded first, untimed). */
export interface CodecWork {
  decodes: RecordedMessage[];
  encodes: RecordedMessage[];
}

export interface FloorFigures {
  decodes: number;
  encodes: number;
  seconds: number;
  /** CPU time of the process over the same work (see ReplayFigures.processingCpuSeconds). */
  cpuSeconds: number;
}

/** An EventLog that passes everything on and, while recording, keeps what was published. */
export class CodecWorkRecorder extends EventLogDecorator {
  private calls: Array<{ topic: string; messages: OutgoingMessage[] }> | null = null;

  /** Starts keeping publish calls (forgetting any kept before). */
  record(): void {
    this.calls = [];
  }

  /** The decodes and encodes of what was published since `record()`, and stops recording. */
  take(): CodecWork {
    const work: CodecWork = { decodes: [], encodes: [] };
    for (const { topic, messages } of this.calls ?? []) {
      for (const m of messages) {
        if (m.value === null) continue; // a tombstone: nothing to decode or encode
        if (consumed.has(topic)) work.decodes.push({ topic, key: m.key, bytes: m.value });
        if (produced.has(topic)) work.encodes.push({ topic, key: m.key, bytes: m.value });
      }
    }
    this.calls = null;
    return work;
  }

  override publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.calls?.push({ topic, messages });
    return this.inner.publish(topic, messages);
  }

  override publishAll(batches: TopicMessages[], options?: PublishOptions): Promise<void> {
    if (this.calls) for (const b of batches) this.calls.push(b);
    return this.inner.publishAll(batches, options);
  }

}

/**
 * Times the bare codec work: every decode (an undecodable message costs its failed attempt,
 * as in the pipeline), then every encode of the published values (decoded back first,
 * untimed: the same records the processors handed the codec), through the codec's
 * synchronous methods.
 */
export function avroFloor(codec: AvroCodec, work: CodecWork): FloorFigures {
  const decodes = work.decodes.map(({ topic, bytes }) => ({ topic, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }));
  const encodes = work.encodes.map(({ topic, bytes }) => ({ topic, value: codec.decodeSync(topic, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) }));
  let sink = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const { topic, bytes } of decodes) {
    try {
      if (codec.decodeSync(topic, bytes) !== undefined) sink += bytes.length;
    } catch {
      sink -= 1;
    }
  }
  for (const { topic, value } of encodes) sink += codec.encodeSync(topic, value).length;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  // `sink` is used so that no engine may drop the work as dead code.
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
  return { decodes: decodes.length, encodes: encodes.length, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** The floor in a worker thread with its own AvroCodec (same schemas, same code): one `measure` at a time. */
export class AvroFloorWorker {
  private readonly worker = new Worker(new URL('./avro-floor-worker.js', import.meta.url));

  measure(work: CodecWork): Promise<FloorFigures> {
    return askWorker<FloorFigures>(this.worker, work);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
