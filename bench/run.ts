/**
 * `npm run bench`: measures, writes bench/results/latest.json (and a dated copy), prints a
 * summary. Figures are measurements of this machine, never assertions.
 *
 * `npm run bench -- --only throughput`: the embedded throughput against its Avro floor alone
 * (three repetitions, no latency, models or kinds), written to
 * bench/results/throughput-latest.json: the quick check of a change to the hot path.
 * `npm run bench -- --only kinds`: the champion-of-each-kind rounds alone, written to
 * bench/results/kinds-latest.json.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelBench } from './model-bench.js';
import { kindsBench, pipelineBench } from './pipeline-bench.js';
import type { Spread } from './spread.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = process.env.CLV_DATA_DIR ?? resolve(root, '..', 'shared', 'data');
const customers = Number(process.env.BENCH_CUSTOMERS ?? 40_000);
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
if (only !== null && only !== 'throughput' && only !== 'kinds') throw new Error(`--only: expected throughput or kinds, got ${only}`);

const started = new Date();
const machine = { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform, loadAverage1m: loadavg()[0] };
const f = (n: number | null | undefined, d = 0) => (n === null || n === undefined ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: d }));
const spread = (s: Spread, d = 0) => `${f(s.min, d)} / ${f(s.median, d)} / ${f(s.max, d)}`;
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });

if (only === 'kinds') {
  const kinds = await kindsBench({ customers, pacedRate: 5000, pacedSeconds: 10, repetitions: 5 });
  printKinds(kinds);
  writeFileSync(join(dir, 'kinds-latest.json'), JSON.stringify({ date: started.toISOString(), machine, kinds, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2) + '\n');
  console.log(`written to ${join(dir, 'kinds-latest.json')}`);
  process.exit(0);
}
const pipeline = await pipelineBench({ customers, pacedRate: 5000, pacedSeconds: 10, repetitions: 3, latency: only === null });
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAverage1m.toFixed(2)} at the start`);
for (const [label, t] of [['no model', pipeline.throughputNoModel], ['with model', pipeline.throughputWithModel]] as const) {
  console.log(`embedded pipeline, ${label.padEnd(10)} (${f(t.events)} events, min / median / max of ${pipeline.repetitions}): ${spread(t.project)} events/s; Avro floor ${spread(t.baseline)}; ratio ${spread(t.ratio, 2)} (in CPU time ${spread(t.cpuRatio, 2)})`);
  console.log(`  processors' floor ${spread(t.processorFloor)} events/s: pipeline / processors' floor ${spread(t.ratioToProcessorFloor, 2)}; processors' floor / Avro floor ${spread(t.processorFloorToBaseline, 2)}`);
}
if (only === 'throughput') {
  const result = { date: started.toISOString(), machine, pipeline, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  writeFileSync(join(dir, 'throughput-latest.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`written to ${join(dir, 'throughput-latest.json')}`);
  process.exit(0);
}
const models = modelBench(join(dataDir, 'cdnow', 'CDNOW_master.txt'), 5);
const kinds = await kindsBench({ customers, pacedRate: 5000, pacedSeconds: 10, repetitions: 5 });
const result = {
  date: started.toISOString(),
  machine,
  pipeline,
  models,
  kinds,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
writeFileSync(join(dir, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(dir, `bench-${started.toISOString().slice(0, 10)}.json`), JSON.stringify(result, null, 2) + '\n');

const latency = pipeline.latency;
if (latency) console.log(`event-to-score latency at ${f(latency.rate)} events/s: p50 ${f(latency.p50Ms, 1)} ms, p99 ${f(latency.p99Ms, 1)} ms (${f(latency.samples)} samples)`);
console.log(`re-score through the pipeline: ${f(pipeline.rescore.perSecond)} customers/s`);
if (!('skipped' in models)) {
  console.log(`BG/NBD + Gamma-Gamma fit on CDNOW_master (${f(models.customers)} customers): ${f(models.fitMsMedian, 1)} ms (median of ${models.fitMsAll.length})`);
  console.log(`CLV scoring: ${f(models.scoring.cold.customersPerSecond)} customers/s cold (fresh model), ${f(models.scoring.warm.customersPerSecond)} warm`);
} else {
  console.log(models.skipped);
}
printKinds(kinds);
console.log(`peak RSS: ${result.peakRssMiB} MiB; written to ${join(dir, 'latest.json')}`);

function printKinds(kinds: Awaited<ReturnType<typeof kindsBench>>): void {
  console.log(`champion of each kind (${f(kinds.customers)} customers; min / median / max of ${kinds.repetitions} rounds, kinds taking turns):`);
  for (const [kind, k] of Object.entries(kinds.kinds)) {
    const pct = (s: Spread) => `${(100 * s.min).toFixed(0)}% / ${(100 * s.median).toFixed(0)}% / ${(100 * s.max).toFixed(0)}%`;
    const ms = (s: Spread | null) => (s === null ? 'n/a' : spread(s, 1));
    console.log(`  ${kind.padEnd(27)}: ${spread(k.processedPerSecond)} events/s processing (of BG/NBD's: ${pct(k.shareOfBgNbd)}); at 5,000 events/s p50 ${ms(k.latencyP50Ms)} ms, p99 ${ms(k.latencyP99Ms)} ms; trained in ${f(k.trainingMs)} ms`);
  }
}
