/**
 * The processors' floor of an embedded replay: what the three processors do with what they
 * consumed, and nothing around them. Each consumed message is decoded, accepted, applied to
 * its key's state and its outputs encoded, with the pipeline's own processors and codec,
 * batch by batch per partition as the runner does (so the features processor coalesces its
 * updates per batch as in the pipeline) — but the states live in plain Maps of objects, and
 * there is no log, no state codec, no runner bookkeeping, no read model and no promise per
 * batch beyond the scoring processor's prepareBatch.
 *
 * The Avro floor (avro-floor.ts) says how far the pipeline is from the serialisation it
 * cannot avoid; this one splits that distance in two: `pipeline / processor floor` is what
 * the plumbing costs, `processor floor / Avro floor` what the processors' own logic (joins,
 * deduplication, features, scoring) costs — the best ratio to the Avro floor that any
 * plumbing could reach.
 *
 * It runs in a worker thread of its own (processor-floor-worker.ts), for the same reason as
 * the Avro floor: a heap of its own, so that neither side pays for the other's garbage. Its
 * states persist from one `measure` to the next, as the pipeline's do; `reset` starts again.
 */
import { Worker } from 'node:worker_threads';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { partitionFor } from '../adapters/kafka/murmur2-partitioner.js';
import { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { streamPipeline } from '../app/stream-pipeline.js';
import type { Config } from '../config/config.js';
import type { CustomerValueModel } from '../core/customer-value-model.js';
import type { KeyedProcessor, Output, ProcessingContext } from '../processors/keyed-processor.js';
import type { Pipeline } from '../processors/pipeline.js';
import { askWorker } from './ask-worker.js';
import type { RecordedMessage } from './avro-floor.js';
import { objectStateStores } from './object-state-stores.js';

export interface ProcessorFloorFigures {
  /** Messages decoded (all consumed ones, undecodable ones included). */
  decodes: number;
  /** Outputs encoded (dead letters not counted: the floor leaves them out). */
  encodes: number;
  seconds: number;
  /** CPU time of the process over the same work (see ReplayFigures.processingCpuSeconds). */
  cpuSeconds: number;
}

/** The hops' floor: the same figures, and how many messages each hop published, by topic. */
export interface ProcessorHopsFigures extends ProcessorFloorFigures {
  published: Record<string, number>;
}

/** One processor with its states and event-time watermark, as one runner holds them. */
interface Stage {
  processor: KeyedProcessor<unknown, unknown>;
  states: Map<string, unknown>;
  context: ProcessingContext;
}

/** One batch as a runner gets it. */
interface Batch {
  stage: Stage;
  topic: string;
  messages: Buffer[];
}

export class ProcessorFloor {
  private readonly codec = new AvroCodec();
  private pipeline!: Pipeline;
  private stages = new Map<string, Stage>();

  constructor(private readonly config: Readonly<Config>) {
    this.reset();
  }

  /** Forgets every state and the model: the start of a fresh pipeline. */
  reset(): void {
    // The pipeline is built only for its processors (same validation, scoring settings and
    // fallback model as the measured one); its log and stores are never used.
    this.pipeline = streamPipeline(this.config, { log: new InMemoryEventLog(), codec: this.codec, stores: objectStateStores() });
    this.stages = new Map();
    for (const runner of this.pipeline.runners) {
      const stage: Stage = { processor: runner.processor as KeyedProcessor<unknown, unknown>, states: new Map(), context: { watermarkMs: 0 } };
      for (const topic of runner.processor.inputTopics) this.stages.set(topic, stage);
    }
  }

  /** The states the named processor (e.g. `clv-purchases`) holds now, by key. */
  statesOf(processorName: string): ReadonlyMap<string, unknown> {
    for (const stage of this.stages.values()) if (stage.processor.name === processorName) return stage.states;
    throw new Error(`no processor ${processorName}`);
  }

  useModel(model: CustomerValueModel): void {
    this.pipeline.useModel(model);
  }

  /** Processes `consumed` (in the order the pipeline consumed it) and times it. */
  async measure(consumed: readonly RecordedMessage[]): Promise<ProcessorFloorFigures> {
    return this.timed(this.batchesOf(consumed), null);
  }

  /**
   * The three hops in turn, for a stream the pipeline consumed live (the real stack): the
   * input events (orders and payments, in publish order) through the purchases processor,
   * what it published through the features processor, and that through the scoring processor,
   * each in batches per topic and partition of `CLV_BATCH_SIZE`. Only the processing is timed,
   * not the batching between hops. Full batches are the cheapest the runner can get (the
   * features processor coalesces a customer's updates per batch, so fewer features reach
   * scoring), so this is at most the work the live pipeline did: a floor.
   */
  async measureHops(inputs: readonly RecordedMessage[]): Promise<ProcessorHopsFigures> {
    const total: ProcessorFloorFigures = { decodes: 0, encodes: 0, seconds: 0, cpuSeconds: 0 };
    const published: Record<string, number> = {};
    let consumed = inputs;
    for (const stage of new Set(this.stages.values())) {
      const outputs: RecordedMessage[] = [];
      const figures = await this.timed(this.batchesOf(consumed.filter((m) => stage.processor.inputTopics.includes(m.topic))), outputs);
      total.decodes += figures.decodes;
      total.encodes += figures.encodes;
      total.seconds += figures.seconds;
      total.cpuSeconds += figures.cpuSeconds;
      for (const o of outputs) published[o.topic] = (published[o.topic] ?? 0) + 1;
      consumed = outputs;
    }
    return { ...total, published };
  }

  /** Batches as a runner gets them: one topic's messages of one partition, in order, at most CLV_BATCH_SIZE. */
  private batchesOf(consumed: readonly RecordedMessage[]): Batch[] {
    const batchSize = this.config.batchSize;
    const partitions = this.config.partitions;
    const batches: Batch[] = [];
    const open = new Map<string, Batch>();
    for (const { topic, key, bytes } of consumed) {
      const stage = this.stages.get(topic);
      if (stage === undefined) continue;
      const slot = `${topic}\u0000${partitionFor(key, partitions)}`;
      let batch = open.get(slot);
      if (batch === undefined || batch.messages.length >= batchSize) {
        batch = { stage, topic, messages: [] };
        open.set(slot, batch);
        batches.push(batch);
      }
      batch.messages.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    return batches;
  }

  /** Applies `batches` in order, timed; every output encoded is also kept in `outputs` when given. */
  private async timed(batches: readonly Batch[], outputs: RecordedMessage[] | null): Promise<ProcessorFloorFigures> {
    let decodes = 0;
    let encodes = 0;
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (const { stage, topic, messages } of batches) {
      decodes += messages.length;
      encodes += await this.applyBatch(stage, topic, messages, outputs);
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { decodes, encodes, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
  }

  /** The runner's batch work without its I/O: the number of outputs encoded. */
  private async applyBatch({ processor, states, context }: Stage, topic: string, messages: readonly Buffer[], kept: RecordedMessage[] | null): Promise<number> {
    const { codec } = this;
    const accepted: Array<{ key: string; event: unknown }> = [];
    for (const bytes of messages) {
      let value: unknown;
      try {
        value = codec.decodeSync(topic, bytes);
      } catch {
        continue; // a dead letter in the pipeline
      }
      const verdict = processor.accept(topic, value);
      if ('violation' in verdict) continue;
      accepted.push({ key: processor.stateKey(verdict.event), event: verdict.event });
      const t = processor.eventTime(verdict.event);
      if (t > context.watermarkMs) context.watermarkMs = t;
    }
    const batchApply = processor.prepareBatch && accepted.length > 0 ? await processor.prepareBatch(accepted, states, context) : null;
    const changed = new Map<string, unknown>();
    let encoded = 0;
    const encode = (outputs: readonly Output[]) => {
      for (const o of outputs) {
        const bytes = codec.encodeSync(o.topic, o.value);
        kept?.push({ topic: o.topic, key: o.key, bytes });
      }
      encoded += outputs.length;
    };
    for (const { key, event } of accepted) {
      const before = changed.get(key) ?? states.get(key);
      let result;
      try {
        result = batchApply ? batchApply(before, event, context) : processor.apply(before, event, context);
      } catch {
        continue; // a dead letter in the pipeline
      }
      if (result.state !== before && result.state !== undefined) changed.set(key, result.state);
      encode(result.outputs);
    }
    if (processor.afterBatch && changed.size > 0) encode(processor.afterBatch(changed, context));
    for (const [key, state] of changed) states.set(key, state);
    return encoded;
  }
}

/** A request to the floor's worker thread. */
export type ProcessorFloorRequest =
  | { type: 'reset' }
  | { type: 'model'; kind: string; artifact: unknown }
  | { type: 'measure'; consumed: RecordedMessage[] }
  | { type: 'hops'; inputs: RecordedMessage[] };

/** The floor in a worker thread (processor-floor-worker.ts) with the config given: one request at a time. */
export class ProcessorFloorWorker {
  private readonly worker: Worker;

  constructor(env: Record<string, string | undefined>) {
    this.worker = new Worker(new URL('./processor-floor-worker.js', import.meta.url), { workerData: { env } });
  }

  reset(): Promise<void> {
    return this.request({ type: 'reset' }) as Promise<void>;
  }

  /** Scoring from now on with the model of `artifact` (a trained model's toJSON()). */
  useModel(kind: string, artifact: unknown): Promise<void> {
    return this.request({ type: 'model', kind, artifact }) as Promise<void>;
  }

  measure(consumed: RecordedMessage[]): Promise<ProcessorFloorFigures> {
    return this.request({ type: 'measure', consumed }) as Promise<ProcessorFloorFigures>;
  }

  measureHops(inputs: RecordedMessage[]): Promise<ProcessorHopsFigures> {
    return this.request({ type: 'hops', inputs }) as Promise<ProcessorHopsFigures>;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private async request(request: ProcessorFloorRequest): Promise<unknown> {
    const answer = await askWorker<{ ok: true; value: unknown } | { ok: false; message: string }>(this.worker, request);
    if (!answer.ok) throw new Error(`processor floor: ${answer.message}`);
    return answer.value;
  }
}
