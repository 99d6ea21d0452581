/**
 * Scale-out shown (issue 15, item 6): the pipeline on scaled-out stores and replicated
 * processors must leave exactly what one embedded process leaves for the same history.
 *
 *   - Redis: a Cluster of three masters (CLV_REDIS_CLUSTER=true), the state spread by the
 *     customer hash tag of every key (adapters/redis/redis-client.ts);
 *   - ClickHouse: two shards behind Distributed tables sharded by customer
 *     (CLV_CLICKHOUSE_CLUSTER, adapters/clickhouse/sharded-migration.ts);
 *   - processors: two `clv run purchases features scoring` processes in the same consumer
 *     groups, each group's partitions shared between them; one `clv run sink`.
 *
 * The stores are the test's own (support/scale-out-services.ts), and so are Kafka and the
 * schema registry (tests/faults/support/own-services.ts): the processors' topic names are
 * fixed, so the shared broker could not hold a second copy. CDNOW_sample is streamed (the
 * synthetic shop's refunds still depend on arrival order, README: fault suite); without it the
 * test skips, saying so. Once every group has caught up, every customer's purchase history
 * and score state in the Cluster, the order ledgers, and ClickHouse's latest-views rows
 * (customer_features_latest, clv_scores_latest, purchases_latest) and raw events must equal
 * the fault-free embedded run's (tests/faults/support/), and the histories the file's own
 * answer (purchase days and value per customer).
 *
 * Run: `npm run -s build && node --import tsx --test --test-concurrency=1 tests/integration/scale-out.test.ts`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { SchemaRegistryCodec } from '../../adapters/avro/schema-registry-codec.js';
import { ClickHouseConnection } from '../../adapters/clickhouse/clickhouse-connection.js';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { ident, sql } from '../../adapters/clickhouse/sql.js';
import { ClvError } from '../../core/errors.js';
import { topicSpecs } from '../../core/topics.js';
import { summarizeHistory } from '../../processors/features/customer-purchase-history.js';
import { ProcessorNames } from '../../processors/pipeline.js';
import { publishMessages } from '../../producers/publish-messages.js';
import { FaultFreeRun } from '../faults/support/fault-free-run.js';
import { knownHistory } from '../faults/support/known-history.js';
import { OwnServices } from '../faults/support/own-services.js';
import { compareSnapshots, snapshotOfStack } from '../faults/support/stack-snapshot.js';
import { ScaleOutStores } from './support/scale-out-services.js';
import { clv, stackEnv, until, waitForCatchUp, type ClvProcess } from './support/stack.js';

const history = knownHistory();
const skip = history.fileAnswer === null ? `needs CDNOW_sample (${history.source}); the synthetic shop's refunds still depend on arrival order` : false;
const database = 'clv_scale_out';
const replicas = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let kafkaAndRegistry: OwnServices | undefined;
let stores: ScaleOutStores | undefined;
let env: NodeJS.ProcessEnv;
let log: KafkaEventLog | undefined;
let codec: SchemaRegistryCodec;
let baseline: FaultFreeRun | undefined;
const processes: Array<{ what: string; p: ClvProcess }> = [];
let failed = false;

/** Each processor group's members and the partitions each holds (from the broker). */
async function assignments(brokers: string[]): Promise<Map<string, number[][]>> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups(ProcessorNames.map((n) => `clv-${n}`));
    return new Map(groups.map((g) => [g.groupId, g.state !== 'Stable' ? [] : g.members.map((m) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      return Object.values(decoded?.assignment ?? {}).flat().sort((a, b) => a - b);
    })]));
  } finally {
    await admin.disconnect();
  }
}

before(async () => {
  if (skip) return;
  const t0 = performance.now();
  kafkaAndRegistry = await OwnServices.create();
  stores = await ScaleOutStores.create();
  await Promise.all([kafkaAndRegistry.up('kafka', 'registry'), stores.up()]);
  console.log(`[scale-out] own Kafka, registry, 3-master Redis Cluster (${stores.redisPorts.join(', ')}) and 2 ClickHouse shards (HTTP ${stores.clickhouse.map((c) => c.http).join(', ')}) up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  env = { ...stackEnv, ...kafkaAndRegistry.clvEnv(), ...stores.clvEnv(database), CLV_PARTITIONS: '4', CLV_LOG_LEVEL: 'warn' };
  log = new KafkaEventLog({ brokers: kafkaAndRegistry.kafkaBrokers });
  codec = new SchemaRegistryCodec({ url: kafkaAndRegistry.registryUrl });
  await codec.registerAll();
  await log.createTopics(topicSpecs(Number(env.CLV_PARTITIONS)));
  baseline = await FaultFreeRun.start(env);
});

after(async () => {
  for (const { p } of processes) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGTERM');
      await Promise.race([p.exited, sleep(30_000)]);
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    }
  }
  await log?.close().catch(() => undefined);
  await baseline?.stop().catch(() => undefined);
  if (failed) console.log(`[scale-out] failed: logs kept in ${stores?.home} and ${kafkaAndRegistry?.home}`);
  await stores?.close({ keep: failed }).catch(() => undefined);
  await kafkaAndRegistry?.close({ keep: failed }).catch(() => undefined);
});

test('two replicas of each processor on a 3-master Redis Cluster and 2 ClickHouse shards leave exactly what one embedded process leaves', { skip, timeout: 480_000 }, async () => {
  try {
    const brokers = kafkaAndRegistry!.kafkaBrokers;
    // The sink first: it applies the sharded migrations on both shards.
    processes.push({ what: 'sink', p: clv(['run', 'sink'], env) });
    for (let i = 1; i <= replicas; i++) processes.push({ what: `processors ${i}`, p: clv(['run', ...ProcessorNames], env) });
    const running = () => {
      for (const { what, p } of processes) assert.equal(p.child.exitCode ?? p.child.signalCode, null, `${what} exited:\n${p.output().slice(-3000)}`);
    };
    // Both replicas in every processor group, each with partitions of its own.
    let shared = new Map<string, number[][]>();
    await until(async () => {
      running();
      shared = await assignments(brokers);
      return [...shared.values()].every((members) => members.length === replicas && members.every((parts) => parts.length > 0));
    }, `${replicas} members with partitions in every processor group`, 120_000);
    console.log(`[scale-out] partitions per member: ${[...shared].map(([g, m]) => `${g} ${m.map((p) => `[${p.join(',')}]`).join(' ')}`).join('; ')}`);

    const started = performance.now();
    await publishMessages(log!, codec, history.messages);
    const deadline = Date.now() + 300_000;
    for (;;) {
      try {
        await waitForCatchUp(log!, Math.max(1, deadline - Date.now()));
        break;
      } catch (error) {
        // A broker busy with a rebalance may answer a lag query with a retriable error: not yet.
        if (!(error instanceof ClvError && error.retriable) || Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
    const caughtUpS = (performance.now() - started) / 1000;
    running();
    const after = await assignments(brokers);
    assert.ok([...after.values()].every((members) => members.length === replicas), `still ${replicas} members per group: ${JSON.stringify([...after])}`);

    const expected = await baseline!.feed(history.messages);
    const actual = await snapshotOfStack(stores!.redisUrl, stores!.clickhouseUrls[0], database, { redisCluster: true });
    const tally = compareSnapshots(expected, actual);

    // Where the state and the rows went: keys per Redis master, rows per ClickHouse shard.
    const keys = stores!.keysPerMaster();
    const rowsPerShard: number[] = [];
    for (const url of stores!.clickhouseUrls) {
      const shard = await ClickHouseConnection.connect({ url });
      try {
        const [r] = await shard.select<{ n: string }>(sql`SELECT count() AS n FROM ${ident(database, 'clv_scores_local')}`);
        rowsPerShard.push(Number(r.n));
      } finally {
        await shard.close();
      }
    }
    console.log(
      `[scale-out] ${history.source}: ${history.messages.length} messages; caught up ${caughtUpS.toFixed(1)} s after the first publish; ` +
        `${tally.customers} customers, ${tally.lost} lost, ${tally.doubled} doubled, ${tally.different} different ` +
        `(Redis histories, score states, ledgers; ClickHouse customer_features_latest, clv_scores_latest, purchases_latest, orders, payments); ` +
        `Redis keys per master ${keys.join(' / ')}; clv_scores rows per shard ${rowsPerShard.join(' / ')}`,
    );
    assert.deepEqual({ lost: tally.lost, doubled: tally.doubled, different: tally.different }, { lost: 0, doubled: 0, different: 0 }, tally.examples.join('\n'));
    assert.equal(actual.scoreViews.size, expected.scoreViews.size);
    assert.ok(keys.every((n) => n > 0), `every master holds state: ${keys.join(' / ')}`);
    assert.ok(rowsPerShard.every((n) => n > 0), `every shard holds rows: ${rowsPerShard.join(' / ')}`);

    // The file's own answer, checked on the scaled-out stack itself.
    const answer = history.fileAnswer!;
    assert.equal(actual.histories.size, answer.size, 'every customer of the file has a history in the Cluster');
    for (const [id, h] of actual.histories) {
      const s = summarizeHistory(h);
      assert.deepEqual({ days: s?.purchaseDays, valueMinor: s?.totalValueMinor }, answer.get(id), `customer ${id}`);
    }
  } catch (error) {
    failed = true;
    throw error;
  }
});
