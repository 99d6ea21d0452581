/**
 * Embedded pipeline figures: throughput of the three processors on a synthetic history
 * against the Avro floor of the same work, training and re-scoring, and event-to-score
 * latency at a paced input rate.
 */
import { endOfDayMs } from '../core/calendar.js';
import { dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { syntheticDemoHistory, type DemoMessage } from '../app/demo/demo-history.js';
import { replayMessages } from '../app/demo/replay-messages.js';
import { embeddedPipeline } from '../app/embedded.js';
import { createLogger } from '../app/logger.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { modelInputsAsOf } from '../training/model-inputs-as-of.js';
import { dailyRepeatPurchases } from '../models/kinds/train-seasonal-model.js';
import { trainScoringModel, type ScoringChoice } from '../models/kinds/train-scoring-model.js';
import { trainLstmModel } from '../models/kinds/train-lstm-model.js';
import { purchaseDayValues } from '../processors/features/customer-purchase-history.js';
import { summarizePurchaseDays, toModelInput, type ModelInput } from '../core/repeat-purchase-summary.js';
import { LatencyProbe, percentile } from './latency-probe.js';
import { AvroFloorWorker, CodecWorkRecorder, type FloorFigures } from './avro-floor.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { Pipeline } from '../processors/pipeline.js';
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
  // Warm-up, not counted: the first repetition would otherwise run both sides cold.
  {
    const { recorder, codec, pipeline } = instrumented();
    await pipeline.start();
    await measuredAgainstFloor({ log: recorder, codec, pipeline }, floor, calibration.slice(0, 20_000));
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
    noModel.push(await measuredAgainstFloor({ log: recorder, codec, pipeline }, floor, calibration));

    const { inputs } = await modelInputsAsOf(pipeline.stores.histories, calibrationEndMs, 7, dayIndexer(config.timeZone), config.minorPerUnit);
    const t0 = performance.now();
    const model = trainCustomerValueModel(inputs, trainingSettingsFrom(config, 'bench'));
    training = { customers: inputs.length, ms: performance.now() - t0 };
    pipeline.useModel(model);
    const t1 = performance.now();
    const rescored = await pipeline.rescoreAll(calibrationEndMs);
    const rescoreMs = performance.now() - t1;
    rescore = { customers: rescored, ms: rescoreMs, perSecond: rescored / (rescoreMs / 1000) };

    // Half the holdout at full speed with the model live, the rest paced for latency.
    withModel.push(await measuredAgainstFloor({ log: recorder, codec, pipeline }, floor, holdout.slice(0, half)));
    if (o.latency && r === o.repetitions - 1) {
      probe.reset();
      const paced = await pacedReplay(holdout.slice(half, half + o.pacedRate * o.pacedSeconds), o.pacedRate, probe, codec);
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
  const summary = (runs: PhaseRun[]) => ({
    events: runs[0].events,
    project: spreadOf(runs.map((x) => x.project.eventsPerSecond)),
    baseline: spreadOf(runs.map((x) => x.baseline.eventsPerSecond)),
    ratio: spreadOf(runs.map((x) => x.ratio)),
    cpuRatio: spreadOf(runs.map((x) => x.cpuRatio)),
    runs,
  });
  return {
    history: { customers: o.customers, messages: history.messages.length },
    repetitions: o.repetitions,
    baselineIs:
      "Avro floor: every message the processors consumed decoded and every message they published encoded, with the project's AvroCodec (decodeSync/encodeSync) and nothing else; " +
      'run in a worker thread (its own heap) alternating with the pipeline every 10,000 input events; events/s of input events; the pipeline is timed from publishing a chunk until every processor has committed it (producer encoding excluded); ' +
      'ratio = project / baseline events/s per repetition, cpuRatio the same in CPU seconds of the process',
    throughputNoModel: summary(noModel),
    throughputWithModel: summary(withModel),
    training,
    rescore,
    latency,
  };
}

/** A replay of `messages` alternating chunk by chunk with the bare codec work of each chunk. */
async function measuredAgainstFloor(target: { log: CodecWorkRecorder; codec: EventCodec; pipeline: Pipeline }, floor: AvroFloorWorker, messages: readonly DemoMessage[], chunk = 10_000): Promise<PhaseRun> {
  const project = { seconds: 0, cpuSeconds: 0 };
  const baseline = { decodes: 0, encodes: 0, seconds: 0, cpuSeconds: 0 };
  for (let i = 0; i < messages.length; i += chunk) {
    target.log.record();
    const p = await replayMessages(target, messages.slice(i, i + chunk), { chunk });
    project.seconds += p.processingSeconds;
    project.cpuSeconds += p.processingCpuSeconds;
    const f = await floor.measure(target.log.take());
    baseline.decodes += f.decodes;
    baseline.encodes += f.encodes;
    baseline.seconds += f.seconds;
    baseline.cpuSeconds += f.cpuSeconds;
  }
  const events = messages.length;
  return {
    events,
    project: { ...project, eventsPerSecond: events / project.seconds },
    baseline: { ...baseline, eventsPerSecond: events / baseline.seconds },
    ratio: baseline.seconds / project.seconds,
    cpuRatio: baseline.cpuSeconds / project.cpuSeconds,
  };
}

/** Publishes at a fixed rate in 10 ms ticks, without waiting for the pipeline. */
async function pacedReplay(messages: DemoMessage[], rate: number, log: { publish: (t: string, m: { key: string; value: Buffer }[]) => Promise<void> }, codec: { encode: (t: string, v: unknown) => Promise<Buffer> }) {
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const start = performance.now();
  for (let i = 0, tick = 0; i < messages.length; i += perTick, tick++) {
    for (const m of messages.slice(i, i + perTick)) await log.publish(m.topic, [{ key: m.key, value: m.poison ?? (await codec.encode(m.topic, m.value)) }]);
    const due = start + (tick + 1) * tickMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return { events: messages.length, seconds: (performance.now() - start) / 1000 };
}

/**
 * The same holdout streamed through a fresh embedded pipeline per kind of champion (issue 12:
 * the ensemble must keep at least 80% of BG/NBD's throughput), the LSTM included: calibration
 * replayed, the kind trained on its features (once; later repetitions reuse the model, the
 * same fit of the same features), then half the holdout at full speed with the model scoring
 * every change, and a paced slice for event-to-score latency. The kinds take turns, round
 * after round, so warm-up and the machine's drift fall on all of them alike; each figure is
 * the min / median / max over the rounds, and a kind's share of BG/NBD's is the median of the
 * per-round shares (each against the BG/NBD run of the same round).
 */
export async function kindsBench(o: PipelineBenchOptions & { kinds?: readonly string[]; repetitions?: number }) {
  const config = loadConfig({});
  const logger = createLogger('warn');
  const history = syntheticDemoHistory({ customers: o.customers, seed: 7, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });
  const calibrationEndMs = endOfDayMs(history.calibrationEndDay, config.timeZone);
  const split = history.messages.findIndex((m) => m.deliveredAtMs > calibrationEndMs);
  const dayOf = dayIndexer(config.timeZone);
  const choices: Array<[string, ScoringChoice | { model: 'lstm' }]> = [
    ['bgnbd-gamma-gamma', { model: 'bgnbd' }],
    ['seasonal-bgnbd-gamma-gamma', { model: 'seasonal' }],
    ['ensemble', { model: 'ensemble', weights: { bgnbd: 0.5, seasonal: 0.5 } }],
    ['lstm', { model: 'lstm' }],
  ];
  const chosen = choices.filter(([k]) => !o.kinds || k === 'bgnbd-gamma-gamma' || o.kinds.includes(k));
  const models = new Map<string, { model: Awaited<ReturnType<typeof trainScoringModel>> | Awaited<ReturnType<typeof trainLstmModel>>; trainingMs: number }>();
  const rounds: Array<Record<string, { processedPerSecond: number; eventsPerSecond: number; latencyP50Ms: number | null; latencyP99Ms: number | null }>> = [];
  for (let round = 0; round < (o.repetitions ?? 3); round++) {
    const figures: (typeof rounds)[number] = {};
    for (const [kind, choice] of chosen) {
      let probe: LatencyProbe | null = null;
      const { log, codec, pipeline } = embeddedPipeline(config, logger, (inner) => (probe = new LatencyProbe(inner)));
      await pipeline.start();
      await replayMessages({ log, codec, pipeline }, history.messages.slice(0, split));
      let trained = models.get(kind);
      if (trained === undefined) {
        const { inputs } = await modelInputsAsOf(pipeline.stores.histories, calibrationEndMs, 7, dayOf, config.minorPerUnit);
        const days: Array<Array<[number, number]>> = [];
        for await (const page of pipeline.stores.histories.scan(10_000)) for (const [, h] of page) days.push(h.orders.filter((x) => x.status === 'ACTIVE').map((x) => [x.day, x.net] as [number, number]));
        const settings = trainingSettingsFrom(config, `bench-${kind}`);
        const t0 = performance.now();
        const model = choice.model === 'lstm'
          ? await trainLstmModel(await lstmTrainingData(pipeline, dayOf(calibrationEndMs), config.minorPerUnit), settings, { maxEpochs: config.lstmEpochs, seed: 1, logger: { info: () => {} } })
          : await trainScoringModel(choice, { inputs, repeats: dailyRepeatPurchases(days, dayOf(calibrationEndMs)) }, settings, config.holidays);
        models.set(kind, (trained = { model, trainingMs: performance.now() - t0 }));
      }
      pipeline.useModel(trained.model);
      await pipeline.rescoreAll(calibrationEndMs);
      const holdout = history.messages.slice(split);
      const half = Math.floor(holdout.length / 2);
      const t = await replayMessages({ log, codec, pipeline }, holdout.slice(0, half));
      (probe as LatencyProbe | null)?.reset();
      await pacedReplay(holdout.slice(half, half + o.pacedRate * o.pacedSeconds), o.pacedRate, probe ?? log, codec);
      await pipeline.waitUntilIdle(1);
      await pipeline.stop();
      const samples = (probe as LatencyProbe | null)?.samplesMs ?? [];
      figures[kind] = { processedPerSecond: t.processedPerSecond, eventsPerSecond: t.eventsPerSecond, latencyP50Ms: percentile(samples, 0.5), latencyP99Ms: percentile(samples, 0.99) };
    }
    rounds.push(figures);
  }
  const over = (kind: string, f: (r: (typeof rounds)[number]) => number | null) => {
    const values = rounds.map(f).filter((v): v is number => v !== null);
    return values.length > 0 ? spreadOf(values) : null;
  };
  const kinds = Object.fromEntries(chosen.map(([kind]) => [kind, {
    trainingMs: models.get(kind)!.trainingMs,
    processedPerSecond: over(kind, (r) => r[kind].processedPerSecond)!,
    latencyP50Ms: over(kind, (r) => r[kind].latencyP50Ms),
    latencyP99Ms: over(kind, (r) => r[kind].latencyP99Ms),
    shareOfBgNbd: over(kind, (r) => r[kind].processedPerSecond / r['bgnbd-gamma-gamma'].processedPerSecond)!,
  }]));
  for (const { model } of models.values()) if ('dispose' in model) await model.dispose();
  return { customers: o.customers, repetitions: rounds.length, kinds, rounds };
}

/** What the lstm kind trains on: each customer's purchase days up to the as-of and model input, as a training run gathers them. */
async function lstmTrainingData(pipeline: Pipeline, asOfDay: number, minorPerUnit: number) {
  const customers: Array<{ input: ModelInput; days: Array<[number, number]> }> = [];
  for await (const page of pipeline.stores.histories.scan(10_000)) {
    for (const [, h] of page) {
      const days = [...purchaseDayValues(h)].filter(([day]) => day <= asOfDay);
      const summary = summarizePurchaseDays(days);
      if (summary !== null) customers.push({ input: toModelInput(summary, asOfDay, 7, minorPerUnit), days });
    }
  }
  return { asOfDay, customers };
}
