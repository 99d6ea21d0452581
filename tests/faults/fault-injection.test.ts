/**
 * Faults injected on the real stack, one at a time (issue 13, item 9): a known history
 * (CDNOW_sample, else the synthetic shop) streams through `clv run` processes — the three
 * processors in one, the ClickHouse sink in another — on a private Kafka, Apicurio, Redis and
 * ClickHouse (own ports, own temp dir: support/own-services.ts; the shared services are never
 * touched). The history is cut into slices; each fault gets one slice, streamed a third
 * before the fault, a third during it and a third after. Once every consumer group has caught
 * up, every customer's purchase history and score state in Redis, the order ledgers, and the
 * ClickHouse views (newest features and score per customer, highest revision per order) and
 * the raw tables' distinct events must equal a fault-free run of the same processors on the
 * same slices (app/embedded.ts), exactly: "0 lost, 0 doubled" is printed per fault with the
 * wall time and the processes' peak RSS. At the end the fault-free run is checked against
 * the answer computed from the file itself (CDNOW: purchase days and value per customer).
 *
 * Run: `npm run test:faults` (builds dist/ first; `clv` runs from dist/cli/clv.js).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaRegistryCodec } from '../../adapters/avro/schema-registry-codec.js';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { resetClvTopics } from '../../adapters/kafka/reset-clv-topics.js';
import { ClvError } from '../../core/errors.js';
import { topicSpecs } from '../../core/topics.js';
import { ProcessorNames } from '../../processors/pipeline.js';
import { summarizeHistory } from '../../processors/features/customer-purchase-history.js';
import { publishMessages, type ProducerMessage } from '../../producers/publish-messages.js';
import { clv, stackEnv, until, waitForCatchUp, type ClvProcess } from '../integration/support/stack.js';
import { FaultFreeRun } from './support/fault-free-run.js';
import { knownHistory } from './support/known-history.js';
import { OwnServices, serviceNames } from './support/own-services.js';
import { RssSampler } from './support/rss-sampler.js';
import { compareSnapshots, snapshotOfStack, type Snapshot } from './support/stack-snapshot.js';

/** How long each outage lasts, ms: long enough for every client to notice, retry and back off. */
const outageMs = { kafka: 15_000, redis: 5_000, clickhouse: 30_000, registry: 15_000 };
/** The replay rate, events per second (the rate of the measurements). */
const rate = 2_000;

const faults = [
  'no fault (the comparison itself)',
  `Kafka broker killed (SIGKILL), down ${outageMs.kafka / 1000} s, restarted`,
  `Redis killed (SIGKILL), down ${outageMs.redis / 1000} s, restarted from its AOF`,
  'Redis flushed, its state rebuilt by replaying the topics from the start',
  `ClickHouse stopped for ${outageMs.clickhouse / 1000} s`,
  `schema registry stopped for ${outageMs.registry / 1000} s`,
  'processor process SIGKILLed mid-stream, started again',
  'a second processor replica joins, then leaves (SIGTERM)',
] as const;

const history = knownHistory();
const slices: ProducerMessage[][] = faults.map((_, i) => history.messages.slice(Math.floor((i * history.messages.length) / faults.length), Math.floor(((i + 1) * history.messages.length) / faults.length)));

let services: OwnServices;
let env: NodeJS.ProcessEnv;
let log: KafkaEventLog;
let codec: SchemaRegistryCodec;
let baseline: FaultFreeRun;
let processors: ClvProcess;
let sink: ClvProcess;
const rss = new RssSampler();
let failed = false;
let expected: Snapshot | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function thirds(slice: ProducerMessage[]): [ProducerMessage[], ProducerMessage[], ProducerMessage[]] {
  const a = Math.floor(slice.length / 3);
  const b = Math.floor((2 * slice.length) / 3);
  return [slice.slice(0, a), slice.slice(a, b), slice.slice(b)];
}

/**
 * Publishes at `rate`; the producer waits out a broker outage (kafkajs retries, idempotent).
 * When kafkajs gives up first (its retries can run out within a 15 s outage on a loaded
 * machine: "Connection error … ECONNREFUSED"), it resumes, as a shop's producer would, from the
 * last chunk the broker acknowledged — at least once: the chunk in flight may be sent twice,
 * which the event ids absorb — for at most two minutes.
 */
function stream(messages: ProducerMessage[]): Promise<unknown> {
  const p = (async () => {
    const deadline = Date.now() + 120_000;
    let done = 0;
    for (;;) {
      let acknowledged = 0;
      try {
        return await publishMessages(log, codec, messages.slice(done), { rate, onProgress: (n) => (acknowledged = n) });
      } catch (error) {
        if (!(error instanceof ClvError && error.retriable) || Date.now() > deadline) throw error;
        done += acknowledged;
        await sleep(1000);
      }
    }
  })();
  p.catch(() => undefined); // awaited by the caller; this only keeps an early failure from being unhandled
  return p;
}

function startProcessors(label: string, extraEnv: NodeJS.ProcessEnv = {}): ClvProcess {
  // At info, the output says how far a shutdown got ("stopping…", "stopped") if one hangs.
  const p = clv(['run', ...ProcessorNames], { ...env, CLV_LOG_LEVEL: 'info', ...extraEnv });
  rss.watch(label, p.child.pid);
  return p;
}

function watchServices(): void {
  for (const name of serviceNames) rss.watch(name, services.pid(name));
}

/**
 * SIGTERM, then the exit code once the process has finished its batch and closed. A process
 * still there after `graceMs` is SIGKILLed and the fault fails: a shutdown that hangs would
 * otherwise hang the suite until CI's timeout.
 */
async function stopGracefully(p: ClvProcess, what: string, graceMs = 60_000): Promise<number | null> {
  p.child.kill('SIGTERM');
  const exited = await Promise.race([p.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!exited) {
    p.child.kill('SIGKILL');
    await p.exited;
    throw new Error(`${what} did not exit within ${graceMs / 1000} s of SIGTERM:\n${p.output().slice(-3000)}`);
  }
  return p.child.exitCode;
}

function assertRunning(p: ClvProcess, what: string): void {
  assert.equal(p.child.exitCode, null, `${what} exited (${p.child.exitCode}) during the fault:\n${p.output().slice(-3000)}`);
  assert.equal(p.child.signalCode, null, `${what} was killed (${p.child.signalCode}):\n${p.output().slice(-3000)}`);
}

/**
 * Waits until every group has committed everything (integration/support/stack.ts). A broker
 * that has just started may answer a lag query with a retriable error (NOT_COORDINATOR while
 * it loads the offsets topic): that is "not yet", not a failure.
 */
async function caughtUp(): Promise<void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      return await waitForCatchUp(log, Math.max(1, deadline - Date.now()));
    } catch (error) {
      if (!(error instanceof ClvError && error.retriable) || Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

/**
 * After a fault: waits for every group to catch up, feeds the fault-free run the same slice,
 * compares, prints the tally, and fails on any customer lost, doubled or different.
 */
async function reconcile(index: number, want: Snapshot, startedMs: number): Promise<void> {
  await caughtUp();
  assertRunning(processors, 'the processors');
  assertRunning(sink, 'the sink');
  const actual = await snapshotOfStack(services.redisUrl, services.clickhouseUrl, env.CLV_CLICKHOUSE_DATABASE as string);
  const tally = compareSnapshots(want, actual);
  const wallS = ((performance.now() - startedMs) / 1000).toFixed(1);
  const peaks = [...rss.take()].map(([label, mb]) => `${label} ${mb}`).join(', ');
  const raw = `raw rows/events: orders ${actual.raw.orders.rows}/${actual.raw.orders.events}, payments ${actual.raw.payments.rows}/${actual.raw.payments.events}`;
  console.log(
    `[faults] ${index}. ${faults[index]}: ${tally.customers} customers so far; ${tally.lost} lost, ${tally.doubled} doubled, ${tally.different} different ` +
      `(Redis histories, score states, ledgers; ClickHouse customer_features_latest, clv_scores_latest, purchases_latest, orders, payments); ` +
      `${raw}; wall ${wallS} s; peak RSS MB: ${peaks}`,
  );
  assert.deepEqual({ lost: tally.lost, doubled: tally.doubled, different: tally.different }, { lost: 0, doubled: 0, different: 0 }, tally.examples.join('\n'));
  assert.ok(tally.customers > 0, 'customers to reconcile');
}

before(async () => {
  console.log(`[faults] history: ${history.source}; ${history.messages.length} messages in ${faults.length} slices, replayed at ${rate} events/s`);
  services = await OwnServices.create();
  const t0 = performance.now();
  await services.up('kafka', 'registry', 'clickhouse', 'redis');
  console.log(`[faults] own services up in ${((performance.now() - t0) / 1000).toFixed(1)} s under ${services.home}: ${JSON.stringify(services.ports)}`);
  watchServices();
  env = { ...stackEnv, ...services.clvEnv(), CLV_PARTITIONS: '4', CLV_LOG_LEVEL: 'warn' };
  log = new KafkaEventLog({ brokers: services.kafkaBrokers });
  codec = new SchemaRegistryCodec({ url: services.registryUrl });
  await codec.registerAll();
  await log.createTopics(topicSpecs(Number(env.CLV_PARTITIONS)));
  baseline = await FaultFreeRun.start(env);
  processors = startProcessors('processors');
  sink = clv(['run', 'sink'], env);
  rss.watch('sink', sink.child.pid);
});

after(async () => {
  rss.stop();
  for (const p of [processors, sink]) {
    if (p && p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGTERM');
      await Promise.race([p.exited, sleep(30_000)]);
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    }
  }
  await log?.close().catch(() => undefined);
  await baseline?.stop().catch(() => undefined);
  if (services) {
    if (failed) console.log(`[faults] a fault failed: the services' logs are kept in ${services.home}`);
    await services.close({ keep: failed });
  }
});

/** Runs one fault's test body; remembers a failure so that the services' logs are kept. */
function faultTest(index: number, body: (parts: ReturnType<typeof thirds>) => Promise<void>): void {
  test(faults[index], async () => {
    try {
      // The fault-free run gets the slice whatever happens below, so later faults still compare like with like.
      const fed = performance.now();
      const want = (expected = await baseline.feed(slices[index]));
      console.log(`[faults] ${index}. the fault-free run took ${((performance.now() - fed) / 1000).toFixed(1)} s over ${slices[index].length} messages`);
      const started = performance.now();
      await body(thirds(slices[index]));
      await reconcile(index, want, started);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
}

faultTest(0, async ([a, b, c]) => {
  await stream(a);
  await stream(b);
  await stream(c);
});

faultTest(1, async ([a, b, c]) => {
  await stream(a);
  await services.kill('kafka');
  const during = stream(b);
  await sleep(outageMs.kafka);
  await services.up('kafka');
  watchServices();
  await during;
  await stream(c);
});

faultTest(2, async ([a, b, c]) => {
  await stream(a);
  await services.kill('redis');
  const during = stream(b);
  await sleep(outageMs.redis);
  await services.up('redis');
  watchServices();
  await during;
  await stream(c);
});

faultTest(3, async ([a, b, c]) => {
  await stream(a);
  // Processors stop, Redis is emptied, their groups are forgotten: they start again from the
  // beginning of every topic and rebuild the state (the sink's group is left alone).
  assert.equal(await stopGracefully(processors, 'the processors'), 0, processors.output().slice(-3000));
  assert.equal(services.redisCli('FLUSHALL'), 'OK');
  await resetClvTopics(services.kafkaBrokers, ProcessorNames.map((n) => `clv-${n}`), { topics: false });
  processors = startProcessors('processors');
  await stream(b);
  await stream(c);
});

faultTest(4, async ([a, b, c]) => {
  await stream(a);
  await services.down('clickhouse');
  const during = stream(b);
  await sleep(outageMs.clickhouse);
  await services.up('clickhouse');
  watchServices();
  await during;
  await stream(c);
});

faultTest(5, async ([a, b, c]) => {
  await stream(a);
  await services.down('registry');
  const during = stream(b);
  await sleep(outageMs.registry);
  await services.up('registry');
  watchServices();
  await during;
  await stream(c);
});

faultTest(6, async ([a, b, c]) => {
  await stream(a);
  await stream(b);
  // No warning, no shutdown: whatever batch is in hand is cut off between its steps.
  processors.child.kill('SIGKILL');
  await processors.exited;
  processors = startProcessors('processors');
  await stream(c);
});

faultTest(7, async ([a, b, c]) => {
  await stream(a);
  // The replica logs "processors started" once it has joined every group and holds partitions.
  const replica = startProcessors('replica');
  await until(() => replica.output().includes('processors started') || replica.child.exitCode !== null, 'the replica to join', 120_000);
  assertRunning(replica, 'the replica');
  await stream(b);
  assert.equal(await stopGracefully(replica, 'the replica'), 0, replica.output().slice(-3000));
  await stream(c);
});

test('the fault-free run equals the answer computed from the file (purchase days and value per customer)', { skip: history.fileAnswer === null ? `${history.source}: the input gives no answer of its own, the fault-free run is the reference` : false }, () => {
  assert.ok(expected, 'the faults ran');
  const answer = history.fileAnswer!;
  assert.equal(expected.histories.size, answer.size, 'every customer of the file has a history');
  for (const [id, h] of expected.histories) {
    const s = summarizeHistory(h);
    assert.deepEqual({ days: s?.purchaseDays, valueMinor: s?.totalValueMinor }, answer.get(id), `customer ${id}`);
  }
  console.log(`[faults] the fault-free run matches ${history.source} for all ${answer.size} customers`);
});
