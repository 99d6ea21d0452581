/**
 * `npm run bench`: measures, writes bench/results/latest.json (and a dated copy), prints a
 * summary. Figures are measurements of this machine, never assertions.
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelBench } from './model-bench.js';
import { kindsBench, pipelineBench } from './pipeline-bench.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = process.env.CLV_DATA_DIR ?? resolve(root, '..', 'shared', 'data');
const customers = Number(process.env.BENCH_CUSTOMERS ?? 40_000);

const started = new Date();
const pipeline = await pipelineBench({ customers, pacedRate: 5000, pacedSeconds: 10 });
const models = modelBench(join(dataDir, 'cdnow', 'CDNOW_master.txt'), 5);
const kinds = await kindsBench({ customers: Math.min(customers, 20_000), pacedRate: 5000, pacedSeconds: 10 });
const result = {
  date: started.toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
  pipeline,
  models,
  kinds,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(dir, `bench-${started.toISOString().slice(0, 10)}.json`), JSON.stringify(result, null, 2) + '\n');

const f = (n: number | null | undefined, d = 0) => (n === null || n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: d }));
console.log(`machine: ${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}`);
for (const [label, t] of [['no model', pipeline.throughputNoModel], ['with model', pipeline.throughputWithModel]] as const) {
  console.log(`embedded pipeline, ${label.padEnd(10)}: ${f(t.processedPerSecond)} events/s processing, ${f(t.eventsPerSecond)} events/s with producer encoding (${f(t.events)} events)`);
}
console.log(`event-to-score latency at ${f(pipeline.latency.rate)} events/s: p50 ${f(pipeline.latency.p50Ms, 1)} ms, p99 ${f(pipeline.latency.p99Ms, 1)} ms (${f(pipeline.latency.samples)} samples)`);
console.log(`re-score through the pipeline: ${f(pipeline.rescore.perSecond)} customers/s`);
if (!('skipped' in models)) {
  console.log(`BG/NBD + Gamma-Gamma fit on CDNOW_master (${f(models.customers)} customers): ${f(models.fitMsMedian, 1)} ms (median of ${models.fitMsAll.length})`);
  console.log(`CLV scoring: ${f(models.scoring.cold.customersPerSecond)} customers/s cold (fresh model), ${f(models.scoring.warm.customersPerSecond)} warm`);
} else {
  console.log(models.skipped);
}
for (const [kind, k] of Object.entries(kinds.kinds)) console.log(`champion ${kind.padEnd(27)}: ${f(k.processedPerSecond)} events/s processing, p50 ${f(k.latencyP50Ms, 1)} ms, p99 ${f(k.latencyP99Ms, 1)} ms at 5,000 events/s (trained in ${f(k.trainingMs)} ms)`);
console.log(`ensemble throughput ${(100 * kinds.ensembleShareOfBgNbd).toFixed(0)}% of BG/NBD's (${f(kinds.customers)} customers)`);
console.log(`peak RSS: ${result.peakRssMiB} MiB; written to ${join(dir, 'latest.json')}`);
