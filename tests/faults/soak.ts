/**
 * The soak (issue 13, item 9): the synthetic shop streamed at a steady rate (default 2,000
 * events/s for 30 minutes) through `clv run purchases features scoring` and `clv run sink`
 * on a private Kafka, Apicurio, Redis and ClickHouse (support/own-services.ts; the shared
 * services are never touched), with every process's resident memory (VmRSS) and the consumer
 * groups' total lag sampled every 10 s. At the end, once every group has caught up, the stack
 * must equal a fault-free embedded run of the same messages, exactly (as in the fault suite).
 *
 * Not a CI step (it takes the whole half hour by design): run it by hand,
 *   npm run soak                              # 30 min at 2,000 events/s
 *   npm run soak -- --minutes 2 --rate 500    # a short try
 * It prints a line per minute and writes bench/results/soak-latest.json. The comparison holds both
 * runs in this process (about 1 million customers at the defaults), hence the larger heap.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SchemaRegistryCodec } from '../../adapters/avro/schema-registry-codec.js';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { topicSpecs, Topics } from '../../core/topics.js';
import { ProcessorNames } from '../../processors/pipeline.js';
import { publishMessages, type ProducerMessage } from '../../producers/publish-messages.js';
import { generateSyntheticHistory } from '../../producers/synthetic/synthetic-history.js';
import { clv, groups, stackEnv, waitForCatchUp, type ClvProcess } from '../integration/support/stack.js';
import { FaultFreeRun } from './support/fault-free-run.js';
import { OwnServices, serviceNames } from './support/own-services.js';
import { compareSnapshots, snapshotOfStack } from './support/stack-snapshot.js';

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '2000' },
    out: { type: 'string', default: join('bench', 'results', 'soak-latest.json') },
  },
});
const minutes = Number(flags.minutes);
const rate = Number(flags.rate);
if (!(minutes > 0)) throw new Error(`--minutes must be a positive number, got ${flags.minutes}`);
if (!(rate > 0)) throw new Error(`--rate must be a positive number, got ${flags.rate}`);

const sampleEveryMs = 10_000;
const inputs: Record<string, string[]> = {
  'clv-purchases': [Topics.orders, Topics.payments],
  'clv-features': [Topics.purchases],
  'clv-scoring': [Topics.features],
  'clv-clickhouse-sink': Object.values(Topics),
};

function rssMb(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * Enough messages for the whole soak: the synthetic shop gives about 4 messages per customer
 * over 18 months, so the population is sized from the target and the history cut to it.
 */
function soakHistory(target: number): { source: string; messages: ProducerMessage[] } {
  const customers = Math.max(1000, Math.ceil(target / 3.5));
  const shop = generateSyntheticHistory({ customers, seed: 29, start: '2023-01-01', end: '2024-06-30' });
  const messages = shop.messages.slice(0, target);
  return { source: `the synthetic shop (${customers} customers, seed 29, 2023-01-01..2024-06-30; first ${messages.length} of ${shop.messages.length} messages)`, messages };
}

interface Sample {
  atS: number;
  published: number;
  lag: number;
  rssMb: Record<string, number | null>;
}

const target = Math.round(rate * minutes * 60);
const history = soakHistory(target);
console.log(`[soak] ${history.source}; ${history.messages.length} messages at ${rate} events/s (${minutes} min)`);

const services = await OwnServices.create();
let processors: ClvProcess | undefined;
let sink: ClvProcess | undefined;
let log: KafkaEventLog | undefined;
let baseline: FaultFreeRun | undefined;
let failed = true;
try {
  await services.up('kafka', 'registry', 'clickhouse', 'redis');
  const env: NodeJS.ProcessEnv = { ...stackEnv, ...services.clvEnv(), CLV_PARTITIONS: '4', CLV_LOG_LEVEL: 'warn' };
  log = new KafkaEventLog({ brokers: services.kafkaBrokers });
  const codec = new SchemaRegistryCodec({ url: services.registryUrl });
  await codec.registerAll();
  await log.createTopics(topicSpecs(Number(env.CLV_PARTITIONS)));
  processors = clv(['run', ...ProcessorNames], env);
  sink = clv(['run', 'sink'], env);

  const pids = (): Record<string, number | null | undefined> => ({
    processors: processors?.child.pid,
    sink: sink?.child.pid,
    ...Object.fromEntries(serviceNames.map((n) => [n, services.pid(n)])),
  });
  const samples: Sample[] = [];
  let published = 0;
  const started = performance.now();
  const lagNow = async () => {
    let lag = 0;
    for (const g of groups) lag += await log!.lag(g, inputs[g]);
    return lag;
  };
  const sampler = setInterval(() => {
    void lagNow()
      .catch(() => -1)
      .then((lag) => {
        const s: Sample = { atS: Math.round((performance.now() - started) / 1000), published, lag, rssMb: Object.fromEntries(Object.entries(pids()).map(([k, pid]) => [k, rssMb(pid)])) };
        samples.push(s);
        if (samples.length % 6 === 0) console.log(`[soak] ${s.atS} s: ${s.published} published, lag ${s.lag}, RSS MB ${JSON.stringify(s.rssMb)}`);
      });
  }, sampleEveryMs);

  const publishing = await publishMessages(log, codec, history.messages, { rate, onProgress: (n) => (published = n) });
  const drainStarted = performance.now();
  await waitForCatchUp(log, 30 * 60_000);
  const drainS = (performance.now() - drainStarted) / 1000;
  clearInterval(sampler);
  for (const [what, p] of [['processors', processors], ['sink', sink]] as const) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`${what} exited during the soak:\n${p.output().slice(-3000)}`);
  }

  // Memory over time: the peak of each process in the first and in the last fifth of the soak.
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const peak = (list: Sample[], k: string) => Math.max(...list.map((s) => s.rssMb[k] ?? 0));
  const memory = Object.fromEntries(Object.keys(pids()).map((k) => [k, { firstFifthPeakMb: peak(samples.slice(0, fifth), k), lastFifthPeakMb: peak(samples.slice(-fifth), k), peakMb: peak(samples, k) }]));
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadavgAtEnd: loadavg().map((l) => Number(l.toFixed(2))) },
    command: `npm run soak -- --minutes ${minutes} --rate ${rate}`,
    history: history.source,
    messages: history.messages.length,
    publishSeconds: Number(publishing.seconds.toFixed(1)),
    achievedRate: Math.round(history.messages.length / publishing.seconds),
    drainSecondsAfterLastPublish: Number(drainS.toFixed(1)),
    maxLag: Math.max(...samples.map((s) => s.lag)),
    reconciliation: null as null | { customers: number; lost: number; doubled: number; different: number },
    memory,
    samples,
  };
  // Written before the comparison too: the figures of a half-hour run survive a comparison that fails.
  const out = resolve(flags.out as string);
  mkdirSync(resolve(out, '..'), { recursive: true });
  const write = () => writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  write();
  console.log(`[soak] published ${result.messages} in ${result.publishSeconds} s (${result.achievedRate}/s), caught up ${result.drainSecondsAfterLastPublish} s after, max lag ${result.maxLag}`);
  for (const [k, m] of Object.entries(memory)) console.log(`[soak] ${k}: RSS peak ${m.peakMb} MB (first fifth ${m.firstFifthPeakMb}, last fifth ${m.lastFifthPeakMb})`);

  const fed = performance.now();
  baseline = await FaultFreeRun.start(env);
  const want = await baseline.feed(history.messages);
  const actual = await snapshotOfStack(services.redisUrl, services.clickhouseUrl, env.CLV_CLICKHOUSE_DATABASE as string);
  const tally = compareSnapshots(want, actual);
  console.log(`[soak] fault-free comparison (${((performance.now() - fed) / 1000).toFixed(0)} s): ${tally.customers} customers; ${tally.lost} lost, ${tally.doubled} doubled, ${tally.different} different`);
  for (const e of tally.examples) console.log(`[soak]   ${e.slice(0, 400)}`);
  result.reconciliation = { customers: tally.customers, lost: tally.lost, doubled: tally.doubled, different: tally.different };
  write();
  console.log(`[soak] wrote ${out}`);
  failed = tally.lost + tally.doubled + tally.different > 0;
} finally {
  for (const p of [processors, sink]) {
    if (p && p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGTERM');
      await Promise.race([p.exited, new Promise((r) => setTimeout(r, 30_000))]);
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    }
  }
  await log?.close().catch(() => undefined);
  await baseline?.stop().catch(() => undefined);
  if (failed) console.log(`[soak] the services' logs are kept in ${services.home}`);
  await services.close({ keep: failed });
}
process.exit(failed ? 1 : 0);
