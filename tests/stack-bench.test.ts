/**
 * The real-stack bench's summary over repeated runs: each run's ratio is its own (against the
 * baseline measured right after it), spread as min / median / max; and its repetitions setting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PROCESSOR_SEMI_SPACE_FLAG, processorsCeiling, repetitionsFrom, runNodeFlags, stackResultsFile, stackStatesFrom, stackSummary, type StackRunFigures } from '../bench/stack-bench.js';

const run = (eventsPerSecond: number, baseline: number, p99: number | null, bareP99: number): StackRunFigures => ({
  processing: {
    eventsPerSecond, baseline, ratio: Math.round((eventsPerSecond / baseline) * 100) / 100,
    // The CPU per event moves opposite to the events/s here; the machine's is unknown in the first run.
    // Three quarters of it user time; the system time is the same per event in every run and its baseline.
    cpu: {
      processMicroseconds: 1e6 / eventsPerSecond, machineMicroseconds: eventsPerSecond === 5_000 ? null : 2e6 / eventsPerSecond,
      processUserMicroseconds: 0.75e6 / eventsPerSecond, processSystemMicroseconds: 20,
      baseline: { processMicroseconds: 1e6 / baseline, processUserMicroseconds: 0.75e6 / baseline, processSystemMicroseconds: 20, machineMicroseconds: 2e6 / baseline },
      ratio: {
        process: Math.round((baseline / eventsPerSecond) * 100) / 100,
        processUser: Math.round((baseline / eventsPerSecond) * 100) / 100,
        processSystem: 1,
        machine: eventsPerSecond === 5_000 ? null : Math.round((baseline / eventsPerSecond) * 100) / 100,
      },
    },
  },
  latency: { p50Ms: 50, p99Ms: p99, baseline: { p50Ms: 40, p99Ms: bareP99 }, ratio: { p50: 1.25, p99: p99 === null ? null : Math.round((p99 / bareP99) * 100) / 100 } },
  sink: { messagesPerSecond: 1000 },
  processorFloor: { cpuMicrosecondsPerEvent: 25 },
  ceiling: processorsCeiling(1e6 / baseline, 25),
});

test('stack bench summary: the median ratio is the median of each run\'s own ratio, not the ratio of the medians', () => {
  // Run ratios 0.5, 0.8, 0.6: median 0.6. Medians of the figures (8,000 / 12,000) would say 0.67.
  const summary = stackSummary([run(5_000, 10_000, 200, 100), run(8_000, 10_000, 300, 200), run(9_000, 15_000, 390, 300)]);
  assert.deepEqual(summary.throughput.ratio, { min: 0.5, median: 0.6, max: 0.8 });
  assert.deepEqual(summary.throughput.eventsPerSecond, { min: 5_000, median: 8_000, max: 9_000 });
  assert.deepEqual(summary.throughput.baselineEventsPerSecond, { min: 10_000, median: 10_000, max: 15_000 });
  assert.deepEqual(summary.latency.ratioP99, { min: 1.3, median: 1.5, max: 2 });
  assert.deepEqual(summary.latency.p99Ms, { min: 200, median: 300, max: 390 });
  // CPU ratios 2, 1.25, 1.67: median 1.67; the machine's leaves out the run that could not read it.
  assert.deepEqual(summary.cpuPerEvent.ratioProcess, { min: 1.25, median: 1.67, max: 2 });
  assert.deepEqual(summary.cpuPerEvent.ratioMachine, { min: 1.25, median: 1.46, max: 1.67 });
  assert.deepEqual(summary.cpuPerEvent.processMicroseconds, { min: 1e6 / 9_000, median: 125, max: 200 });
  assert.deepEqual(summary.cpuPerEvent.ratioProcessUser, { min: 1.25, median: 1.67, max: 2 });
  assert.deepEqual(summary.cpuPerEvent.ratioProcessSystem, { min: 1, median: 1, max: 1 });
  assert.deepEqual(summary.cpuPerEvent.processUserMicroseconds, { min: 0.75e6 / 9_000, median: 93.75, max: 150 });
  // Bare at 100, 100 and 66.7 µs per event, the processors' floor 25 in each.
  assert.deepEqual(summary.ceiling.processCpuRatio, { min: 1.25, median: 1.25, max: 1.38 });
  assert.deepEqual(summary.ceiling.eventsPerSecondRatio, { min: 0.73, median: 0.8, max: 0.8 });
  assert.deepEqual(summary.ceiling.processorFloorMicroseconds, { min: 25, median: 25, max: 25 });
});

test('stack bench ceiling: the pipeline spends at least bare kafkajs\'s CPU per event plus the processors\' floor', () => {
  // Bare 60 µs, processors 20: at least 80 µs, 1.33× bare's CPU, at most 0.75 of its events/s.
  assert.deepEqual(processorsCeiling(60, 20), { processCpuRatio: 1.33, eventsPerSecondRatio: 0.75 });
  // Free processors would leave the bare hops' own figures.
  assert.deepEqual(processorsCeiling(60, 0), { processCpuRatio: 1, eventsPerSecondRatio: 1 });
});

test('stack bench summary: a run without latency samples is left out of the latency spread, not counted as zero', () => {
  const summary = stackSummary([run(5_000, 10_000, null, 100), run(8_000, 10_000, 300, 200)]);
  assert.deepEqual(summary.latency.p99Ms, { min: 300, median: 300, max: 300 });
  assert.deepEqual(summary.latency.ratioP99, { min: 1.5, median: 1.5, max: 1.5 });
  assert.equal(stackSummary([run(5_000, 10_000, null, 100)]).latency.p99Ms, null);
});

test('stack bench repetitions: default 1; anything but a whole number from 1 to 20 stops with a message naming the setting', () => {
  assert.equal(repetitionsFrom(undefined), 1);
  assert.equal(repetitionsFrom(''), 1);
  assert.equal(repetitionsFrom('3'), 3);
  for (const bad of ['0', '-1', '2.5', 'three', '21']) assert.throws(() => repetitionsFrom(bad), /BENCH_STACK_REPETITIONS must be a whole number from 1 to 20, got/);
});

test('stack bench runs: the processors\' young generation as deployed, unless the caller\'s NODE_OPTIONS sets its own', () => {
  assert.deepEqual(runNodeFlags([]), [PROCESSOR_SEMI_SPACE_FLAG]);
  assert.deepEqual(runNodeFlags(['--enable-source-maps']), [PROCESSOR_SEMI_SPACE_FLAG]);
  assert.deepEqual(runNodeFlags(['--max-semi-space-size=16']), []);
});

test('stack bench runs: the flag is the one the Helm chart and docker-compose give the processors', () => {
  const root = new URL('../', import.meta.url);
  const values = parse(readFileSync(new URL('helm/clv-stream/values.yaml', root), 'utf8')) as { processorDefaults: { nodeOptions: string } };
  const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8')) as { services: Record<string, { environment?: Record<string, string> }> };
  assert.equal(values.processorDefaults.nodeOptions, PROCESSOR_SEMI_SPACE_FLAG);
  assert.equal(compose.services.processors.environment?.NODE_OPTIONS, PROCESSOR_SEMI_SPACE_FLAG);
  // Only the processors: the API gives its workers their own (app/api-server.ts).
  assert.equal(compose.services.api.environment?.NODE_OPTIONS, undefined);
});

test('stack bench states: Redis unless BENCH_STACK_STATES=memory; anything else stops with a message naming the setting', () => {
  assert.equal(stackStatesFrom(undefined), 'redis');
  assert.equal(stackStatesFrom(''), 'redis');
  assert.equal(stackStatesFrom('redis'), 'redis');
  assert.equal(stackStatesFrom('memory'), 'memory');
  for (const bad of ['Memory', 'in-memory', 'ram']) assert.throws(() => stackStatesFrom(bad), /BENCH_STACK_STATES must be redis or memory, got/);
});

test('stack bench results file: the default set-up keeps stack-latest.json; another client or in-memory states get their own', () => {
  assert.equal(stackResultsFile('kafkajs', 'redis'), 'stack-latest.json');
  assert.equal(stackResultsFile('confluent', 'redis'), 'stack-confluent-latest.json');
  assert.equal(stackResultsFile('kafkajs', 'memory'), 'stack-memory-states-latest.json');
  assert.equal(stackResultsFile('confluent', 'memory'), 'stack-confluent-memory-states-latest.json');
});
