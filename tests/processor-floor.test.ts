/**
 * The processors' floor does the pipeline's processor work: over what an embedded replay
 * consumed, its states end as the pipeline's stores hold them, with and without a model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticDemoHistory } from '../app/demo/demo-history.js';
import { replayMessages } from '../app/demo/replay-messages.js';
import { embeddedPipeline } from '../app/embedded.js';
import { createLogger } from '../app/logger.js';
import { endOfDayMs, dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import type { StateCodec, StateStore } from '../core/ports/state-store.js';
import { processorStateCodecs } from '../processors/state-codecs.js';
import type { OrderLedger } from '../processors/purchases/purchase-joiner.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { modelInputsAsOf } from '../training/model-inputs-as-of.js';
import { CodecWorkRecorder } from '../bench/avro-floor.js';
import { ProcessorFloor } from '../bench/processor-floor.js';
import { Topics } from '../core/topics.js';

async function everything<T>(store: StateStore<T>): Promise<Map<string, T>> {
  const all = new Map<string, T>();
  for await (const page of store.scan(1000)) for (const [key, value] of page) all.set(key, value);
  return all;
}

/** States in their stored form, to compare. */
const stored = <T>(codec: StateCodec<T>, states: ReadonlyMap<string, unknown>) => new Map([...states].map(([key, value]) => [key, codec.encode(value as T, key)]));

/**
 * Ledgers with their seen ids sorted. A ledger's seen ids are a set kept in arrival order: the
 * floor takes a chunk's orders and payments in publish order, the embedded log's consumer
 * round-robins over topics and partitions.
 */
const seenSorted = (states: ReadonlyMap<string, unknown>) => new Map([...states].map(([key, l]) => [key, { ...(l as OrderLedger), seen: [...(l as OrderLedger).seen].sort(([a], [b]) => (a < b ? -1 : 1)) }]));

/** An embedded pipeline that replayed a synthetic shop in chunks of 500 messages, stopped, and the codec work it recorded. */
async function recordedReplay(customers: number, seed: number) {
  const config = loadConfig({});
  const history = syntheticDemoHistory({ customers, seed, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });
  let recorder: CodecWorkRecorder | null = null;
  const { codec, pipeline } = embeddedPipeline(config, createLogger('silent'), (inner) => (recorder = new CodecWorkRecorder(inner)));
  const log = recorder as unknown as CodecWorkRecorder;
  await pipeline.start();
  log.record();
  for (let i = 0; i < history.messages.length; i += 500) await replayMessages({ log, codec, pipeline }, history.messages.slice(i, i + 500));
  await pipeline.stop();
  return { config, pipeline, work: log.take() };
}

test('processor floor: fed what the pipeline consumed, chunk by chunk, it ends with the pipeline\'s ledgers, histories and scores', async () => {
  const config = loadConfig({});
  const history = syntheticDemoHistory({ customers: 300, seed: 5, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });
  const calibrationEndMs = endOfDayMs(history.calibrationEndDay, config.timeZone);
  const split = history.messages.findIndex((m) => m.deliveredAtMs > calibrationEndMs);
  let recorder: CodecWorkRecorder | null = null;
  const { codec, pipeline } = embeddedPipeline(config, createLogger('silent'), (inner) => (recorder = new CodecWorkRecorder(inner)));
  const log = recorder as unknown as CodecWorkRecorder;
  const floor = new ProcessorFloor(config);
  await pipeline.start();
  const replay = async (from: number, to: number) => {
    for (let i = from; i < to; i += 500) {
      log.record();
      await replayMessages({ log, codec, pipeline }, history.messages.slice(i, Math.min(to, i + 500)));
      const work = log.take();
      const figures = await floor.measure(work.decodes);
      assert.equal(figures.decodes, work.decodes.length);
    }
  };
  await replay(0, split);
  const { inputs } = await modelInputsAsOf(pipeline.stores.histories, calibrationEndMs, 7, dayIndexer(config.timeZone), config.minorPerUnit);
  const model = trainCustomerValueModel(inputs, trainingSettingsFrom(config, 'test'));
  pipeline.useModel(model);
  floor.useModel(model);
  await replay(split, history.messages.length);
  await pipeline.stop();

  const ledgers = await everything(pipeline.stores.ledgers);
  const histories = await everything(pipeline.stores.histories);
  const scores = await everything(pipeline.stores.scores);
  assert.ok(ledgers.size > 300 && histories.size > 200 && scores.size > 200, `${ledgers.size} ledgers, ${histories.size} histories, ${scores.size} scores`);
  // Compared in their stored form, the ledgers' seen ids sorted.
  assert.deepEqual(stored(processorStateCodecs.ledgers, seenSorted(floor.statesOf('clv-purchases'))), stored(processorStateCodecs.ledgers, seenSorted(ledgers)));
  assert.deepEqual(stored(processorStateCodecs.histories, floor.statesOf('clv-features')), stored(processorStateCodecs.histories, histories));
  assert.deepEqual(stored(processorStateCodecs.scores, floor.statesOf('clv-scoring')), stored(processorStateCodecs.scores, scores));
});

test('processor floor: reset forgets every state', async () => {
  const { config, work } = await recordedReplay(20, 2);
  const floor = new ProcessorFloor(config);
  const figures = await floor.measure(work.decodes);
  assert.ok(figures.encodes > 0 && floor.statesOf('clv-purchases').size > 0);
  floor.reset();
  for (const name of ['clv-purchases', 'clv-features', 'clv-scoring']) assert.equal(floor.statesOf(name).size, 0);
});

test('processor floor, hop by hop: fed only the input events, it ends with the pipeline\'s states and publishes no more than the pipeline did', async () => {
  const { config, pipeline, work } = await recordedReplay(300, 11);
  const inputs = work.decodes.filter((m) => m.topic === Topics.orders || m.topic === Topics.payments);
  const pipelinePublished: Record<string, number> = {};
  for (const m of work.encodes) pipelinePublished[m.topic] = (pipelinePublished[m.topic] ?? 0) + 1;

  const floor = new ProcessorFloor(config);
  const figures = await floor.measureHops(inputs);

  // Every message of every hop decoded: the inputs, then what the hop before it published.
  assert.equal(figures.decodes, inputs.length + figures.published[Topics.purchases] + figures.published[Topics.features]);
  assert.equal(figures.encodes, Object.values(figures.published).reduce((a, b) => a + b, 0));
  // A purchase per settled order as in the pipeline; features coalesced per full batch, so no more than the pipeline's.
  assert.equal(figures.published[Topics.purchases], pipelinePublished[Topics.purchases]);
  assert.ok(figures.published[Topics.features] > 0 && figures.published[Topics.features] <= pipelinePublished[Topics.features], `${figures.published[Topics.features]} features against ${pipelinePublished[Topics.features]}`);
  assert.ok(figures.published[Topics.scores] > 0 && figures.published[Topics.scores] <= pipelinePublished[Topics.scores]);

  assert.deepEqual(stored(processorStateCodecs.ledgers, seenSorted(floor.statesOf('clv-purchases'))), stored(processorStateCodecs.ledgers, seenSorted(await everything(pipeline.stores.ledgers))));
  assert.deepEqual(stored(processorStateCodecs.histories, floor.statesOf('clv-features')), stored(processorStateCodecs.histories, await everything(pipeline.stores.histories)));
  // Scores as the pipeline's but for `sequence`, the count of scores published: fewer features, fewer scores.
  const scores = await everything(pipeline.stores.scores);
  const floorScores = floor.statesOf('clv-scoring') as ReadonlyMap<string, CustomerScoreState>;
  for (const [key, state] of floorScores) assert.ok(state.sequence <= scores.get(key)!.sequence, key);
  const unsequenced = (states: ReadonlyMap<string, CustomerScoreState>) => new Map([...states].map(([key, s]) => [key, { ...s, sequence: 0 }]));
  assert.deepEqual(stored(processorStateCodecs.scores, unsequenced(floorScores)), stored(processorStateCodecs.scores, unsequenced(scores)));
});
