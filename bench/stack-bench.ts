/**
 * `npm run bench:stack` (services must be up: `npm run services:up`): the pipeline on the
 * real stack — Kafka → purchases → features → scores throughput, event-to-score latency at
 * a paced rate, and the ClickHouse sink's rows/s. Resets the clv topics and groups first.
 */
import { endOfDayMs } from '../core/calendar.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { resetClvTopics } from '../adapters/kafka/reset-clv-topics.js';
import { syntheticDemoHistory } from '../app/demo/demo-history.js';
import { createLogger } from '../app/logger.js';
import { productionPipeline, startClickHouseSink } from '../app/production.js';
import { dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { Topics, topicSpecs } from '../core/topics.js';
import { publishMessages } from '../producers/publish-messages.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { modelInputsAsOf } from '../training/model-inputs-as-of.js';
import { LatencyProbe, percentile } from './latency-probe.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const config = loadConfig({ ...process.env, CLV_REDIS_URL: process.env.CLV_REDIS_URL ?? 'redis://127.0.0.1:6379/6', CLV_CLICKHOUSE_DATABASE: 'clv_bench', CLV_LOG_LEVEL: 'warn' });
const logger = createLogger('warn');
const customers = Number(process.env.BENCH_CUSTOMERS ?? 20_000);

const groups = ['clv-purchases', 'clv-features', 'clv-scoring', 'clv-clickhouse-sink'];
await resetClvTopics(config.kafkaBrokers, groups, { topics: true });
const redis = new Redis(config.redisUrl);
await redis.flushdb();
redis.disconnect();

const history = syntheticDemoHistory({ customers, seed: 3, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });
const calibrationEndMs = endOfDayMs(history.calibrationEndDay, config.timeZone);
const split = history.messages.findIndex((m) => m.deliveredAtMs > calibrationEndMs);
const calibration = history.messages.slice(0, split);
const paced = history.messages.slice(split, split + 5000 * 10);

let probe: LatencyProbe | null = null;
const production = await productionPipeline(config, logger, (log) => (probe = new LatencyProbe(log)));
const { log, codec, pipeline } = production;
await log.createTopics(topicSpecs(config.partitions));

async function caughtUp(groupTopics: Record<string, string[]>): Promise<void> {
  for (;;) {
    let lag = 0;
    for (const [group, topics] of Object.entries(groupTopics)) lag += await log.lag(group, topics);
    if (lag === 0) return;
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
const published = await publishMessages(log, codec, calibration.slice(10));
await caughtUp(processorInputs);
const throughputSeconds = (performance.now() - t) / 1000;

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

// 3. The ClickHouse sink over everything now on the topics.
let rows = 0;
for (const topic of Object.values(Topics)) rows += await log.lag('clv-clickhouse-sink', [topic]);
t = performance.now();
const sink = await startClickHouseSink(config, log, codec, logger);
await caughtUp({ 'clv-clickhouse-sink': Object.values(Topics) });
const sinkSeconds = (performance.now() - t) / 1000;
await sink.stop();
await production.close();

const result = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, note: 'Kafka, Apicurio, Redis and ClickHouse on the same machine' },
  customers,
  publish: { events: published.published, seconds: published.seconds, perSecond: published.published / published.seconds },
  processing: { events: published.published, seconds: throughputSeconds, eventsPerSecond: published.published / throughputSeconds, note: 'publish + process, from the first publish until every processor has committed' },
  latency: { rate: 5000, events: paced.length, seconds: pacedSeconds, samples: samples.length, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) },
  sink: { messages: rows, seconds: sinkSeconds, messagesPerSecond: rows / sinkSeconds },
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'stack-latest.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
process.exit(0);
