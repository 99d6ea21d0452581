/**
 * Embedded pipeline figures: throughput of the three processors on a synthetic history
 * against the Avro floor of the same work, training and re-scoring, and event-to-score
 * latency at a paced input rate.
 */
import { Worker } from 'node:worker_threads';
import { endOfDayMs } from '../core/calendar.js';
import { dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { syntheticDemoHistory, type DemoMessage } from '../app/demo/demo-history.js';
import { replayMessages } from '../app/demo/replay-messages.js';
import { embeddedPipeline } from '../app/embedded.js';
import { createLogger } from '../app/logger.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { modelInputsAsOf } from '../training/model-inputs-as-of.js';
import { LatencyProbe, percentile } from './latency-probe.js';
import { AvroFloorWorker, CodecWorkRecorder, type FloorFigures } from './avro-floor.js';
import { ProcessorFloorWorker, type ProcessorFloorFigures } from './processor-floor.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { Pipeline } from '../processors/pipeline.js';
import { KIND_CHOICES, type KindRunFigures, type KindRunOptions, type KindRunResult } from './kind-run.js';
import { EncodedMessages } from './encoded-messages.js';
import { pacedReplay } from './paced-replay.js';
import { spreadOf } from './spread.js';

export interface PipelineBenchOptions {
  customers: number;
  /** Input events per second for the latency run. */
  pacedRate: number;
  pacedSeconds: number;
}

export interface ThroughputBenchOptions extends PipelineBenchOptions {
  /** Fresh pipelines, each measured against its own Avro floor right after it. */
  repetitions: number;
  /** Measure latency too (in the last repetition). */
  latency: boolean;
}

/** One phase of one repetition: the pipeline's figures and the bare codec work of the same stretch. */
interface PhaseRun {
  events: number;
  /** The pipeline: processing time, producer encoding excluded. */
  project: { seconds: number; cpuSeconds: number; eventsPerSecond: number };
  baseline: FloorFigures & { eventsPerSecond: number };
  /** project.eventsPerSecond / baseline.eventsPerSecond. */
  ratio: number;
  /** The processors' floor of the same stretch (bench/processor-floor.ts). */
  processors: ProcessorFloorFigures & { eventsPerSecond: number };
  /** project.eventsPerSecond / processors.eventsPerSecond: what the plumbing leaves of the processors' own speed. */
  ratioToProcessors: number;
  /** processors.eventsPerSecond / baseline.eventsPerSecond: the best `ratio` any plumbing could reach. */
  processorsToBaseline: number;
  /**
   * The same in CPU time of the whole process (all threads: the pipeline's concurrent GC
   * threads may add to the floor's figure): baseline.cpuSeconds / project.cpuSeconds.
   */
  cpuRatio: number;
}

/**
 * Throughput of the embedded pipeline, before a model (RFM-rule scores) and with BG/NBD +
 * Gamma-Gamma scoring every change, each against the Avro floor of the same work
 * (bench/avro-floor.ts), `repetitions` times on fresh pipelines. The two alternate chunk by
 * chunk (10,000 input events, then the floor of exactly what the pipeline decoded and
 * encoded for them), so a machine shared with other work slows both sides alike.
 */
export async function pipelineBench(o: ThroughputBenchOptions) {
  const config = loadConfig({});
  const logger = createLogger('warn');
  const history = syntheticDemoHistory({ customers: o.customers, seed: 7, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });
  const calibrationEndMs = endOfDayMs(history.calibrationEndDay, config.timeZone);
  const split = history.messages.findIndex((m) => m.deliveredAtMs > calibrationEndMs);
  const calibration = history.messages.slice(0, split);
  const holdout = history.messages.slice(split);
  const half = Math.floor(holdout.length / 2);
  const instrumented = () => {
    let recorder: CodecWorkRecorder | null = null;
    let probe: LatencyProbe | null = null;
    const embedded = embeddedPipeline(config, logger, (inner) => (probe = new LatencyProbe((recorder = new CodecWorkRecorder(inner)))));
    return { ...embedded, recorder: recorder as unknown as CodecWorkRecorder, probe: probe as unknown as LatencyProbe };
  };

  const floor = new AvroFloorWorker();
  const processorFloor = new ProcessorFloorWorker({});
  const floors = { avro: floor, processors: processorFloor };
  // Warm-up, not counted: the first repetition would otherwise run both sides cold.
  {
    const { recorder, codec, pipeline } = instrumented();
    await pipeline.start();
    await processorFloor.reset();
    await measuredAgainstFloor({ log: recorder, codec, pipeline }, floors, calibration.slice(0, 20_000));
    await pipeline.stop();
  }

  const noModel: PhaseRun[] = [];
  const withModel: PhaseRun[] = [];
  let training = { customers: 0, ms: 0 };
  let rescore = { customers: 0, ms: 0, perSecond: 0 };
  let latency = null;
  for (let r = 0; r < o.repetitions; r++) {
    const { recorder, probe, codec, pipeline } = instrumented();
    await pipeline.start();
    await processorFloor.reset();
    noModel.push(await measuredAgainstFloor({ log: recorder, codec, pipeline }, floors, calibration));

    const { inputs } = await modelInputsAsOf(pipeline.stores.histories, calibrationEndMs, 7, dayIndexer(config.timeZone), config.minorPerUnit);
    const t0 = performance.now();
    const model = trainCustomerValueModel(inputs, trainingSettingsFrom(config, 'bench'));
    training = { customers: inputs.length, ms: performance.now() - t0 };
    pipeline.useModel(model);
    await processorFloor.useModel(model.kind, model.toJSON());
    const t1 = performance.now();
    const rescored = await pipeline.rescoreAll(calibrationEndMs);
    const rescoreMs = performance.now() - t1;
    rescore = { customers: rescored, ms: rescoreMs, perSecond: rescored / (rescoreMs / 1000) };

    // Half the holdout at full speed with the model live, the rest paced for latency.
    withModel.push(await measuredAgainstFloor({ log: recorder, codec, pipeline }, floors, holdout.slice(0, half)));
    if (o.latency && r === o.repetitions - 1) {
      const slice = await EncodedMessages.of(codec, holdout.slice(half, half + o.pacedRate * o.pacedSeconds));
      probe.reset();
      const paced = await pacedReplay(slice, 0, slice.length, o.pacedRate, probe);
      await pipeline.waitUntilIdle(1);
      const samples = probe.samplesMs;
      latency = {
        rate: o.pacedRate, events: paced.events, seconds: paced.seconds, samples: samples.length,
        p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99), maxMs: percentile(samples, 1),
      };
    }
    await pipeline.stop();
  }
  await floor.close();
  await processorFloor.close();
  const summary = (runs: PhaseRun[]) => ({
    events: runs[0].events,
    project: spreadOf(runs.map((x) => x.project.eventsPerSecond)),
    baseline: spreadOf(runs.map((x) => x.baseline.eventsPerSecond)),
    ratio: spreadOf(runs.map((x) => x.ratio)),
    cpuRatio: spreadOf(runs.map((x) => x.cpuRatio)),
    processorFloor: spreadOf(runs.map((x) => x.processors.eventsPerSecond)),
    ratioToProcessorFloor: spreadOf(runs.map((x) => x.ratioToProcessors)),
    processorFloorToBaseline: spreadOf(runs.map((x) => x.processorsToBaseline)),
    runs,
  });
  return {
    history: { customers: o.customers, messages: history.messages.length },
    repetitions: o.repetitions,
    baselineIs:
      "Avro floor: every message the processors consumed decoded and every message they published encoded, with the project's AvroCodec (decodeSync/encodeSync) and nothing else; " +
      'run in a worker thread (its own heap) alternating with the pipeline every 10,000 input events; events/s of input events; the pipeline is timed from publishing a chunk until every processor has committed it (producer encoding excluded); ' +
      'ratio = project / baseline events/s per repetition, cpuRatio the same in CPU seconds of the process',
    processorFloorIs:
      "the processors' floor (bench/processor-floor.ts): every message the processors consumed decoded, accepted, applied to its state and its outputs encoded, with the pipeline's own processors and codec, in batches per topic and partition of CLV_BATCH_SIZE, " +
      'states in plain Maps of objects, no log, state codec, runner, read model or dead letters; in a worker thread of its own, alternating with the pipeline and the Avro floor; ' +
      'ratioToProcessorFloor = project / processor floor (what the plumbing costs), processorFloorToBaseline = processor floor / Avro floor (the best ratio any plumbing could reach)',
    throughputNoModel: summary(noModel),
    throughputWithModel: summary(withModel),
    training,
    rescore,
    latency,
  };
}

/** A replay of `messages` alternating chunk by chunk with the bare codec work of each chunk. */
async function measuredAgainstFloor(target: { log: CodecWorkRecorder; codec: EventCodec; pipeline: Pipeline }, floors: { avro: AvroFloorWorker; processors: ProcessorFloorWorker }, messages: readonly DemoMessage[], chunk = 10_000): Promise<PhaseRun> {
  const project = { seconds: 0, cpuSeconds: 0 };
  const baseline = { decodes: 0, encodes: 0, seconds: 0, cpuSeconds: 0 };
  const processors = { decodes: 0, encodes: 0, seconds: 0, cpuSeconds: 0 };
  for (let i = 0; i < messages.length; i += chunk) {
    target.log.record();
    const p = await replayMessages(target, messages.slice(i, i + chunk), { chunk });
    project.seconds += p.processingSeconds;
    project.cpuSeconds += p.processingCpuSeconds;
    const work = target.log.take();
    const f = await floors.avro.measure(work);
    baseline.decodes += f.decodes;
    baseline.encodes += f.encodes;
    baseline.seconds += f.seconds;
    baseline.cpuSeconds += f.cpuSeconds;
    const q = await floors.processors.measure(work.decodes);
    processors.decodes += q.decodes;
    processors.encodes += q.encodes;
    processors.seconds += q.seconds;
    processors.cpuSeconds += q.cpuSeconds;
  }
  const events = messages.length;
  return {
    events,
    project: { ...project, eventsPerSecond: events / project.seconds },
    baseline: { ...baseline, eventsPerSecond: events / baseline.seconds },
    ratio: baseline.seconds / project.seconds,
    cpuRatio: baseline.cpuSeconds / project.cpuSeconds,
    processors: { ...processors, eventsPerSecond: events / processors.seconds },
    ratioToProcessors: processors.seconds / project.seconds,
    processorsToBaseline: baseline.seconds / processors.seconds,
  };
}


/**
 * The same holdout streamed through a fresh embedded pipeline per kind of champion (issue 12:
 * the ensemble must keep at least 80% of BG/NBD's throughput), the LSTM included; each run in
 * a worker thread of its own (kind-run.ts), so no run pays for another's garbage (the
 * in-memory log keeps every message, and one process collecting several pipelines' heaps
 * paused for hundreds of milliseconds). A kind is trained in its first run; later runs load
 * its artifact. The kinds take turns, round after round, each round starting one kind
 * later, so warm-up and the machine's drift fall on all of them alike; each figure is the
 * min / median / max over the rounds, and a kind's share of BG/NBD's is the median of the
 * per-round shares (each against the BG/NBD run of the same round).
 */
export async function kindsBench(o: PipelineBenchOptions & { kinds?: readonly string[]; repetitions?: number }) {
  const chosen = KIND_CHOICES.filter(([k]) => !o.kinds || k === 'bgnbd-gamma-gamma' || o.kinds.includes(k));
  const models = new Map<string, { artifact: unknown; trainingMs: number }>();
  const rounds: Array<Record<string, KindRunFigures>> = [];
  for (let round = 0; round < (o.repetitions ?? 3); round++) {
    const figures: Record<string, KindRunFigures> = {};
    for (const [kind] of chosen.map((_, i) => chosen[(i + round) % chosen.length])) {
      const run = await kindRunInWorker({ kind, customers: o.customers, pacedRate: o.pacedRate, pacedSeconds: o.pacedSeconds, artifact: models.get(kind)?.artifact ?? null });
      if (!models.has(kind)) models.set(kind, { artifact: run.artifact, trainingMs: run.trainingMs! });
      figures[kind] = run.figures;
    }
    rounds.push(figures);
  }
  const over = (f: (r: Record<string, KindRunFigures>) => number | null) => {
    const values = rounds.map(f).filter((v): v is number => v !== null);
    return values.length > 0 ? spreadOf(values) : null;
  };
  const kinds = Object.fromEntries(chosen.map(([kind]) => [kind, {
    trainingMs: models.get(kind)!.trainingMs,
    processedPerSecond: over((r) => r[kind].processedPerSecond)!,
    latencyP50Ms: over((r) => r[kind].latencyP50Ms),
    latencyP99Ms: over((r) => r[kind].latencyP99Ms),
    shareOfBgNbd: over((r) => r[kind].processedPerSecond / r['bgnbd-gamma-gamma'].processedPerSecond)!,
  }]));
  return { customers: o.customers, repetitions: rounds.length, kinds, rounds };
}

function kindRunInWorker(o: KindRunOptions): Promise<KindRunResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./kind-run-worker.js', import.meta.url), { workerData: o });
    worker.once('message', (result: KindRunResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && code !== 1 && reject(new Error(`kind run ${o.kind} exited with ${code}`)));
  });
}
