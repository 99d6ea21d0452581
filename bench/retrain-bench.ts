/**
 * `npm run bench:retrain`: a full retrain and re-score of many synthetic customers (default
 * 1,000,000; BENCH_RETRAIN_CUSTOMERS) on the embedded stores. Purchase histories come from
 * the synthetic generator's population and purchase process (producers/synthetic/), written
 * straight into the feature store with their score states, as the stream would leave them:
 * ingestion has its own bench, this one measures only the training lifecycle:
 *   1. training run: readiness, time split, challenger fit, holdout comparison, refit on all
 *      data, register — against a champion already in the registry, forced to promote so the
 *      re-score that follows covers everyone;
 *   2. re-score of every customer with the new champion, in pages, publishing the changed
 *      scores (Avro-encoded into the in-process log).
 * Writes bench/results/retrain-latest.json and a dated copy. Figures, not assertions.
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { InMemoryAnalyticsStore } from '../adapters/in-memory/in-memory-analytics-store.js';
import { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { InMemoryModelRegistry } from '../adapters/in-memory/in-memory-model-registry.js';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { topicSpecs } from '../core/topics.js';
import { loadPolicy } from '../config/action-policy-file.js';
import { featuresOf, type CustomerPurchaseHistory, type PurchasedOrder } from '../processors/features/customer-purchase-history.js';
import { Pipeline } from '../processors/pipeline.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { rfmRuleModelFrom } from '../models/kinds/rfm-rule-model.js';
import { retrainAndRescore, trainingRunSettingsFrom } from '../training/retrain.js';
import { gamma } from '../producers/synthetic/distributions.js';
import { instantAt } from '../producers/synthetic/history-calendar.js';
import { DEFAULT_SYNTHETIC_HISTORY_OPTIONS as synthetic } from '../producers/synthetic/options.js';
import { drawCustomer } from '../producers/synthetic/population.js';
import { createRng, RngStream } from '../producers/synthetic/prng.js';
import { syntheticPopulation } from '../producers/synthetic/synthetic-history.js';
import { simulatePurchases } from '../producers/synthetic/purchase-process.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const customers = Number(process.env.BENCH_RETRAIN_CUSTOMERS ?? 1_000_000);
// Every kind trained: the backtest's candidates and the deployable LSTM beside them (issue 12).
const config = loadConfig({ CLV_TRAIN_LSTM: 'true' });
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const gc = () => (globalThis as { gc?: () => void }).gc?.();

// Peak memory: the kernel's high-water mark of RSS; heap is sampled after each re-score page
// (the fits are synchronous, so a timer could not sample inside them; maxRSS covers them).
let heapPeak = 0;
const sample = () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed));

const started = new Date();
const t0 = performance.now();
const { histories, scores, asOfMs, orders } = generate(customers);
const generateMs = performance.now() - t0;
gc();
const afterLoad = process.memoryUsage();

const log = new InMemoryEventLog();
const pipeline = new Pipeline({
  log, codec: new AvroCodec(),
  stores: { ledgers: new InMemoryStateStore(), histories, scores },
  validation: { currency: config.currency, maxFutureSkewMs: config.maxFutureSkewMs, now: Date.now },
  scoring: { dayOf: dayIndexer(config.timeZone), policy: loadPolicy(config.policyFile), hysteresis: config.segmentHysteresis, minorPerUnit: config.minorPerUnit },
  partitions: config.partitions, batchSize: config.batchSize,
  fallbackModel: rfmRuleModelFrom(config),
});
await log.createTopics(topicSpecs(config.partitions));
const registry = new InMemoryModelRegistry();
const analytics = new InMemoryAnalyticsStore();
// The re-score timed on its own: the run's trainingMs covers the deployed kind's fit, and the
// LSTM versions are fitted after it, before the re-score.
let rescoreMs = 0;
const timed = Object.assign(Object.create(pipeline) as Pipeline, {
  rescore: async (...args: Parameters<Pipeline['rescore']>) => {
    const t = performance.now();
    try {
      return await pipeline.rescore(...args);
    } finally {
      rescoreMs = performance.now() - t;
    }
  },
});
const deps = { histories, registry, analytics, dayOf: dayIndexer(config.timeZone), now: Date.now, pipeline: timed };

// A first champion, trained a month earlier, to compare against (not what is measured); the
// measured retrain is then the monthly one, whose new parameters move most customers' CLV.
// (without the LSTM: only the measured run needs every kind).
const first = await retrainAndRescore(deps, { ...trainingRunSettingsFrom(config, { version: 'bench-v1', asOfMs: asOfMs - 30 * 86_400_000 }), lstm: null });
gc();
const beforeRetrain = process.memoryUsage();
const t1 = performance.now();
const { run, rescore } = await retrainAndRescore(deps, trainingRunSettingsFrom(config, { version: 'bench-v2', asOfMs, force: true }), sample);
const totalMs = performance.now() - t1;

const result = {
  date: started.toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
  customers,
  orders,
  history: `${synthetic.start} to ${synthetic.end} (synthetic population, seed ${synthetic.seed}); as of ${new Date(asOfMs).toISOString()}`,
  generateMs: Math.round(generateMs),
  firstRun: { promoted: first.run.promoted, trainingMs: Math.round(first.run.trainingMs), rescored: first.rescore?.rescored ?? 0 },
  retrain: {
    trainingMs: Math.round(run.trainingMs),
    lstmMs: Math.round(totalMs - run.trainingMs - rescoreMs),
    lstm: run.lstm && ('error' in run.lstm ? run.lstm : { holdout: run.lstm.record.holdout, training: run.lstm.record.training, examples: run.lstm.record.options.examples }),
    lstmVersion: run.lstmKind && ('version' in run.lstmKind ? run.lstmKind.version : run.lstmKind),
    rescoreMs: Math.round(rescoreMs),
    totalMs: Math.round(totalMs),
    note: 'trainingMs: readiness, backtest choosing the kind, calibration fit, holdout comparison, refit on all data, register; lstmMs: the LSTM fitted on the calibration period and judged on the holdout, then registered as the deployable lstm version with its companion and thresholds as of the as-of (CLV_TRAIN_LSTM=true); rescoreMs: every customer re-scored with the new champion',
    champion: { kind: run.model.kind, selection: run.selection.reason },
    trainingCustomers: run.figures.customers,
    repeatCustomers: run.figures.repeatCustomers,
    decision: run.reason,
    rescored: rescore?.rescored ?? 0,
    published: rescore?.published ?? 0,
    segmentChanges: rescore?.segmentChanges ?? 0,
    rescoredPerSecond: Math.round((rescore?.rescored ?? 0) / (rescoreMs / 1000)),
  },
  memory: {
    rssAfterLoadMiB: mib(afterLoad.rss),
    heapAfterLoadMiB: mib(afterLoad.heapUsed),
    rssBeforeRetrainMiB: mib(beforeRetrain.rss),
    heapBeforeRetrainMiB: mib(beforeRetrain.heapUsed),
    heapPeakDuringRescoreMiB: mib(heapPeak),
    eventLogMessages: log.read('clv.scores.v1').length + log.read('clv.segment-changes.v1').length,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  },
};
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'retrain-latest.json'), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(dir, `retrain-${started.toISOString().slice(0, 10)}.json`), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));

/** Histories and score states of `n` synthetic customers, as of the end of the history. */
function generate(n: number) {
  const { calendar, seasonal, seasonalMax, warp, model } = syntheticPopulation(synthetic);
  const histories = new InMemoryStateStore<CustomerPurchaseHistory>();
  const scores = new InMemoryStateStore<CustomerScoreState>();
  const asOfMs = calendar.endMs - 1;
  let orders = 0;
  const page = 10_000;
  for (let from = 0; from < n; from += page) {
    const h = new Map<string, CustomerPurchaseHistory>();
    const s = new Map<string, CustomerScoreState>();
    for (let i = from; i < Math.min(n, from + page); i++) {
      const rng = createRng(synthetic.seed, RngStream.customer, i);
      const c = drawCustomer(rng, i, model);
      const timeline = simulatePurchases(rng, c.birthDayOffset + c.birthFraction, c.lambdaPerWeek, c.dropoutProbability, seasonal, seasonalMax, calendar.days);
      const list: PurchasedOrder[] = timeline.positions.map((u, j) => {
        const dayOffset = Math.floor(u);
        const net = Math.max(1, Math.round(gamma(rng, synthetic.gammaGamma.p, c.spendNu) * synthetic.minorPerMajor));
        return { orderId: `${c.customerId}-${j}`, day: calendar.startDay + dayOffset, time: instantAt(calendar, dayOffset, warp(u - dayOffset)), revision: 0, status: 'ACTIVE', net, categories: [], lines: [] };
      });
      orders += list.length;
      const history: CustomerPurchaseHistory = { customerId: c.customerId, currency: synthetic.currency, orders: list, compacted: null };
      h.set(c.customerId, history);
      const features = featuresOf(history, list[list.length - 1].time, `${c.customerId}-features`)!;
      s.set(c.customerId, { features, asOfMs: features.event_time, segment: null, clvMinor: 0, modelVersion: null, recommendation: null, interval: null, sequence: 0, sweptToMs: null });
    }
    void histories.setMany(h);
    void scores.setMany(s);
  }
  return { histories, scores, asOfMs, orders };
}
