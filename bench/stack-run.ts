/**
 * One run of `npm run bench:stack` (bench/stack-bench.ts runs it BENCH_STACK_REPETITIONS
 * times, each in a process of its own; services must be up: `npm run services:up`): the
 * pipeline on the real stack (with CLV_KAFKA_CLIENT=confluent, on Confluent's client) — Kafka
 * → purchases → features → scores throughput, event-to-score latency at a paced rate, and the
 * ClickHouse sink's rows/s. Resets the clv topics and groups first (a clv group that still has
 * members is waited for, then the bench stops with an error), and deletes the clv keys of its
 * Redis database (default db 6), never the other keys there.
 *
 * The bare baseline (issue 14), in the same invocation right after the pipeline:
 * bench/bare-kafka-hops.ts, three chained kafkajs consume → produce hops with the project's
 * client settings over run-scoped topics (deleted at the end), fed the same messages the same
 * way (the same encoded bytes, the same publisher, the same paced rate, the same latency
 * probe: publish → the third hop's output acknowledged). Throughput and latency get their
 * `baseline` and `ratio` (project / baseline), and so does the CPU each throughput phase took
 * per event, in this process and on the whole machine (bench/cpu-meter.ts).
 *
 * Before either, the processors' floor of the throughput phase (bench/processor-floor.ts
 * measureHops, in a worker thread): the same input events through the pipeline's three
 * processors with nothing around them. The pipeline does the bare hops' Kafka work and at
 * least that, so bare + floor gives the `ceiling` any plumbing could reach.
 *
 * Writes its figures as JSON to the file named by BENCH_STACK_RUN_FILE.
 */
import { endOfDayMs } from '../core/calendar.js';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { resetClvTopics } from '../adapters/kafka/reset-clv-topics.js';
import { syntheticDemoHistory } from '../app/demo/demo-history.js';
import { createLogger } from '../app/logger.js';
import { productionPipeline, startClickHouseSink } from '../app/production.js';
import { dropStates, inMemoryStatesPipeline } from './in-memory-states-pipeline.js';
import { processorsCeiling, stackStatesFrom } from './stack-bench.js';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import type { RecordedMessage } from './avro-floor.js';
import { ProcessorFloorWorker, type ProcessorHopsFigures } from './processor-floor.js';
import { dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { Topics, topicSpecs } from '../core/topics.js';
import { encodeByTopic, PUBLISH_CHUNK, publishMessages } from '../producers/publish-messages.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { modelInputsAsOf } from '../training/model-inputs-as-of.js';
import { LatencyProbe, percentile } from './latency-probe.js';
import { startCpuMeter, type CpuSpent } from './cpu-meter.js';
import { BareKafkaHops, HOPS, type HopOutputs } from './bare-kafka-hops.js';
import { EventLogDecorator } from './event-log-decorator.js';
import { ValueSample } from './value-sample.js';
import type { EventLog, OutgoingMessage, TopicMessages } from '../core/ports/event-log.js';

/** Timed passes of the processors' floor, after one to warm it. */
const PROCESSOR_FLOOR_PASSES = 3;

/** Values kept per hop output topic for the bare hops (bench/value-sample.ts). */
const HOP_OUTPUT_SAMPLE = 5_000;

/** Samples the values the pipeline publishes on the hops' output topics, for the bare hops to publish the same bytes. */
class HopOutputRecorder extends EventLogDecorator {
  readonly samples = new Map<string, ValueSample>(HOPS.map((h, i) => [h.to, new ValueSample(HOP_OUTPUT_SAMPLE, i + 1)]));
  override publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.keep(topic, messages);
    return this.inner.publish(topic, messages);
  }
  override publishAll(batches: TopicMessages[], options?: Parameters<EventLogDecorator['publishAll']>[1]): Promise<void> {
    for (const b of batches) this.keep(b.topic, b.messages);
    return this.inner.publishAll(batches, options);
  }
  private keep(topic: string, messages: OutgoingMessage[]): void {
    const sample = this.samples.get(topic);
    if (sample) for (const m of messages) if (m.value !== null) sample.offer(m.value);
  }
}

/** CPU microseconds per event published and processed, in this process and on the whole machine. */
interface CpuPerEvent {
  processMicroseconds: number;
  /** processMicroseconds as user time (the code) and system time (the kernel's socket work for it). */
  processUserMicroseconds: number;
  processSystemMicroseconds: number;
  machineMicroseconds: number | null;
}

function cpuPerEvent(spent: CpuSpent, events: number): CpuPerEvent {
  const per = (seconds: number) => Math.round((seconds * 1e6) / Math.max(1, events) * 10) / 10;
  return {
    processMicroseconds: per(spent.processSeconds),
    processUserMicroseconds: per(spent.processUserSeconds),
    processSystemMicroseconds: per(spent.processSystemSeconds),
    machineMicroseconds: spent.machineSeconds === null ? null : per(spent.machineSeconds),
  };
}

// Checked before the run, not after it: a run takes a minute.
const runFile = process.env.BENCH_STACK_RUN_FILE;
if (!runFile) throw new Error('BENCH_STACK_RUN_FILE is not set: run the bench with `npm run bench:stack` (bench/stack-bench.ts)');
const configEnv = { ...process.env, CLV_REDIS_URL: process.env.CLV_REDIS_URL ?? 'redis://127.0.0.1:6379/6', CLV_CLICKHOUSE_DATABASE: 'clv_bench', CLV_LOG_LEVEL: 'warn' };
const config = loadConfig(configEnv);
const logger = createLogger('warn');
const customers = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
const states = stackStatesFrom(process.env.BENCH_STACK_STATES);

const groups = ['clv-purchases', 'clv-features', 'clv-scoring', 'clv-clickhouse-sink'];
await resetClvTopics(config.kafkaBrokers, groups, { topics: true });
const redis = new Redis(config.redisUrl);
// Only what the pipeline writes (states, format claims, partition epochs), never the whole database.
for (const pattern of ['clv:*', 'clv-format:*', 'clv-epoch:*']) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
redis.disconnect();
const loadAtStart = loadavg()[0];

const history = syntheticDemoHistory({ customers, seed: 3, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });
const calibrationEndMs = endOfDayMs(history.calibrationEndDay, config.timeZone);
const split = history.messages.findIndex((m) => m.deliveredAtMs > calibrationEndMs);
const calibration = history.messages.slice(0, split);
const paced = history.messages.slice(split, split + 5000 * 10);

// 0. The processors' floor of the throughput phase (bench/processor-floor.ts): the same input
// events, in the order they will be published, through the pipeline's three processors hop
// by hop with nothing around them, in a worker thread of its own while this one waits. Once
// to warm it, then PROCESSOR_FLOOR_PASSES timed passes from empty states; the median. First,
// while this thread's heap is small: run after the pipeline and the bare hops, it was about
// twice as slow in three runs of seven (docs/performance.md).
/** `messages` encoded with the floor's codec, in the order publishMessages sends them: step by step, topic by topic within a step. */
async function floorInputs(codec: AvroCodec, messages: typeof calibration): Promise<RecordedMessage[]> {
  const recorded: RecordedMessage[] = [];
  for (let i = 0; i < messages.length; i += PUBLISH_CHUNK) {
    for (const [topic, list] of await encodeByTopic(codec, messages, i, i + PUBLISH_CHUNK)) for (const m of list) recorded.push({ topic, key: m.key, bytes: m.value! });
  }
  return recorded;
}
/** In a function, so that its encoded inputs are let go before the pipeline runs. */
async function measureProcessorFloor(): Promise<{ events: number; passes: number; median: ProcessorHopsFigures }> {
  const codec = new AvroCodec();
  const warmUp = await floorInputs(codec, calibration.slice(0, 10));
  const measured = await floorInputs(codec, calibration.slice(10));
  const floor = new ProcessorFloorWorker(configEnv);
  const passes: ProcessorHopsFigures[] = [];
  try {
    for (let pass = 0; pass <= PROCESSOR_FLOOR_PASSES; pass++) {
      await floor.reset();
      await floor.measureHops(warmUp);
      const figures = await floor.measureHops(measured);
      if (pass > 0) passes.push(figures);
    }
  } finally {
    await floor.close();
  }
  passes.sort((a, b) => a.cpuSeconds - b.cpuSeconds);
  return { events: measured.length, passes: passes.length, median: passes[passes.length >> 1] };
}
const processorFloor = await measureProcessorFloor();
const floorCpuMicroseconds = Math.round((processorFloor.median.cpuSeconds * 1e6) / processorFloor.events * 10) / 10;

let probe: LatencyProbe | null = null;
const recorder: { current: HopOutputRecorder | null } = { current: null };
const observe = (log: EventLog) => (probe = new LatencyProbe((recorder.current = new HopOutputRecorder(log))));
const production = states === 'redis' ? await productionPipeline(config, logger, observe) : await inMemoryStatesPipeline(config, logger, observe);
const { log, codec, pipeline } = production;
await log.createTopics(topicSpecs(config.partitions));

async function caughtUp(groupTopics: Record<string, string[]>): Promise<void> {
  await untilNoLag(async () => {
    let lag = 0;
    for (const [group, topics] of Object.entries(groupTopics)) lag += await log.lag(group, topics);
    return lag;
  });
}

/**
 * Polls `lag` until it is 0. A retriable error counts as not there yet: right after the run's
 * topics are created, a partition may still be electing its leader (NOT_LEADER_FOR_PARTITION
 * stopped a run once); after 30 s of nothing but such errors the last one is thrown.
 */
async function untilNoLag(lag: () => Promise<number>): Promise<void> {
  let failingSince: number | null = null;
  for (;;) {
    try {
      if ((await lag()) === 0) return;
      failingSince = null;
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true) throw error;
      failingSince ??= performance.now();
      if (performance.now() - failingSince > 30_000) throw error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
const processorInputs = { 'clv-purchases': [Topics.orders, Topics.payments], 'clv-features': [Topics.purchases], 'clv-scoring': [Topics.features] };

// 1. Throughput: processors joined and idle first, so group joins are not timed; then the
// calibration history is published and processed as it arrives.
await pipeline.start();
await publishMessages(log, codec, calibration.slice(0, 10));
await caughtUp(processorInputs);
let t = performance.now();
let cpuSince = startCpuMeter();
const published = await publishMessages(log, codec, calibration.slice(10));
await caughtUp(processorInputs);
const throughputSeconds = (performance.now() - t) / 1000;
const throughputCpu = cpuSince();

// 2. A model, so that scores flow; then paced input for latency.
const settings = trainingSettingsFrom(config, 'bench');
const { inputs } = await modelInputsAsOf(pipeline.stores.histories, calibrationEndMs, settings.periodDays, dayIndexer(config.timeZone), config.minorPerUnit);
pipeline.useModel(trainCustomerValueModel(inputs, settings));
(probe as LatencyProbe | null)?.reset();
t = performance.now();
await publishMessages(probe ?? log, codec, paced, { rate: 5000 });
await caughtUp(processorInputs);
const pacedSeconds = (performance.now() - t) / 1000;
const samples = (probe as LatencyProbe | null)?.samplesMs ?? [];
await pipeline.stop();
const projectMessages: Record<string, number> = {};
for (const topic of [Topics.orders, Topics.payments, Topics.purchases, Topics.features, Topics.scores]) {
  projectMessages[topic] = (await log.lag('clv-stack-bench-count', [topic]));
}

// Held states would make the bare hops, in this process, pay for marking them.
if (states === 'memory') await dropStates(pipeline.stores);

// 2b. The bare baseline, the same way: hops joined and idle, then the calibration history
// as fast as it goes; then the paced messages at the same rate through the same probe.
const loadBeforeBaseline = loadavg()[0];
const bare = new BareKafkaHops(config.kafkaBrokers, `bench_bare_${process.pid}_${Date.now().toString(36)}`);
let baseline: { throughput: { events: number; seconds: number; eventsPerSecond: number; cpu: CpuPerEvent }; latency: { seconds: number; samples: number; p50Ms: number | null; p99Ms: number | null } };
const untilIdle = () => untilNoLag(() => bare.hopsLag());
try {
  const hopTopics = new Set<string>(HOPS.flatMap((h) => [...h.from, h.to]));
  await bare.createTopics(topicSpecs(config.partitions).filter((s) => hopTopics.has(s.name)));
  const bareProbe = new LatencyProbe(bare);
  // Each bare hop publishes what the pipeline published on its output topic per input (the
  // counts on the topics), with the pipeline's bytes, keyed by the inputs it consumed.
  const count = (...topics: string[]) => topics.reduce((n, t) => n + projectMessages[t], 0);
  const outputs: HopOutputs = new Map(HOPS.map((h) => [h.to, { perInput: count(h.to) / count(...h.from), values: recorder.current?.samples.get(h.to)?.values ?? [] }]));
  await bare.startHops({ maxBatchSize: config.batchSize, observer: bareProbe, outputs });
  await publishMessages(bare, codec, calibration.slice(0, 10));
  await untilIdle();
  t = performance.now();
  cpuSince = startCpuMeter();
  const barePublished = await publishMessages(bare, codec, calibration.slice(10));
  await untilIdle();
  const bareThroughputSeconds = (performance.now() - t) / 1000;
  const bareCpu = cpuSince();
  bareProbe.reset();
  t = performance.now();
  await publishMessages(bareProbe, codec, paced, { rate: 5000 });
  await untilIdle();
  const bareLatencySeconds = (performance.now() - t) / 1000;
  const bareSamples = bareProbe.samplesMs;
  baseline = {
    throughput: { events: barePublished.published, seconds: bareThroughputSeconds, eventsPerSecond: barePublished.published / bareThroughputSeconds, cpu: cpuPerEvent(bareCpu, barePublished.published) },
    latency: { seconds: bareLatencySeconds, samples: bareSamples.length, p50Ms: percentile(bareSamples, 0.5), p99Ms: percentile(bareSamples, 0.99) },
  };
} finally {
  await bare.close();
}

// 3. The ClickHouse sink over everything now on the topics.
let rows = 0;
for (const topic of Object.values(Topics)) rows += await log.lag('clv-clickhouse-sink', [topic]);
t = performance.now();
const sink = await startClickHouseSink(config, log, codec, logger);
await caughtUp({ 'clv-clickhouse-sink': Object.values(Topics) });
const sinkSeconds = (performance.now() - t) / 1000;
await sink.stop();
await production.close();

const projectCpu = cpuPerEvent(throughputCpu, published.published);
const ceiling = processorsCeiling(baseline!.throughput.cpu.processMicroseconds, floorCpuMicroseconds);
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : Math.round((a / b) * 100) / 100);
const latencyP50 = percentile(samples, 0.5);
const latencyP99 = percentile(samples, 0.99);
const result = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, loadAverage1m: { atStart: loadAtStart, beforeBaseline: loadBeforeBaseline, atEnd: loadavg()[0] }, note: 'Kafka, Apicurio, Redis and ClickHouse on the same machine' },
  customers,
  /** The pipeline's Kafka client (CLV_KAFKA_CLIENT); the baseline is bare kafkajs either way. */
  kafkaClient: config.kafkaClient,
  /** Where the pipeline kept its states (BENCH_STACK_STATES): Redis, or this process's memory. */
  states,
  baseline: {
    what: 'bare kafkajs: 3 chained consume → produce hops (orders + payments → purchases → features → scores) each publishing the pipeline\'s share of outputs per input with its bytes, with the project client settings (idempotent, acks=all, maxInFlightRequests 1, GZIP, murmur2 partitioner, sendBatch; consumers with the same session, heartbeat, max wait, 8 partitions consumed concurrently, chunks of CLV_BATCH_SIZE, publish → resolve → commit per chunk), run-scoped topics with the same partitions and compaction, the same encoded messages through the same publisher; latency through the same probe: input publish → the third hop output acknowledged',
    note: 'each bare hop publishes, per input chunk, as many messages as the pipeline published on that topic per input (projectMessagesOnTopics), with the pipeline\'s own bytes (a uniform sample of 5,000 of its values per topic, cycled: hopOutputSamples), keyed by the inputs consumed; no decoding, state, Redis or processor logic',
    projectMessagesOnTopics: projectMessages,
    /** The bytes the bare hops publish: a uniform sample of the pipeline's values per topic, with its mean size against all of them. */
    hopOutputSamples: Object.fromEntries([...(recorder.current?.samples ?? [])].map(([topic, sample]) => [topic, sample.figures])),
    ...baseline!,
  },
  publish: { events: published.published, seconds: published.seconds, perSecond: published.published / published.seconds },
  processing: {
    events: published.published, seconds: throughputSeconds, eventsPerSecond: published.published / throughputSeconds, note: 'publish + process, from the first publish until every processor has committed',
    baseline: baseline!.throughput.eventsPerSecond, ratio: ratio(published.published / throughputSeconds, baseline!.throughput.eventsPerSecond),
    cpu: {
      ...projectCpu,
      baseline: baseline!.throughput.cpu,
      note: 'CPU per event over the same phase (publish + process): this process alone (also as user and system time: the code, and the kernel\'s socket work for it), and the whole machine (the broker, Redis and the registry too); ratio = project / baseline, lower is better, 1 = the floor',
      ratio: {
        process: ratio(projectCpu.processMicroseconds, baseline!.throughput.cpu.processMicroseconds),
        processUser: ratio(projectCpu.processUserMicroseconds, baseline!.throughput.cpu.processUserMicroseconds),
        processSystem: ratio(projectCpu.processSystemMicroseconds, baseline!.throughput.cpu.processSystemMicroseconds),
        machine: ratio(projectCpu.machineMicroseconds, baseline!.throughput.cpu.machineMicroseconds),
      },
    },
  },
  processorFloor: {
    what: 'the same input events through the pipeline\'s three processors hop by hop (decode, accept, apply, encode), states in Maps, in full batches per topic and partition of CLV_BATCH_SIZE, no Kafka, Redis, state codec or runner; in a worker thread of its own after a warm-up pass; the median of its timed passes by CPU',
    events: processorFloor.events,
    passes: processorFloor.passes,
    cpuMicrosecondsPerEvent: floorCpuMicroseconds,
    eventsPerSecond: processorFloor.events / processorFloor.median.seconds,
    /** Messages each hop published; full batches coalesce the most features, so at most what the pipeline published for the same inputs. */
    published: processorFloor.median.published,
  },
  ceiling: {
    ...ceiling,
    note: 'what any plumbing could reach with these processors: the pipeline does the bare hops\' Kafka work and at least the processors\' floor, so its process CPU per event is at least their sum (processCpuRatio: the lowest process CPU ratio to bare); where the process\'s CPU sets the pace, as it does here, the events/s ratio is at most eventsPerSecondRatio',
  },
  latency: {
    rate: 5000, events: paced.length, seconds: pacedSeconds, samples: samples.length, p50Ms: latencyP50, p99Ms: latencyP99,
    baseline: { p50Ms: baseline!.latency.p50Ms, p99Ms: baseline!.latency.p99Ms }, ratio: { p50: ratio(latencyP50, baseline!.latency.p50Ms), p99: ratio(latencyP99, baseline!.latency.p99Ms) },
  },
  sink: { messages: rows, seconds: sinkSeconds, messagesPerSecond: rows / sinkSeconds },
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
writeFileSync(runFile, JSON.stringify(result, null, 2) + '\n');
process.exit(0);
