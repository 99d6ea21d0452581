import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { metricsRegistry } from '../metrics/metrics-registry.js';
import { pollConsumerLag, processorLagSources, prometheusObserver, segmentTransitions } from '../metrics/prometheus-observer.js';
import { dayIndexer } from '../core/calendar.js';
import type { SegmentChangedEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';
import { Pipeline } from '../processors/pipeline.js';
import type { BatchSummary } from '../processors/run-keyed-processor.js';
import { day, payment, placed } from './support/commerce-events.js';
import { defaultPolicy, linearModel } from './support/embedded-pipeline.js';

async function value(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find((m) => m.name === name);
  const v = (metric?.values as Array<{ labels: Record<string, string>; value: number }> | undefined)?.find((x) => Object.entries(labels).every(([k, l]) => x.labels[k] === l));
  return v?.value ?? 0;
}

/** An embedded pipeline on two partitions, its batch summaries to `observe`. */
function embedded(observe?: (summary: BatchSummary) => void) {
  const log = new InMemoryEventLog({ maxBackoffMs: 20 });
  const codec = new AvroCodec();
  const pipeline = new Pipeline({
    log, codec,
    stores: { ledgers: new InMemoryStateStore(), histories: new InMemoryStateStore(), scores: new InMemoryStateStore() },
    validation: { currency: 'USD', maxFutureSkewMs: 86_400_000, now: Date.now },
    scoring: { dayOf: dayIndexer('UTC'), policy: defaultPolicy, hysteresis: 0.1, minorPerUnit: 100 },
    partitions: 2, batchSize: 50,
    observe,
  });
  return { log, codec, pipeline };
}

test('batch summaries become Prometheus counters: events in/out per topic, dead letters by code, scores by model version', async () => {
  const before = {
    in: await value('clv_events_in_total', { topic: Topics.orders }),
    out: await value('clv_events_out_total', { topic: Topics.scores }),
    dead: await value('clv_dead_letters_total', { reason: 'CLV_UNDECODABLE' }),
    scores: await value('clv_scores_total', { model_version: 'v7' }),
  };
  prometheusObserver(() => 'v7')({
    processor: 'clv-scoring',
    messagesIn: { [Topics.orders]: 5 },
    messagesOut: { [Topics.scores]: 3, [Topics.deadLetter]: 1 },
    deadLetters: { CLV_UNDECODABLE: 1 },
    outputs: [],
    seconds: 0.01,
  });
  assert.equal(await value('clv_events_in_total', { topic: Topics.orders }), before.in + 5);
  assert.equal(await value('clv_events_out_total', { topic: Topics.scores }), before.out + 3);
  assert.equal(await value('clv_dead_letters_total', { reason: 'CLV_UNDECODABLE' }), before.dead + 1);
  assert.equal(await value('clv_scores_total', { model_version: 'v7' }), before.scores + 3);
});

/** A segment-change output as the scoring processor emits it (only the fields the tally reads matter). */
const change = (from: string | null, to: string) => ({ topic: Topics.segmentChanges, key: 'C', value: { previous_segment: from, segment: to } });

test('segment changes are counted by their real previous and new segments, a first segmentation as from="none"', async () => {
  const labels = { atRisk: { from: 'high_value', to: 'at_risk' }, first: { from: 'none', to: 'new' } };
  const before = { atRisk: await value('clv_segment_changes_total', labels.atRisk), first: await value('clv_segment_changes_total', labels.first) };
  prometheusObserver(() => 'v7')({
    processor: 'clv-scoring',
    messagesIn: { [Topics.features]: 6 },
    messagesOut: { [Topics.scores]: 6, [Topics.segmentChanges]: 5 },
    deadLetters: {},
    outputs: [
      ...Array.from({ length: 3 }, () => change('high_value', 'at_risk')),
      ...Array.from({ length: 2 }, () => change(null, 'new')),
      { topic: Topics.scores, key: 'C', value: {} },
    ],
    seconds: 0.01,
  });
  assert.equal(await value('clv_segment_changes_total', labels.atRisk), before.atRisk + 3);
  assert.equal(await value('clv_segment_changes_total', labels.first), before.first + 2);
  assert.equal(await value('clv_segment_changes_total', { from: '*', to: '*' }), 0, 'no wildcard series any more');
});

test('the scoring runner reports the transitions of exactly the segment-change events it publishes', async () => {
  const summaries: BatchSummary[] = [];
  const { log, codec, pipeline } = embedded((summary) => summaries.push(summary));
  pipeline.useModel(linearModel);
  await pipeline.start();
  // C2 buys on three days and moves new → medium value; the re-score sweep ages C1 out of new.
  const buys: Array<[string, string, number, number]> = [['C1', 'O1', 1000, 1], ['C2', 'O2', 2000, 2], ['C2', 'O3', 3000, 10], ['C2', 'O4', 4000, 20]];
  for (const [customer, order, amount, d] of buys) {
    await log.publish(Topics.orders, [{ key: customer, value: await codec.encode(Topics.orders, placed(order, amount, day(d), customer)) }]);
    await log.publish(Topics.payments, [{ key: customer, value: await codec.encode(Topics.payments, payment('PAYMENT_CAPTURED', order, amount, day(d) + 60_000, '', customer)) }]);
    await pipeline.waitUntilIdle();
  }
  await pipeline.rescoreAll(day(400));
  await pipeline.stop();

  const published = await Promise.all(log.read(Topics.segmentChanges).map(async (m) => (await codec.decode(Topics.segmentChanges, m.value!)) as SegmentChangedEvent));
  const tally = (pairs: Array<[string | null, string, number]>) => {
    const t = new Map<string, number>();
    for (const [from, to, n] of pairs) t.set(`${from ?? 'none'} → ${to}`, (t.get(`${from ?? 'none'} → ${to}`) ?? 0) + n);
    return Object.fromEntries([...t].sort());
  };
  const reported = tally(summaries.flatMap((s) => segmentTransitions(s.outputs).map((c) => [c.from, c.to, c.count] as [string | null, string, number])));
  assert.ok(published.length >= 3, `several changes expected, got ${published.length}`);
  assert.ok(published.some((c) => c.previous_segment !== null), 'a change between two real segments');
  assert.deepEqual(reported, tally(published.map((c) => [c.previous_segment, c.segment, 1])));
});

test('the lag gauge shows every group the process consumes with: its processors only, and the sink', async () => {
  const { log, codec, pipeline } = embedded();
  assert.deepEqual(processorLagSources(pipeline, ['features']), [{ group: 'clv-features', topics: [Topics.purchases] }]);
  assert.equal(processorLagSources(pipeline).length, 3);
  await log.createTopics([{ name: Topics.orders, partitions: 2, compacted: false }, { name: Topics.payments, partitions: 2, compacted: false }]);
  for (const order of ['O1', 'O2', 'O3']) {
    await log.publish(Topics.orders, [{ key: 'C1', value: await codec.encode(Topics.orders, placed(order, 1000, day(1), 'C1')) }]);
  }
  // Nothing consumed yet: the sink's group is 3 messages behind on orders, the purchases processor too.
  const stop = pollConsumerLag(log, [...processorLagSources(pipeline, ['purchases']), { group: 'clv-clickhouse-sink', topics: [Topics.orders, Topics.payments] }], 5);
  await new Promise((r) => setTimeout(r, 40));
  stop();
  assert.equal(await value('clv_consumer_lag', { group: 'clv-clickhouse-sink' }), 3);
  assert.equal(await value('clv_consumer_lag', { group: 'clv-purchases' }), 3);
});
