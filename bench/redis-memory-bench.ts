/**
 * `npm run bench:redis` (`-- --customers N`, default 20,000): Redis memory per customer of the
 * processors' state (issue 14), against the same states in the JSON format that came before
 * (state format 4), in the same run. Needs `redis-server` on the PATH; touches no shared
 * service: it starts two servers of its own (bench/own-redis-server.ts) and kills them at the end.
 *
 * What it does: the demo's synthetic shop (seed 7) streams through the real processors
 * (app/stream-pipeline.ts, the in-process log and Avro codec) whose state stores are the
 * production Redis stores (app/redis-state-stores.ts, ledgers with production's TTL) on the
 * first server — calibration, a BG/NBD + Gamma-Gamma fit as of its end and a re-score of
 * everyone, the holdout with the model live, the decay sweep as of the data's end, as the demo
 * does. Every write also goes, with the same write options, to a JSON store of the same
 * namespace on the second server (bench/tee-state-store.ts): the **baseline**, the same states
 * as RedisStateStore wrote them before format 5 (`<version>\n<JSON>`). Then, per namespace,
 * Σ MEMORY USAGE and Σ STRLEN over its keys on each server, and each server's `used_memory`
 * growth; every state read back from the project's store is checked to be, as JSON, exactly
 * the baseline's text (a lossless encoding), and the CPU time of encoding and decoding every
 * state is measured for both formats. `ratio` = figure / baseline (lower is better).
 *
 * Figures are measurements of this machine, never assertions. Writes bench/results/redis-latest.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { splitVersioned } from '../adapters/redis/fenced-write.js';
import { firstKeyPart, jsonStateCodec, RedisStateStore } from '../adapters/redis/redis-state-store.js';
import { syntheticDemoHistory } from '../app/demo/demo-history.js';
import { replayMessages } from '../app/demo/replay-messages.js';
import { createLogger } from '../app/logger.js';
import { LEDGER_TTL_SECONDS } from '../app/production.js';
import { redisStateStores } from '../app/redis-state-stores.js';
import { streamPipeline } from '../app/stream-pipeline.js';
import { loadConfig } from '../config/config.js';
import { dayIndexer, endOfDayMs } from '../core/calendar.js';
import { compositeKeyParts } from '../core/composite-key.js';
import type { StateCodec } from '../core/ports/state-store.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { sweepDecay } from '../processors/decay-sweep.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import type { OrderLedger } from '../processors/purchases/purchase-joiner.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { processorStateCodecs } from '../processors/state-codecs.js';
import { STATE_FORMAT } from '../processors/state-format.js';
import { modelInputsAsOf } from '../training/model-inputs-as-of.js';
import { OwnRedisServer } from './own-redis-server.js';
import { namespaceMemory, usedMemory, type NamespaceMemory } from './redis-namespace-memory.js';
import { spreadOf } from './spread.js';
import { TeeStateStore } from './tee-state-store.js';

// The project root from dist/bench/ (npm run bench:redis) or from bench/ (run with tsx).
const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, '..', 'package.json')) ? resolve(here, '..') : resolve(here, '..', '..');
const customersArg = process.argv.includes('--customers') ? Number(process.argv[process.argv.indexOf('--customers') + 1]) : 20_000;
if (!(Number.isSafeInteger(customersArg) && customersArg > 0)) throw new Error(`--customers: expected a positive integer, got ${customersArg}`);
const SEED = 7;
const NAMESPACES = ['ledgers', 'histories', 'scores'] as const;
type Namespace = (typeof NAMESPACES)[number];

const started = new Date();
const loadAtStart = loadavg()[0];
const config = loadConfig({});
const logger = createLogger('warn');
const figureServer = await OwnRedisServer.start('figure');
const baselineServer = await OwnRedisServer.start('baseline').catch(async (error) => {
  await figureServer.stop();
  throw error;
});
const figureRedis = new Redis(figureServer.url);
const baselineRedis = new Redis(baselineServer.url);
try {
  const usedBefore = { figure: await usedMemory(figureRedis), baseline: await usedMemory(baselineRedis) };
  const project = redisStateStores(figureRedis, { ledgerTtlSeconds: LEDGER_TTL_SECONDS });
  const json = {
    ledgers: new RedisStateStore<OrderLedger>({ redis: baselineRedis, namespace: 'ledgers', hashTag: firstKeyPart, ttlSeconds: LEDGER_TTL_SECONDS }),
    histories: new RedisStateStore<CustomerPurchaseHistory>({ redis: baselineRedis, namespace: 'histories' }),
    scores: new RedisStateStore<CustomerScoreState>({ redis: baselineRedis, namespace: 'scores' }),
  };
  const history = syntheticDemoHistory({ customers: customersArg, seed: SEED, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });
  const streamed = await streamTheShop(history, {
    ledgers: new TeeStateStore(project.ledgers, json.ledgers),
    histories: new TeeStateStore(project.histories, json.histories),
    scores: new TeeStateStore(project.scores, json.scores),
  });
  const usedAfter = { figure: await usedMemory(figureRedis), baseline: await usedMemory(baselineRedis) };

  const customers = new Set<string>();
  const stores: Record<string, unknown> = {};
  const lossless: Record<string, { compared: number; mismatches: number; missingInBaseline: number; example: string | null }> = {};
  const codecCpu: Record<string, unknown> = {};
  let figureTotal = 0;
  let baselineTotal = 0;
  const measured: Record<Namespace, { figure: NamespaceMemory; baseline: NamespaceMemory }> = {} as never;
  for (const ns of NAMESPACES) {
    const figure = await namespaceMemory(figureRedis, project[ns].layout.pattern);
    const baseline = await namespaceMemory(baselineRedis, json[ns].layout.pattern);
    measured[ns] = { figure, baseline };
    figureTotal += figure.memoryUsageBytes;
    baselineTotal += baseline.memoryUsageBytes;
    const { states, check } = await compareWithBaseline(project[ns] as RedisStateStore<unknown>, json[ns] as RedisStateStore<unknown>, baselineRedis);
    lossless[ns] = check;
    for (const [key] of states) customers.add(ns === 'ledgers' ? compositeKeyParts(key)[0] : key);
    codecCpu[ns] = codecTimes(processorStateCodecs[ns] as StateCodec<unknown>, states);
  }
  const perCustomer = (bytes: number) => Math.round(bytes / customers.size);
  for (const ns of NAMESPACES) {
    const { figure, baseline } = measured[ns];
    const side = (m: NamespaceMemory) => ({ ...m, bytesPerCustomer: perCustomer(m.memoryUsageBytes), valueBytesPerCustomer: perCustomer(m.valueBytes), bytesPerKey: Math.round(m.memoryUsageBytes / Math.max(1, m.keys)) });
    stores[ns] = { figure: side(figure), baseline: side(baseline), ratio: round(figure.memoryUsageBytes / baseline.memoryUsageBytes) };
  }
  const used = {
    figure: { before: usedBefore.figure, after: usedAfter.figure, delta: usedAfter.figure - usedBefore.figure, perCustomer: perCustomer(usedAfter.figure - usedBefore.figure) },
    baseline: { before: usedBefore.baseline, after: usedAfter.baseline, delta: usedAfter.baseline - usedBefore.baseline, perCustomer: perCustomer(usedAfter.baseline - usedBefore.baseline) },
  };
  const result = {
    date: started.toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage1m: { atStart: loadAtStart, atEnd: loadavg()[0] } },
    redis: { version: figureServer.version, servers: 'two redis-server processes of the bench\'s own (one per format), no persistence, default settings' },
    history: { what: history.description, seed: SEED, customersGenerated: customersArg, customersWithState: customers.size, messages: history.messages.length, ...streamed },
    stateFormat: STATE_FORMAT,
    baselineIs:
      'the same states, written by the same pipeline writes (same keys, same write options, ledgers with the same TTL) to a JSON store on a second server: ' +
      '`<write version>\\n<JSON.stringify(state)>` per key, as RedisStateStore wrote every state before state format 5; measured the same way',
    ratioIs: 'figure / baseline (lower is better; the issue asks for ≤ 0.5 of bytes per customer)',
    perCustomerIs: 'bytes / customers with any state (distinct customer ids over the three namespaces)',
    total: { figure: { memoryUsageBytes: figureTotal, bytesPerCustomer: perCustomer(figureTotal) }, baseline: { memoryUsageBytes: baselineTotal, bytesPerCustomer: perCustomer(baselineTotal) }, ratio: round(figureTotal / baselineTotal) },
    usedMemory: { ...used, ratio: round(used.figure.delta / used.baseline.delta), note: 'INFO memory used_memory after the stream less before it, each server: also counts the TTLs\' expires table and the allocator\'s fragmentation of the keyspace' },
    stores,
    lossless: { what: 'every state read back from the project\'s store (decoded) is, as JSON.stringify, byte for byte the baseline\'s stored text at the same key', ...lossless },
    codecCpu: { what: 'µs per state to encode (state → stored text, without the write version) and decode, over every state of the namespace, min / median / max of 5 rounds, the two formats alternating; ratio = project / JSON', ...codecCpu },
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'redis-latest.json'), JSON.stringify(result, null, 2) + '\n');
  print(result, measured, customers.size, used, lossless);
  console.log(`written to ${join(dir, 'redis-latest.json')}`);
} finally {
  figureRedis.disconnect();
  baselineRedis.disconnect();
  await figureServer.stop();
  await baselineServer.stop();
}

/** The demo's course (app/demo/run-demo.ts) over `stores`: calibration, fit, re-score, holdout, decay sweep. */
async function streamTheShop(history: ReturnType<typeof syntheticDemoHistory>, stores: Parameters<typeof streamPipeline>[1]['stores']) {
  const log = new InMemoryEventLog({ onBatchError: (error, where) => logger.warn({ err: error, ...where }, 'batch failed; redelivering after backoff') });
  const codec = new AvroCodec();
  const pipeline = streamPipeline(config, { log, codec, stores }, { logger });
  const calibrationEndMs = endOfDayMs(history.calibrationEndDay, config.timeZone);
  const split = history.messages.findIndex((m) => m.deliveredAtMs > calibrationEndMs);
  await pipeline.start();
  const t0 = performance.now();
  await replayMessages({ log, codec, pipeline }, history.messages.slice(0, split));
  const { inputs } = await modelInputsAsOf(pipeline.stores.histories, calibrationEndMs, 7, dayIndexer(config.timeZone), config.minorPerUnit);
  pipeline.useModel(trainCustomerValueModel(inputs, trainingSettingsFrom(config, 'bench')));
  const rescored = await pipeline.rescoreAll(calibrationEndMs);
  await replayMessages({ log, codec, pipeline }, history.messages.slice(split));
  const swept = await sweepDecay(pipeline, endOfDayMs(history.holdoutEndDay, config.timeZone));
  await pipeline.stop();
  return { rescoredAtCalibrationEnd: rescored, sweptAtDataEnd: swept.rescored, streamSeconds: round((performance.now() - t0) / 1000), pipelineStats: pipeline.stats() };
}

/** Every state of the project's store, and whether each is, as JSON, the baseline's stored text. */
async function compareWithBaseline(store: RedisStateStore<unknown>, baseline: RedisStateStore<unknown>, baselineClient: Redis) {
  const states: Array<[string, unknown]> = [];
  const check = { compared: 0, mismatches: 0, missingInBaseline: 0, example: null as string | null };
  for await (const page of store.scan(1000)) {
    const raws = await baselineClient.mget(page.map(([key]) => baseline.layout.encode(key)));
    for (let i = 0; i < page.length; i++) {
      const [key, state] = page[i];
      states.push([key, state]);
      check.compared++;
      const raw = raws[i];
      if (raw === null) {
        check.missingInBaseline++;
        continue;
      }
      const text = JSON.stringify(state);
      const expected = splitVersioned(raw, key).payload;
      if (text !== expected) {
        check.mismatches++;
        check.example ??= `${key}: ${text.slice(0, 300)} ≠ ${expected.slice(0, 300)}`;
      }
    }
  }
  return { states, check };
}

/** µs per state to encode and decode every state with the project's codec and with JSON, alternating, five rounds. */
function codecTimes(codec: StateCodec<unknown>, states: ReadonlyArray<[string, unknown]>) {
  const rounds = { projectEncode: [] as number[], projectDecode: [] as number[], jsonEncode: [] as number[], jsonDecode: [] as number[] };
  let bytes = { project: 0, json: 0 };
  for (let round = 0; round < 5; round++) {
    for (const [name, c] of [['project', codec], ['json', jsonStateCodec]] as const) {
      const texts: string[] = new Array(states.length);
      let t = performance.now();
      for (let i = 0; i < states.length; i++) texts[i] = c.encode(states[i][1], states[i][0]);
      const encodeMs = performance.now() - t;
      t = performance.now();
      for (let i = 0; i < states.length; i++) c.decode(texts[i], states[i][0]);
      const decodeMs = performance.now() - t;
      rounds[`${name}Encode`].push((1000 * encodeMs) / states.length);
      rounds[`${name}Decode`].push((1000 * decodeMs) / states.length);
      if (round === 0) bytes = { ...bytes, [name]: texts.reduce((sum, s) => sum + Buffer.byteLength(s), 0) };
    }
  }
  const s = (v: number[]) => {
    const x = spreadOf(v);
    return { min: round(x.min), median: round(x.median), max: round(x.max) };
  };
  return {
    states: states.length,
    encodedBytesPerState: { project: Math.round(bytes.project / states.length), json: Math.round(bytes.json / states.length) },
    encodeMicros: { project: s(rounds.projectEncode), json: s(rounds.jsonEncode), ratio: round(spreadOf(rounds.projectEncode).median / spreadOf(rounds.jsonEncode).median) },
    decodeMicros: { project: s(rounds.projectDecode), json: s(rounds.jsonDecode), ratio: round(spreadOf(rounds.projectDecode).median / spreadOf(rounds.jsonDecode).median) },
  };
}

function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function print(result: { history: { what: string; customersWithState: number }; total: { ratio: number }; codecCpu: Record<string, unknown> }, measured: Record<Namespace, { figure: NamespaceMemory; baseline: NamespaceMemory }>, customers: number, used: { figure: { perCustomer: number }; baseline: { perCustomer: number } }, lossless: Record<string, { compared: number; mismatches: number }>): void {
  const f = (n: number) => n.toLocaleString('en-US');
  console.log(`${result.history.what}; ${f(customers)} customers with state; state format ${STATE_FORMAT} against JSON (format 4), Redis ${figureServer.version}`);
  console.log('store       keys        bytes/customer (MEMORY USAGE)   value bytes/customer   ratio   codec µs/state encode, decode (JSON)');
  let figureSum = 0;
  let baselineSum = 0;
  for (const ns of NAMESPACES) {
    const { figure, baseline } = measured[ns];
    figureSum += figure.memoryUsageBytes;
    baselineSum += baseline.memoryUsageBytes;
    const cpu = result.codecCpu[ns] as { encodeMicros: { project: { median: number }; json: { median: number } }; decodeMicros: { project: { median: number }; json: { median: number } } };
    console.log(
      `${ns.padEnd(10)}  ${f(figure.keys).padStart(7)}     ${f(Math.round(figure.memoryUsageBytes / customers)).padStart(6)} (JSON ${f(Math.round(baseline.memoryUsageBytes / customers)).padStart(6)})` +
        `          ${f(Math.round(figure.valueBytes / customers)).padStart(6)} (JSON ${f(Math.round(baseline.valueBytes / customers)).padStart(6)})   ${(figure.memoryUsageBytes / baseline.memoryUsageBytes).toFixed(2)}` +
        `    ${cpu.encodeMicros.project.median.toFixed(2)}, ${cpu.decodeMicros.project.median.toFixed(2)} (${cpu.encodeMicros.json.median.toFixed(2)}, ${cpu.decodeMicros.json.median.toFixed(2)})`,
    );
  }
  console.log(`total: ${f(Math.round(figureSum / customers))} bytes per customer (JSON ${f(Math.round(baselineSum / customers))}), ratio ${result.total.ratio.toFixed(2)}; used_memory growth ${f(used.figure.perCustomer)} per customer (JSON ${f(used.baseline.perCustomer)})`);
  console.log(`lossless: ${Object.entries(lossless).map(([ns, c]) => `${ns} ${f(c.mismatches)} of ${f(c.compared)} differ`).join(', ')}`);
}
