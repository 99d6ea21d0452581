/**
 * The Avro floor of an embedded replay (issue 14): the codec work the pipeline could not
 * avoid, done bare. Every message the processors consumed in the measured stretch is decoded
 * and every message they published is encoded, with the project's own codec and nothing
 * else (no processors, no stores, no log), so `project / floor` says how much of the machine
 * the pipeline spends beyond the serialisation it must do.
 *
 * The work is read off the embedded log itself after the stretch, not counted by wrapping
 * the codec: the measured pipeline runs exactly as it does in production.
 */
import type { AvroCodec } from '../adapters/avro/avro-codec.js';
import type { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { Topics } from '../core/topics.js';

/** Topics the processors decode (their inputs) and encode (their outputs, dead letters included). */
const consumed = [Topics.orders, Topics.payments, Topics.purchases, Topics.features] as const;
const produced = [Topics.purchases, Topics.features, Topics.scores, Topics.segmentChanges, Topics.deadLetter] as const;

export interface CodecWork {
  decodes: Array<{ topic: string; bytes: Buffer }>;
  encodes: Array<{ topic: string; value: unknown }>;
}

export interface FloorFigures {
  events: number;
  decodes: number;
  encodes: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU time of the process over the same work (see ReplayFigures.processingCpuSeconds). */
  cpuSeconds: number;
}

/** The message values now in the log: call before a stretch, pass to `codecWorkSince` after it. */
export function logSnapshot(log: InMemoryEventLog): Set<Buffer> {
  const seen = new Set<Buffer>();
  for (const topic of new Set([...consumed, ...produced])) for (const m of log.read(topic)) seen.add(m.value);
  return seen;
}

/**
 * The decodes and encodes of the messages published since `before`. The values to encode are
 * the published messages decoded back (outside any timing): the same records the processors
 * handed the codec.
 */
export function codecWorkSince(log: InMemoryEventLog, codec: AvroCodec, before: ReadonlySet<Buffer>): CodecWork {
  const work: CodecWork = { decodes: [], encodes: [] };
  for (const topic of consumed) for (const m of log.read(topic)) if (!before.has(m.value)) work.decodes.push({ topic, bytes: m.value });
  for (const topic of produced) for (const m of log.read(topic)) if (!before.has(m.value)) work.encodes.push({ topic, value: codec.decodeSync(topic, m.value) });
  return work;
}

/**
 * Times the bare codec work: every decode (an undecodable message costs its failed attempt,
 * as in the pipeline), then every encode, through the codec's synchronous methods.
 */
export function avroFloor(codec: AvroCodec, work: CodecWork, events: number): FloorFigures {
  let bytes = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const { topic, bytes: b } of work.decodes) {
    try {
      if (codec.decodeSync(topic, b) !== undefined) bytes += b.length;
    } catch {
      bytes -= 1;
    }
  }
  for (const { topic, value } of work.encodes) bytes += codec.encodeSync(topic, value).length;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  // `bytes` is used so that no engine may drop the work as dead code.
  if (bytes === Number.MIN_SAFE_INTEGER) console.log(bytes);
  return { events, decodes: work.decodes.length, encodes: work.encodes.length, seconds, eventsPerSecond: events / seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}
