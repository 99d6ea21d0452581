/**
 * `npm run bench:stack` (services must be up: `npm run services:up`): bench/stack-run.ts —
 * the pipeline on the real stack, then its bare kafkajs baseline — BENCH_STACK_REPETITIONS
 * times (default 1), one after another, each in a process of its own so that no run inherits
 * another's heap, connections or JIT state. Every run is judged against the baseline measured
 * right after it, so `summary` gives min / median / max of each run's own ratio (the issue-14
 * figures are medians of three: BENCH_STACK_REPETITIONS=3), next to the spread of the figures
 * themselves. Writes bench/results/stack-latest.json (with CLV_KAFKA_CLIENT=confluent,
 * stack-confluent-latest.json), every run in `runs`. BENCH_STACK_STATES=memory keeps the
 * pipeline's states in its process instead of Redis (bench/in-memory-states-pipeline.ts):
 * stack-memory-states-latest.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.js';
import { nodeOptions } from '../config/environment.js';
import { spreadOf, type Spread } from './spread.js';

/** The figures of one run that the summary spreads (the rest stays in `runs`). */
export interface StackRunFigures {
  processing: {
    eventsPerSecond: number;
    baseline: number;
    ratio: number | null;
    /** CPU µs per event over the throughput phase (stack-run.ts); ratio = project / baseline. */
    cpu: {
      processMicroseconds: number;
      processUserMicroseconds: number;
      processSystemMicroseconds: number;
      machineMicroseconds: number | null;
      baseline: { processMicroseconds: number; processUserMicroseconds: number; processSystemMicroseconds: number; machineMicroseconds: number | null };
      ratio: { process: number | null; processUser: number | null; processSystem: number | null; machine: number | null };
    };
  };
  latency: { p50Ms: number | null; p99Ms: number | null; baseline: { p50Ms: number | null; p99Ms: number | null }; ratio: { p50: number | null; p99: number | null } };
  sink: { messagesPerSecond: number };
  processorFloor: { cpuMicrosecondsPerEvent: number };
  ceiling: ProcessorsCeiling;
}

/** The best ratios to bare kafkajs any plumbing could reach with the pipeline's processors. */
export interface ProcessorsCeiling {
  /** (bare + processors' floor) / bare CPU per event: the lowest process CPU ratio. */
  processCpuRatio: number;
  /** bare / (bare + processors' floor): the highest events/s ratio where the process's CPU sets the pace. */
  eventsPerSecondRatio: number;
}

/**
 * The ceiling the processors set on the real stack's ratios. The pipeline does the bare hops'
 * Kafka work (the same messages, bytes and client settings) and, on top of it, at least the
 * processors' floor (decode, accept, apply, encode with nothing around them), so its CPU per
 * event is at least the sum of the two.
 */
export function processorsCeiling(bareMicrosecondsPerEvent: number, processorFloorMicrosecondsPerEvent: number): ProcessorsCeiling {
  const least = bareMicrosecondsPerEvent + processorFloorMicrosecondsPerEvent;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { processCpuRatio: round(least / bareMicrosecondsPerEvent), eventsPerSecondRatio: round(bareMicrosecondsPerEvent / least) };
}

/** Min / median / max of each figure over the runs; a figure some run could not give (null) is spread over the runs that gave it. */
export function stackSummary(runs: readonly StackRunFigures[]) {
  const spread = (pick: (r: StackRunFigures) => number | null): Spread | null => {
    const values = runs.map(pick).filter((v): v is number => v !== null);
    return values.length === 0 ? null : spreadOf(values);
  };
  return {
    throughput: {
      eventsPerSecond: spread((r) => r.processing.eventsPerSecond),
      baselineEventsPerSecond: spread((r) => r.processing.baseline),
      ratio: spread((r) => r.processing.ratio),
    },
    cpuPerEvent: {
      processMicroseconds: spread((r) => r.processing.cpu.processMicroseconds),
      baselineProcessMicroseconds: spread((r) => r.processing.cpu.baseline.processMicroseconds),
      ratioProcess: spread((r) => r.processing.cpu.ratio.process),
      processUserMicroseconds: spread((r) => r.processing.cpu.processUserMicroseconds),
      baselineProcessUserMicroseconds: spread((r) => r.processing.cpu.baseline.processUserMicroseconds),
      ratioProcessUser: spread((r) => r.processing.cpu.ratio.processUser),
      ratioProcessSystem: spread((r) => r.processing.cpu.ratio.processSystem),
      machineMicroseconds: spread((r) => r.processing.cpu.machineMicroseconds),
      baselineMachineMicroseconds: spread((r) => r.processing.cpu.baseline.machineMicroseconds),
      ratioMachine: spread((r) => r.processing.cpu.ratio.machine),
    },
    latency: {
      p50Ms: spread((r) => r.latency.p50Ms),
      p99Ms: spread((r) => r.latency.p99Ms),
      baselineP50Ms: spread((r) => r.latency.baseline.p50Ms),
      baselineP99Ms: spread((r) => r.latency.baseline.p99Ms),
      ratioP50: spread((r) => r.latency.ratio.p50),
      ratioP99: spread((r) => r.latency.ratio.p99),
    },
    sinkMessagesPerSecond: spread((r) => r.sink.messagesPerSecond),
    ceiling: {
      processorFloorMicroseconds: spread((r) => r.processorFloor.cpuMicrosecondsPerEvent),
      processCpuRatio: spread((r) => r.ceiling.processCpuRatio),
      eventsPerSecondRatio: spread((r) => r.ceiling.eventsPerSecondRatio),
    },
  };
}

/** What the deployments give the processors (helm/clv-stream/values.yaml, docker-compose.yml). */
export const PROCESSOR_SEMI_SPACE_FLAG = '--max-semi-space-size=64';

/**
 * The Node flags a run gets: the processors' young generation as deployed, unless the
 * caller's NODE_OPTIONS already sets one. The bare hops run in the same process, so they get
 * the same heap.
 */
export function runNodeFlags(callerNodeOptions: readonly string[]): string[] {
  return callerNodeOptions.some((f) => f.startsWith('--max-semi-space-size')) ? [] : [PROCESSOR_SEMI_SPACE_FLAG];
}

/**
 * BENCH_STACK_REPETITIONS as a count of runs.
 * @throws Error naming the setting when it is not a whole number from 1 to 20.
 */
export function repetitionsFrom(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new Error(`BENCH_STACK_REPETITIONS must be a whole number from 1 to 20, got ${JSON.stringify(value)}`);
  return n;
}

/** Where the pipeline keeps its states in a run: Redis as in production (default), or its own memory. */
export type StackStates = 'redis' | 'memory';

/** BENCH_STACK_STATES, checked. */
export function stackStatesFrom(value: string | undefined): StackStates {
  if (value === undefined || value === '' || value === 'redis') return 'redis';
  if (value === 'memory') return 'memory';
  throw new Error(`BENCH_STACK_STATES must be redis or memory, got ${JSON.stringify(value)}`);
}

/** The results file of a run with `client` and `states`: the default set-up's is stack-latest.json. */
export function stackResultsFile(client: string, states: StackStates): string {
  return ['stack', client === 'kafkajs' ? null : client, states === 'memory' ? 'memory-states' : null, 'latest'].filter((part) => part !== null).join('-') + '.json';
}

async function main(): Promise<void> {
  const repetitions = repetitionsFrom(process.env.BENCH_STACK_REPETITIONS);
  const states = stackStatesFrom(process.env.BENCH_STACK_STATES);
  const config = loadConfig(process.env);
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, '..', '..');
  const scratch = mkdtempSync(join(tmpdir(), 'clv-stack-bench-'));
  const loadAtStart = loadavg()[0];
  const runs: Array<StackRunFigures & Record<string, unknown>> = [];
  const nodeFlags = runNodeFlags(nodeOptions());
  try {
    for (let i = 1; i <= repetitions; i++) {
      const runFile = join(scratch, `run-${i}.json`);
      const child = spawnSync(process.execPath, [...nodeFlags, join(here, 'stack-run.js')], { env: { ...process.env, BENCH_STACK_RUN_FILE: runFile }, stdio: 'inherit' });
      if (child.status !== 0) throw new Error(`stack bench run ${i} of ${repetitions} failed (exit ${child.status ?? child.signal})`);
      const run = JSON.parse(readFileSync(runFile, 'utf8')) as StackRunFigures & Record<string, unknown>;
      runs.push(run);
      const { processing: p, latency: l } = run;
      console.log(
        `run ${i}/${repetitions}: ${Math.round(p.eventsPerSecond)} events/s against bare kafkajs ${Math.round(p.baseline)} (ratio ${p.ratio}); ` +
          `CPU per event ${p.cpu.processMicroseconds} µs in this process, ${p.cpu.machineMicroseconds ?? 'n/a'} on the machine, against ${p.cpu.baseline.processMicroseconds} and ${p.cpu.baseline.machineMicroseconds ?? 'n/a'} (${p.cpu.ratio.process}×, ${p.cpu.ratio.machine ?? 'n/a'}×; user ${p.cpu.ratio.processUser}×, system ${p.cpu.ratio.processSystem}×); ` +
          `event-to-score p99 ${Math.round(l.p99Ms ?? NaN)} ms against ${Math.round(l.baseline.p99Ms ?? NaN)} (${l.ratio.p99}×); ` +
          `the processors' floor ${run.processorFloor.cpuMicrosecondsPerEvent} µs per event: at best ${run.ceiling.processCpuRatio}× bare's CPU, ${run.ceiling.eventsPerSecondRatio} of its events/s`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const summary = stackSummary(runs);
  const result = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, loadAverage1m: { atStart: loadAtStart, atEnd: loadavg()[0] }, note: 'Kafka, Apicurio, Redis and ClickHouse on the same machine' },
    kafkaClient: config.kafkaClient,
    states,
    repetitions,
    runNodeFlags: nodeFlags,
    summaryIs: 'min / median / max over the runs; each run\'s ratio is against the bare baseline measured right after it in the same run',
    summary,
    runs,
  };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  // Another client's run, or one without Redis, gets a file of its own.
  const file = stackResultsFile(config.kafkaClient, states);
  writeFileSync(join(root, 'bench', 'results', file), JSON.stringify(result, null, 2) + '\n');
  const s = (x: Spread | null, digits = 0) => (x === null ? 'n/a' : [x.min, x.median, x.max].map((v) => v.toFixed(digits)).join(' / '));
  console.log(`real stack${states === 'memory' ? ' (states in the pipeline\'s memory, not Redis)' : ''}, min / median / max of ${repetitions}: ${s(summary.throughput.eventsPerSecond)} events/s; bare kafkajs ${s(summary.throughput.baselineEventsPerSecond)}; ratio ${s(summary.throughput.ratio, 2)}`);
  console.log(`CPU per event against bare kafkajs's (project / bare, lower is better): this process ${s(summary.cpuPerEvent.ratioProcess, 2)} (user ${s(summary.cpuPerEvent.ratioProcessUser, 2)}, system ${s(summary.cpuPerEvent.ratioProcessSystem, 2)}), the whole machine ${s(summary.cpuPerEvent.ratioMachine, 2)}`);
  console.log(`the processors' ceiling (bare + the processors' floor): process CPU ratio at least ${s(summary.ceiling.processCpuRatio, 2)}, events/s ratio at most ${s(summary.ceiling.eventsPerSecondRatio, 2)} (floor ${s(summary.ceiling.processorFloorMicroseconds, 1)} µs per event)`);
  console.log(`event-to-score at 5,000 events/s: p99 ${s(summary.latency.p99Ms)} ms; bare ${s(summary.latency.baselineP99Ms)} ms; ratio ${s(summary.latency.ratioP99, 2)}`);
  console.log(`written to ${join(root, 'bench', 'results', file)}`);
}

// Run only as the bench, not when a test imports the summary.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
