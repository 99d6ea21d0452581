/**
 * `npm run bench:api`: GET /v1/customers/:id under autocannon, every security feature on
 * (API key auth, rate limit, helmet, CORS with an origin configured, compression), request
 * logging at the configured level, in two set-ups:
 *   embedded  the API over the in-memory read model (the demo's `--serve`);
 *   redis     `clv serve` over scores in Redis (needs the services: `npm run services:up`),
 *             with CLV_API_WORKERS=1 and 2 (node:cluster).
 * Each server is a child process (its log to a file, so draining it costs the load generator
 * nothing); this process only generates load. Customers are scored by the real processors
 * (a synthetic history, the model at tests/fixtures/api-model.json); each request asks for a
 * different one, round robin. Results: bench/results/api-latest.json, with the load average
 * (other work on the machine moves these figures a lot: read them with it).
 *
 * The bare baseline (issue 14), in the same invocation: right after each project server, a
 * bare fastify server (bench/bare-api-server.ts: the same fastify, no plugins, no auth) with
 * as many workers answers the same requests with the bytes the project's server gave for each
 * customer (read from it once, before it is measured; that pass also warms its customer
 * document cache, and every other server's bodies are checked against it), under the same
 * autocannon settings. Each figure gets its `baseline` and `ratio` (project / baseline); the
 * server's CPU per request also as user time (its own code) and system time (the kernel's).
 * A second floor follows: the same bare server also sending, on every answer, the response
 * headers the project's server sent (helmet's, CORS, rate limit, request id, Vary) without any
 * of the logic that decides them: `headersBaseline`, `ratioToHeadersBaseline` (what the
 * project's own code leaves) and `headersBaselineRatio` (what the headers' bytes alone leave of
 * the bare floor). BENCH_API_HEADERS_BASELINE=0 skips it.
 *
 * BENCH_API_CUSTOMERS (default 20000), BENCH_API_SECONDS (default 15), BENCH_API_MODES
 * (default embedded,redis), BENCH_API_WORKERS (redis mode, default 1,2), BENCH_REDIS_URL
 * (default redis://127.0.0.1:6379/5; only the bench's keys are written and deleted),
 * BENCH_API_SERVER_NODE_FLAGS (node flags for the servers only, e.g. --cpu-prof),
 * BENCH_API_REPETITIONS (default 1: each server measured that many times, medians reported),
 * BENCH_API_ACCEPT_ENCODING=gzip (every request accepts gzip; the bare servers then send each
 * body's gzip, made once at start, so that the floor sends the same bytes without the work of
 * compressing them; results in api-gzip-latest.json),
 * BENCH_API_CACHE_ENTRIES (CLV_API_CUSTOMER_CACHE_ENTRIES of the project's servers; default
 * the number of customers, so the round robin over them finds each document kept: an LRU
 * smaller than a cyclic round robin keeps nothing useful).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, get as httpGet } from 'node:http';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serverCpuSeconds, type UserSystemSeconds } from './cpu-meter.js';
import { freePort } from './free-port.js';
import { cpus, loadavg, tmpdir } from 'node:os';
import { spreadOf } from './spread.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { ScoreStoreReadModel } from '../read-model/score-store-read-model.js';
import { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { RedisStateStore } from '../adapters/redis/redis-state-store.js';
import { projectRoot } from '../config/project-files.js';
import { loadApiConfig } from '../config/api-config.js';
import { buildApp } from '../api/build-app.js';
import { loadPolicy } from '../config/action-policy-file.js';
import { createLogger } from '../app/logger.js';
import { createApiKey, formatApiKeyRecord } from '../core/api-keys.js';
import { dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import type { OutgoingMessage } from '../core/ports/event-log.js';
import { generateSyntheticHistory } from '../producers/synthetic/synthetic-history.js';
import { Pipeline } from '../processors/pipeline.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { processorStateCodecs } from '../processors/state-codecs.js';
import { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';

const root = projectRoot();
const customers = Number(process.env.BENCH_API_CUSTOMERS ?? 20_000);
const seconds = Number(process.env.BENCH_API_SECONDS ?? 15);
/** BENCH_API_ACCEPT_ENCODING=gzip: every request accepts gzip, as browsers and HTTP libraries send it; default none. */
const acceptEncoding = process.env.BENCH_API_ACCEPT_ENCODING ?? '';
if (acceptEncoding !== '' && acceptEncoding !== 'gzip') throw new Error(`BENCH_API_ACCEPT_ENCODING must be gzip or unset, got ${JSON.stringify(acceptEncoding)}`);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
const modelArtifact = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'api-model.json'), 'utf8'));
// A fixed key: the server and the load generator are separate processes.
const key = createApiKey('bench', ['read'], (n) => Buffer.alloc(n, 7));
/** Every security feature on; the limit is high enough not to answer 429 to the bench itself. */
const serverEnv = {
  CLV_API_HOST: '127.0.0.1',
  CLV_API_KEYS: formatApiKeyRecord(key.record),
  CLV_API_RATE_LIMIT_PER_MINUTE: '10000000',
  CLV_API_CORS_ORIGINS: 'https://crm.example.com',
};

interface Autocannon {
  (options: Record<string, unknown>): Promise<AutocannonResult>;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { average: number; p50: number; p97_5: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Scores a synthetic history with the real processors (in memory); the same customers every time. */
async function scoredCustomers(): Promise<Map<string, CustomerScoreState>> {
  const config = loadConfig({});
  const log = new InMemoryEventLog();
  const codec = new AvroCodec();
  const scores = new InMemoryStateStore<CustomerScoreState>();
  const pipeline = new Pipeline({
    log, codec,
    stores: { ledgers: new InMemoryStateStore(), histories: new InMemoryStateStore(), scores },
    validation: { currency: config.currency, maxFutureSkewMs: config.maxFutureSkewMs, now: Date.now },
    scoring: { dayOf: dayIndexer(config.timeZone), policy: loadPolicy(null), hysteresis: config.segmentHysteresis, minorPerUnit: config.minorPerUnit },
    partitions: 4, batchSize: 2000,
  });
  pipeline.useModel(BgNbdGammaGammaModel.fromJSON(modelArtifact));
  const history = generateSyntheticHistory({ customers, seed: 5, start: '2023-01-01', end: '2024-06-30' });
  await pipeline.start();
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (const m of history.messages) {
    if ('poison' in m) continue;
    let list = byTopic.get(m.topic);
    if (!list) byTopic.set(m.topic, (list = []));
    list.push({ key: m.key, value: await codec.encode(m.topic, m.value) });
  }
  for (const [topic, messages] of byTopic) await log.publish(topic, messages);
  await pipeline.waitUntilIdle(2);
  await pipeline.stop();
  const states = new Map<string, CustomerScoreState>();
  for await (const page of scores.scan(10_000)) for (const [id, s] of page) states.set(id, s);
  return states;
}

/** The child process of the embedded set-up: the demo's read model, served. */
async function serveEmbedded(): Promise<void> {
  const config = loadConfig(process.env);
  const api = loadApiConfig(process.env);
  const states = await scoredCustomers();
  const store = new InMemoryStateStore<CustomerScoreState>();
  await store.setMany(states);
  const model = BgNbdGammaGammaModel.fromJSON(modelArtifact);
  const readModel = new ScoreStoreReadModel({
    scores: store, currentModel: () => model,
    scoring: { dayOf: dayIndexer(config.timeZone), policy: loadPolicy(null), minorPerUnit: config.minorPerUnit },
  });
  await readModel.rebuildIndex();
  const app = await buildApp({ readModel, log: new InMemoryEventLog(), codec: new AvroCodec(), config, api, logger: createLogger(config.logLevel) });
  await app.listen({ host: api.host, port: api.port, backlog: 4096 }); // as `clv serve` does
  createLogger('info').info('API listening');
  process.once('SIGTERM', () => void app.close());
}


/** Starts a server child, its stderr (the log) into a file; resolves once it listens. */
async function startServer(args: string[], env: Record<string, string>, fixedPort?: number): Promise<{ child: ChildProcess; port: number; stop: () => Promise<void> }> {
  const port = fixedPort ?? await freePort();
  const logFile = join(mkdtempSync(join(tmpdir(), 'clv-api-bench-')), 'server.log');
  const fd = openSync(logFile, 'w');
  // BENCH_API_SERVER_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") reach the servers only (cluster workers inherit them).
  const flags = process.env.BENCH_API_SERVER_NODE_FLAGS?.split(' ').filter((f) => f !== '') ?? [];
  const child = spawn(process.execPath, [...flags, ...args], { env: { ...process.env, ...serverEnv, ...env, CLV_API_PORT: String(port) }, stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (const started = Date.now(); !readFileSync(logFile, 'utf8').includes('API listening'); ) {
    if (child.exitCode !== null || Date.now() - started > 120_000) throw new Error(`server did not start:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  return { child, port, stop };
}

/**
 * The server's CPU per request (its process and, under node:cluster, its workers; Linux /proc):
 * the figure other load on the machine moves least, since req/s and latency depend on how much
 * of the CPU the server gets. Also user and system apart: only the user part is the server's
 * own code (see cpu-meter.ts).
 */
function serverCpuPerRequest(before: UserSystemSeconds, after: UserSystemSeconds, requests: number) {
  const perRequest = (seconds: number) => Math.round((seconds * 1e6) / Math.max(1, requests));
  const user = after.user - before.user;
  const system = after.system - before.system;
  return {
    serverCpuMicrosecondsPerRequest: perRequest(user + system),
    serverUserCpuMicrosecondsPerRequest: perRequest(user),
    serverSystemCpuMicrosecondsPerRequest: perRequest(system),
  };
}

async function load(port: number, pid: number, ids: string[], connections: number, duration: number) {
  let next = 0;
  const load1 = loadavg()[0];
  const cpuBefore = serverCpuSeconds(pid);
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    headers: { authorization: `Bearer ${key.key}`, ...(acceptEncoding && { 'accept-encoding': acceptEncoding }) },
    requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/v1/customers/${encodeURIComponent(ids[next++ % ids.length])}` }) }],
  });
  return {
    connections,
    seconds: duration,
    requestsPerSecond: Math.round(r.requests.average),
    latencyMs: { average: r.latency.average, p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
    ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
    ...serverCpuPerRequest(cpuBefore, serverCpuSeconds(pid), r.requests.total),
    loadAverage1mBefore: Math.round(load1 * 100) / 100,
    loadAverage1mAfter: Math.round(loadavg()[0] * 100) / 100,
  };
}

async function measure(server: { port: number; child: ChildProcess }, ids: string[]) {
  const pid = server.child.pid!;
  await load(server.port, pid, ids, 100, 3); // warm-up: JIT, connection pools
  return [await load(server.port, pid, ids, 100, Math.min(10, seconds)), await load(server.port, pid, ids, 1000, seconds)];
}

/** Headers Node or fastify set on any answer, the bare server's included: not the project's own. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'content-type', 'transfer-encoding', 'content-encoding']);

/**
 * Every customer's GET body and content type, read once (32 at a time) from a server, and the
 * headers of one answer beyond the transport's (for the project's server: what its security
 * features add).
 */
async function fetchBodies(port: number, ids: string[]): Promise<{ bodies: Map<string, string>; contentTypes: Set<string>; headers: Record<string, string> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const bodies = new Map<string, string>();
  const contentTypes = new Set<string>();
  const headers: Record<string, string> = {};
  const one = (id: string) => new Promise<void>((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: `/v1/customers/${encodeURIComponent(id)}`, agent, headers: { authorization: `Bearer ${key.key}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${id}: ${res.statusCode}`));
        contentTypes.add(String(res.headers['content-type']));
        if (Object.keys(headers).length === 0) {
          for (const [name, value] of Object.entries(res.headers)) if (!TRANSPORT_HEADERS.has(name) && value !== undefined) headers[name] = String(value);
        }
        bodies.set(id, Buffer.concat(chunks).toString('utf8'));
        resolve();
      });
      res.on('error', reject);
    }).on('error', reject);
  });
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < ids.length) await one(ids[next++]);
  }));
  agent.destroy();
  return { bodies, contentTypes, headers };
}

/** With BENCH_API_ACCEPT_ENCODING, that a server does answer in that encoding: else the bench would measure something else. */
function checkCompressed(port: number, id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: `/v1/customers/${encodeURIComponent(id)}`, headers: { authorization: `Bearer ${key.key}`, 'accept-encoding': acceptEncoding } }, (res) => {
      res.resume();
      const encoding = res.headers['content-encoding'];
      res.on('end', () => (encoding === acceptEncoding ? resolve() : reject(new Error(`the server on port ${port} answered Accept-Encoding: ${acceptEncoding} with content-encoding ${encoding ?? 'none'}`))));
    }).on('error', reject);
  });
}

type Figures = Awaited<ReturnType<typeof load>>;
const round2 = (n: number) => Math.round(n * 100) / 100;

const floorOf = (f: Figures) => ({
  requestsPerSecond: f.requestsPerSecond, p99Ms: f.latencyMs.p99, timeouts: f.timeouts,
  serverCpuMicrosecondsPerRequest: f.serverCpuMicrosecondsPerRequest,
  serverUserCpuMicrosecondsPerRequest: f.serverUserCpuMicrosecondsPerRequest,
  serverSystemCpuMicrosecondsPerRequest: f.serverSystemCpuMicrosecondsPerRequest,
});
const ratiosOf = (project: Figures, floor: Figures) => ({
  requestsPerSecond: round2(project.requestsPerSecond / floor.requestsPerSecond),
  p99: round2(project.latencyMs.p99 / Math.max(1, floor.latencyMs.p99)),
  serverCpuPerRequest: round2(project.serverCpuMicrosecondsPerRequest / Math.max(1, floor.serverCpuMicrosecondsPerRequest)),
  serverUserCpuPerRequest: round2(project.serverUserCpuMicrosecondsPerRequest / Math.max(1, floor.serverUserCpuMicrosecondsPerRequest)),
  serverSystemCpuPerRequest: round2(project.serverSystemCpuMicrosecondsPerRequest / Math.max(1, floor.serverSystemCpuMicrosecondsPerRequest)),
});

/**
 * The baseline figures and project / baseline ratios of one measurement; with the second
 * floor (bare fastify sending the project's response headers), the same against it, and that
 * floor against the first (what the headers alone cost).
 */
function against(project: Figures, bare: Figures, bareWithHeaders: Figures | null) {
  return {
    ...project,
    baseline: floorOf(bare),
    ratio: ratiosOf(project, bare),
    ...(bareWithHeaders && {
      headersBaseline: floorOf(bareWithHeaders),
      ratioToHeadersBaseline: ratiosOf(project, bareWithHeaders),
      headersBaselineRatio: ratiosOf(bareWithHeaders, bare),
    }),
  };
}

async function main(): Promise<void> {
  const modes = (process.env.BENCH_API_MODES ?? 'embedded,redis').split(',');
  const repetitions = Number(process.env.BENCH_API_REPETITIONS ?? 1);
  const self = fileURLToPath(import.meta.url);
  const cli = join(root, 'dist', 'cli', 'clv.js');
  const bare = join(root, 'dist', 'bench', 'bare-api-server.js');
  const states = await scoredCustomers();
  const ids = [...states.keys()];
  const cacheEntries = process.env.BENCH_API_CACHE_ENTRIES ?? String(ids.length);
  const projectEnv = { CLV_API_CUSTOMER_CACHE_ENTRIES: cacheEntries };
  const configs: Array<{ mode: string; workers: number }> = [];
  if (modes.includes('embedded')) configs.push({ mode: 'embedded', workers: 1 });
  if (modes.includes('redis')) for (const workers of (process.env.BENCH_API_WORKERS ?? '1,2').split(',').map(Number)) configs.push({ mode: 'redis', workers });
  const work = mkdtempSync(join(tmpdir(), 'clv-api-bench-'));
  const bodiesFile = join(work, 'bodies.tsv');
  const headersFile = join(work, 'headers.json');
  // BENCH_API_HEADERS_BASELINE=0 leaves out the second floor (a third server per configuration).
  const headersFloor = process.env.BENCH_API_HEADERS_BASELINE !== '0';
  let projectHeaders: Record<string, string> | null = null;
  let reference: Map<string, string> | null = null;
  const bodyCheck = { servers: 0, mismatches: 0, contentTypes: new Set<string>() };
  /** Reads every body from a server; the first server's become the bare server's, the others' are compared with them. */
  const readBodies = async (port: number, server: 'project' | 'bare') => {
    if (acceptEncoding) await checkCompressed(port, ids[0]);
    const { bodies, contentTypes, headers } = await fetchBodies(port, ids);
    for (const t of contentTypes) bodyCheck.contentTypes.add(t);
    if (server === 'project' && projectHeaders === null) {
      projectHeaders = headers;
      writeFileSync(headersFile, JSON.stringify(headers));
    }
    bodyCheck.servers++;
    if (reference === null) {
      reference = bodies;
      writeFileSync(bodiesFile, ids.map((id) => `${id}\t${bodies.get(id)}`).join('\n') + '\n');
    } else {
      for (const id of ids) if (bodies.get(id) !== reference.get(id)) bodyCheck.mismatches++;
    }
  };
  const measureBare = async (workers: number, withHeaders: boolean) => {
    const port = await freePort();
    const server = await startServer([bare, bodiesFile, String(port), String(workers), ...(withHeaders ? [headersFile] : [])], {}, port);
    try {
      await readBodies(server.port, 'bare');
      return await measure(server, ids);
    } finally {
      await server.stop();
    }
  };
  const runs: Array<{ mode: string; workers: number; repetition: number; results: ReturnType<typeof against>[] }> = [];

  let redisCleanup: (() => Promise<void>) | null = null;
  let registryDir = '';
  if (modes.includes('redis')) {
    const scores = new RedisStateStore({ redis: redisUrl, namespace: 'scores', codec: processorStateCodecs.scores });
    registryDir = mkdtempSync(join(tmpdir(), 'clv-api-bench-models-'));
    const registry = new LocalModelRegistry(registryDir);
    await registry.register({ version: modelArtifact.version, kind: 'bgnbd-gamma-gamma', registeredAt: new Date().toISOString(), details: {} }, modelArtifact);
    await registry.promote(modelArtifact.version);
    await scores.setMany(states);
    redisCleanup = async () => {
      const { Redis } = await import('ioredis');
      const redis = new Redis(redisUrl);
      for (let i = 0; i < ids.length; i += 1000) await redis.del(...ids.slice(i, i + 1000).map((id) => scores.layout.encode(id)));
      redis.disconnect();
      await scores.close();
    };
  }
  try {
    for (let repetition = 1; repetition <= repetitions; repetition++) {
      for (const { mode, workers } of configs) {
        const server = mode === 'embedded'
          ? await startServer([self, 'serve-embedded'], projectEnv)
          : await startServer([cli, 'serve'], { ...projectEnv, CLV_REDIS_URL: redisUrl, CLV_MODEL_REGISTRY_DIR: registryDir, CLV_API_WORKERS: String(workers) });
        let project: Figures[];
        try {
          await readBodies(server.port, 'project');
          project = await measure(server, ids);
        } finally {
          await server.stop();
        }
        // Right after, on the same machine in the same state: the bare floor with as many workers.
        const floor = await measureBare(workers, false);
        const floorWithHeaders = headersFloor ? await measureBare(workers, true) : null;
        runs.push({ mode, workers, repetition, results: project.map((p, i) => against(p, floor[i], floorWithHeaders?.[i] ?? null)) });
        process.stderr.write(`${mode} ×${workers} #${repetition}: ${project.map((p, i) => `${p.connections} conn ${p.requestsPerSecond} req/s (bare ${floor[i].requestsPerSecond}, ratio ${round2(p.requestsPerSecond / floor[i].requestsPerSecond)}${floorWithHeaders ? `; bare with the headers ${floorWithHeaders[i].requestsPerSecond}` : ''}), p99 ${p.latencyMs.p99} ms (bare ${floor[i].latencyMs.p99}${floorWithHeaders ? `, with the headers ${floorWithHeaders[i].latencyMs.p99}` : ''}), timeouts ${p.timeouts} (bare ${floor[i].timeouts})`).join('; ')}\n`);
      }
    }
  } finally {
    await redisCleanup?.();
  }
  const summary = configs.map(({ mode, workers }) => {
    const mine = runs.filter((r) => r.mode === mode && r.workers === workers);
    return {
      mode, workers, repetitions: mine.length,
      byConnections: mine[0].results.map((_, i) => ({
        connections: mine[0].results[i].connections,
        requestsPerSecond: spreadOf(mine.map((r) => r.results[i].requestsPerSecond)),
        baselineRequestsPerSecond: spreadOf(mine.map((r) => r.results[i].baseline.requestsPerSecond)),
        ratio: spreadOf(mine.map((r) => r.results[i].ratio.requestsPerSecond)),
        p99Ms: spreadOf(mine.map((r) => r.results[i].latencyMs.p99)),
        baselineP99Ms: spreadOf(mine.map((r) => r.results[i].baseline.p99Ms)),
        p99Ratio: spreadOf(mine.map((r) => r.results[i].ratio.p99)),
        timeouts: spreadOf(mine.map((r) => r.results[i].timeouts)),
        baselineTimeouts: spreadOf(mine.map((r) => r.results[i].baseline.timeouts)),
        serverCpuRatio: spreadOf(mine.map((r) => r.results[i].ratio.serverCpuPerRequest)),
        serverUserCpuRatio: spreadOf(mine.map((r) => r.results[i].ratio.serverUserCpuPerRequest)),
        serverSystemCpuRatio: spreadOf(mine.map((r) => r.results[i].ratio.serverSystemCpuPerRequest)),
        ...(headersFloor && {
          headersBaselineRequestsPerSecond: spreadOf(mine.map((r) => r.results[i].headersBaseline!.requestsPerSecond)),
          headersBaselineP99Ms: spreadOf(mine.map((r) => r.results[i].headersBaseline!.p99Ms)),
          ratioToHeadersBaseline: spreadOf(mine.map((r) => r.results[i].ratioToHeadersBaseline!.requestsPerSecond)),
          p99RatioToHeadersBaseline: spreadOf(mine.map((r) => r.results[i].ratioToHeadersBaseline!.p99)),
          headersBaselineRatio: spreadOf(mine.map((r) => r.results[i].headersBaselineRatio!.requestsPerSecond)),
          headersBaselineP99Ratio: spreadOf(mine.map((r) => r.results[i].headersBaselineRatio!.p99)),
          serverUserCpuRatioToHeadersBaseline: spreadOf(mine.map((r) => r.results[i].ratioToHeadersBaseline!.serverUserCpuPerRequest)),
        }),
      })),
    };
  });
  const report = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model.trim(), cores: cpus().length, node: process.version, loadAverage1mAtEnd: round2(loadavg()[0]), note: 'server(s) and autocannon share these cores with whatever else runs' },
    customers: ids.length,
    route: 'GET /v1/customers/:id (API key, rate limit, helmet, CORS, compression on)',
    acceptEncoding: acceptEncoding || null,
    logLevel: process.env.CLV_LOG_LEVEL ?? 'info',
    customerCacheEntries: Number(cacheEntries),
    baseline: {
      what: 'bare fastify (the same version, no plugins) answering GET /v1/customers/:id from a Map with the body the project server gave for that customer, content-type application/json; charset=utf-8, as many node:cluster workers, measured right after each project server with the same autocannon settings',
      note: 'the bare server does no authentication (the bench sends the same Authorization header, which it ignores), no rate limiting, no security headers, no CORS, no request logging; ' +
        (acceptEncoding ? 'every request accepts gzip, and the bare server sends each body\'s gzip, compressed once at start' : 'autocannon asks for no compression, so neither server compresses'),
      bodiesChecked: { servers: bodyCheck.servers, customers: ids.length, mismatches: bodyCheck.mismatches, contentTypes: [...bodyCheck.contentTypes] },
    },
    ...(headersFloor && {
      headersBaseline: {
        what: 'the same bare server, also sending on every answer the response headers the first project server sent beyond the transport ones (helmet, CORS, rate limit, request id, Vary), fixed values of the same length, measured right after the bare server',
        headers: projectHeaders,
        why: 'the bytes of the security features\' headers cost the server (setting and validating them) and the load generator on the same cores (parsing them) whatever code decides them; ratioToHeadersBaseline is what the project\'s own logic leaves of that, headersBaselineRatio what the headers alone leave of the bare floor',
      },
    }),
    ratioNote: 'ratio.requestsPerSecond = project / baseline (higher is better, 1 = the floor); ratio.p99 = project p99 / baseline p99 (lower is better); ratio.serverCpuPerRequest the same for the server\'s CPU per request (lower is better), split into user (the server\'s own code) and system (the kernel\'s work for it: sockets, page faults); each pair measured back to back',
    summary,
    runs,
  };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  // A run with compressed answers is another measurement: a file of its own.
  writeFileSync(join(root, 'bench', 'results', acceptEncoding ? `api-${acceptEncoding}-latest.json` : 'api-latest.json'), JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
}

if (process.argv[2] === 'serve-embedded') await serveEmbedded();
else await main();
