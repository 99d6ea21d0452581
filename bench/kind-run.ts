/**
 * One run of the kinds bench (pipeline-bench.ts: kindsBench), in a fresh heap: the synthetic
 * history's calibration replayed through an embedded pipeline, the kind trained on its
 * features (or loaded from the artifact of its first run), every customer re-scored as of the
 * calibration end, then half the holdout at full speed with the model scoring every change,
 * and a paced slice of the rest for event-to-score latency.
 */
import { dayIndexer, endOfDayMs } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { syntheticDemoHistory, type DemoHistory } from '../app/demo/demo-history.js';
import { replayMessages } from '../app/demo/replay-messages.js';
import { embeddedPipeline } from '../app/embedded.js';
import { createLogger } from '../app/logger.js';
import type { CustomerValueModel } from '../core/customer-value-model.js';
import { summarizePurchaseDays, toModelInput, type ModelInput } from '../core/repeat-purchase-summary.js';
import { modelFromArtifact } from '../models/kinds/model-kinds.js';
import { trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { trainLstmModel } from '../models/kinds/train-lstm-model.js';
import { trainScoringModel, type ScoringChoice } from '../models/kinds/train-scoring-model.js';
import { dailyRepeatPurchases } from '../models/kinds/train-seasonal-model.js';
import { purchaseDayValues } from '../processors/features/customer-purchase-history.js';
import type { Pipeline } from '../processors/pipeline.js';
import { modelInputsAsOf } from '../training/model-inputs-as-of.js';
import { LatencyProbe, percentile } from './latency-probe.js';
import { EncodedMessages, replayEncoded } from './encoded-messages.js';
import { pacedReplay } from './paced-replay.js';

/** The kinds of champion the bench runs, and how each is trained. */
export const KIND_CHOICES: ReadonlyArray<readonly [string, ScoringChoice | { model: 'lstm' }]> = [
  ['bgnbd-gamma-gamma', { model: 'bgnbd' }],
  ['seasonal-bgnbd-gamma-gamma', { model: 'seasonal' }],
  ['ensemble', { model: 'ensemble', weights: { bgnbd: 0.5, seasonal: 0.5 } }],
  ['lstm', { model: 'lstm' }],
];

export interface KindRunOptions {
  kind: string;
  customers: number;
  pacedRate: number;
  pacedSeconds: number;
  /** The kind's artifact from an earlier run; null: train it here. */
  artifact: unknown;
}

export interface KindRunFigures {
  processedPerSecond: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

export interface KindRunResult {
  figures: KindRunFigures;
  /** When trained here: the artifact and how long training took. */
  artifact: unknown;
  trainingMs: number | null;
}

export async function kindRun(o: KindRunOptions): Promise<KindRunResult> {
  const choice = KIND_CHOICES.find(([k]) => k === o.kind)?.[1];
  if (choice === undefined) throw new Error(`unknown kind ${o.kind}`);
  const config = loadConfig({});
  const logger = createLogger('warn');
  let history: DemoHistory | null = syntheticDemoHistory({ customers: o.customers, seed: 7, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });
  const calibrationEndMs = endOfDayMs(history.calibrationEndDay, config.timeZone);
  const split = history.messages.findIndex((m) => m.deliveredAtMs > calibrationEndMs);
  const dayOf = dayIndexer(config.timeZone);
  let probe: LatencyProbe | null = null;
  const { log, codec, pipeline } = embeddedPipeline(config, logger, (inner) => (probe = new LatencyProbe(inner)));
  await pipeline.start();
  await replayMessages({ log, codec, pipeline }, history.messages.slice(0, split));
  // The holdout as a separate producer would hold it; the history's objects are let go.
  const holdout = await EncodedMessages.of(codec, history.messages.slice(split));
  history = null;
  let model: CustomerValueModel & { toJSON(): unknown; dispose?: () => Promise<void> };
  let trainingMs: number | null = null;
  if (o.artifact !== null) {
    model = modelFromArtifact(`bench-${o.kind}`, o.kind, o.artifact) as typeof model;
  } else {
    const { inputs } = await modelInputsAsOf(pipeline.stores.histories, calibrationEndMs, 7, dayOf, config.minorPerUnit);
    const days: Array<Array<[number, number]>> = [];
    for await (const page of pipeline.stores.histories.scan(10_000)) for (const [, h] of page) days.push(h.orders.filter((x) => x.status === 'ACTIVE').map((x) => [x.day, x.net] as [number, number]));
    const settings = trainingSettingsFrom(config, `bench-${o.kind}`);
    const t0 = performance.now();
    model = choice.model === 'lstm'
      ? await trainLstmModel(await lstmTrainingData(pipeline, dayOf(calibrationEndMs), config.minorPerUnit), settings, { maxEpochs: config.lstmEpochs, seed: 1, logger: { info: () => {} } })
      : await trainScoringModel(choice, { inputs, repeats: dailyRepeatPurchases(days, dayOf(calibrationEndMs)) }, settings, config.holidays);
    trainingMs = performance.now() - t0;
  }
  pipeline.useModel(model);
  await pipeline.rescoreAll(calibrationEndMs);
  const half = Math.floor(holdout.length / 2);
  const t = await replayEncoded({ log, pipeline }, holdout, 0, half);
  (probe as LatencyProbe | null)?.reset();
  await pacedReplay(holdout, half, Math.min(holdout.length, half + o.pacedRate * o.pacedSeconds), o.pacedRate, probe ?? log);
  await pipeline.waitUntilIdle(1);
  await pipeline.stop();
  const samples = (probe as LatencyProbe | null)?.samplesMs ?? [];
  const artifact = trainingMs === null ? null : model.toJSON();
  await model.dispose?.();
  return {
    figures: { processedPerSecond: t.processedPerSecond, latencyP50Ms: percentile(samples, 0.5), latencyP99Ms: percentile(samples, 0.99) },
    artifact,
    trainingMs,
  };
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
