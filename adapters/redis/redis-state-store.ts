/**
 * StateStore on Redis (standalone or Cluster) through ioredis: the production feature store.
 *
 * Keys: `clv:<namespace>:{<customer>}<rest>` (see redis/redis-key-layout.ts), so one customer's
 * keys share a cluster slot. Values: one Redis string per state key, `<write version>\n` and
 * the codec's text (JSON by default; the processors' states have compact codecs of their own,
 * processors/state-codecs.ts, paired with their namespaces by app/redis-state-stores.ts),
 * written whole by the fenced-write script (redis/fenced-write.ts) — atomic per key, which is
 * all the port promises, and refused where a newer write version is stored.
 *
 * Round trips: on a standalone server a batch is one round trip — getMany is one MGET,
 * setMany one pipeline of fenced-write scripts. A Cluster refuses multi-key
 * commands across slots and ioredis pipelines across nodes, so there every key is its own
 * command, issued all at once; create the Cluster with `enableAutoPipelining: true` and
 * ioredis sends them as one pipeline per node.
 *
 * Idempotency lives in the pure processors, not here (see processors/run-keyed-processor.ts):
 * each state is replaced whole, so a replayed batch converges on the same state, and no
 * per-event dedup script is needed. Write versions (redis/fenced-write.ts) guard against
 * zombie instances after a rebalance.
 *
 * Memory (Redis 7.0.15, MEMORY USAGE per key of the processors' states in state format 5, the
 * JSON of format 4 in brackets; measured, not asserted):
 *   CustomerPurchaseHistory   152 B with 1 order (296), 712 B with 10 (1,864), 3.1 KB with 50
 *                             (10.3 KB): ≈ 60 B per order kept in detail. Orders more than 400
 *                             days before the customer's latest are per-day totals: ten years of
 *                             a loyal customer (1,606 orders, 175 of them in detail) take 32 KB (64 KB)
 *   OrderLedger               248 B median, 280 B p90 on the demo's shop (712 / 968); ids kept
 *                             only within 30 days of the order's latest event: two years of daily
 *                             payment retries take 1.4 KB (1.8 KB)
 *   CustomerScoreState        328 B median, 520 B p90 (968 / 1,352)
 * On the demo's synthetic shop that is 1,215 B per customer, 0.36 of the JSON's 3,385
 * (`npm run bench:redis`, docs/performance.md). Give the ledger store `ttlSeconds` (longer than
 * refunds and late payments can arrive, e.g. 90 days) so ledgers do not pile up: an event of
 * an order whose ledger has expired starts a fresh, empty ledger (a late refund then finds no
 * capture and changes nothing). A TTL costs ≈ 40 B more per key (the expires table).
 *
 * Errors from Redis become ClvError(DEPENDENCY_FAILED, retriable: true) so the runner backs
 * off and retries the batch; values that cannot be decoded are not retriable.
 */
import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { Revised, StateCodec, StateStore, WriteOptions } from '../../core/ports/state-store.js';
import { FENCED_SET_LUA, FencedWriteError, splitVersioned, UNVERSIONED_ERROR_PREFIX, writeVersionArgument } from './fenced-write.js';
import { RedisKeyLayout, wholeKey, type HashTagRule } from './redis-key-layout.js';
import { connectionErrors } from './redis-connection.js';

export { FencedWriteError } from './fenced-write.js';
export { firstKeyPart, wholeKey, type HashTagRule } from './redis-key-layout.js';

/**
 * The default codec: the state as JSON. Text, not bytes, for every codec: ioredis decoding
 * replies straight into strings made JSON reads ~1.5× faster than Buffer replies + toString
 * (measured on 1.2 KB histories), and the stored text is the API's score revision.
 */
export const jsonStateCodec: StateCodec<any> = {
  encode: (value) => JSON.stringify(value),
  decode: (text) => JSON.parse(text),
};

export interface RedisStateStoreOptions<T> {
  /**
   * A client the caller owns (standalone `Redis` or `Cluster`; give a Cluster
   * `enableAutoPipelining: true`), or a redis:// URL, for which the store makes a standalone
   * client of its own that fails commands fast (the runner does the retrying) and that
   * `close()` quits.
   */
  redis: Redis | Cluster | string;
  /** Options for the client made from a URL. */
  redisOptions?: RedisOptions;
  /** Word naming the store ('ledgers', 'histories'…): letters, digits, '_', '.', '-'. */
  namespace: string;
  /**
   * How a key names its customer, the cluster hash tag: `wholeKey` (default; keys are customer
   * ids) or `firstKeyPart` (keys are core/composite-key.ts keys starting with the customer id).
   */
  hashTag?: HashTagRule;
  /** Each write (re)sets the key to expire this many seconds later; default: never. */
  ttlSeconds?: number;
  /**
   * How a state becomes the stored text (after the write version) and back; default JSON.
   * The processors' states have compact codecs of their own (processors/state-codecs.ts):
   * open their stores through app/redis-state-stores.ts, which pairs each namespace with its codec.
   */
  codec?: StateCodec<T>;
}

type Client = Redis | Cluster;
/** Keys per fenced-write call on a standalone server: bounds the arguments spread into one call. */
const MAX_KEYS_PER_SET = 1_000;

/** A command as [name, ...arguments]; `clvFencedSet` and `clvFencedSetMany` are the fenced-write script. */
type Command = [name: string, ...args: string[]];

export class RedisStateStore<T> implements StateStore<T> {
  readonly layout: RedisKeyLayout;
  private readonly client: Client;
  private readonly ownsClient: boolean;
  /** Adds the connection's last error to a command's message (own clients only). */
  private readonly explain: (message: string) => string = (m) => m;
  private readonly codec: StateCodec<T>;
  private readonly ttl: string | null;

  constructor(options: RedisStateStoreOptions<T>) {
    this.layout = new RedisKeyLayout(options.namespace, options.hashTag ?? wholeKey);
    const { ttlSeconds } = options;
    if (ttlSeconds !== undefined && !(Number.isSafeInteger(ttlSeconds) && ttlSeconds > 0)) {
      throw new ClvError(ErrorCodes.INVALID_CONFIG, `ttlSeconds must be a positive integer, got ${ttlSeconds}`);
    }
    this.ttl = ttlSeconds === undefined ? null : String(ttlSeconds);
    this.codec = options.codec ?? jsonStateCodec;
    if (typeof options.redis === 'string') {
      this.client = new Redis(options.redis, { maxRetriesPerRequest: 1, ...options.redisOptions });
      // Connection errors reach the caller as failed commands (retriable ClvErrors); without a
      // listener ioredis would also print each reconnect failure.
      this.explain = connectionErrors(this.client);
      this.ownsClient = true;
    } else {
      this.client = options.redis;
      this.ownsClient = false;
    }
    // Idempotent: defining it again on a shared client replaces it with the same script.
    // The same script twice: on a Cluster with one key, the key first (ioredis routes a call,
    // and auto-pipelines it, by its first argument); elsewhere with as many keys as the call
    // says (its first argument).
    this.client.defineCommand('clvFencedSet', { numberOfKeys: 1, lua: FENCED_SET_LUA });
    this.client.defineCommand('clvFencedSetMany', { lua: FENCED_SET_LUA });
  }

  /**
   * Claims this namespace for states of layout `format` (processors/state-format.ts): the
   * first store to ask records it under `clv-format:<namespace>` (outside the namespace's
   * keys, so scans never see it); a later build with another format refuses to read the
   * states instead of misreading them.
   * @throws ClvError INVALID_CONFIG when the namespace holds states of another format.
   */
  async claimFormat(format: number): Promise<void> {
    const key = `clv-format:${this.layout.namespace}`;
    await this.client.set(key, String(format), 'NX');
    const stored = await this.client.get(key);
    if (stored !== String(format)) {
      throw new ClvError(
        ErrorCodes.INVALID_CONFIG,
        `Redis holds ${this.layout.namespace} states of format ${stored}; this build keeps format ${format}: rebuild them by replaying the topics into an empty Redis (docs/runbook.md)`,
      );
    }
  }

  async getMany(keys: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    if (keys.length === 0) return found;
    const redisKeys = keys.map((k) => this.layout.encode(k));
    const raws = await this.readRaw(redisKeys, 'getMany');
    for (let i = 0; i < keys.length; i++) {
      const raw = raws[i];
      if (raw !== null) found.set(keys[i], this.decodeValue(raw, keys[i], redisKeys[i]));
    }
    return found;
  }

  /**
   * The revision is the stored text (write version and payload): equal texts are equal
   * states, and comparing ~500 bytes costs far less than parsing them.
   */
  async getManyRevised(keys: readonly string[]): Promise<Map<string, Revised<T>>> {
    const found = new Map<string, Revised<T>>();
    if (keys.length === 0) return found;
    const redisKeys = keys.map((k) => this.layout.encode(k));
    const raws = await this.readRaw(redisKeys, 'getMany');
    for (let i = 0; i < keys.length; i++) {
      const raw = raws[i];
      const key = keys[i];
      const redisKey = redisKeys[i];
      if (raw !== null) found.set(key, { revision: raw, value: () => this.decodeValue(raw, key, redisKey) });
    }
    return found;
  }

  /**
   * Writes each value with `options.writeVersion` (or the version stored at its key, when
   * absent). Keys where a newer version is stored are left alone and the call rejects with
   * FencedWriteError naming them, after the others were written.
   */
  async setMany(entries: ReadonlyMap<string, T>, options: WriteOptions = {}): Promise<void> {
    if (entries.size === 0) return;
    const version = writeVersionArgument(options.writeVersion);
    const ttl = this.ttl ?? '0';
    const client = this.client;
    const keys: string[] = [];
    const redisKeys: string[] = [];
    const values: string[] = [];
    for (const [key, value] of entries) {
      keys.push(key);
      redisKeys.push(this.layout.encode(key));
      values.push(this.codec.encode(value, key));
    }
    // A Cluster takes one key per call (a call's keys must share a slot); a standalone server
    // up to MAX_KEYS_PER_SET each, in one pipeline (the arguments are spread into the call).
    const commands: Command[] = [];
    if (client.isCluster) {
      for (let i = 0; i < redisKeys.length; i++) commands.push(['clvFencedSet', redisKeys[i], version, ttl, values[i]]);
    } else {
      for (let start = 0; start < redisKeys.length; start += MAX_KEYS_PER_SET) {
        const callKeys = redisKeys.slice(start, start + MAX_KEYS_PER_SET);
        commands.push(['clvFencedSetMany', String(callKeys.length), ...callKeys, version, ttl, ...values.slice(start, start + MAX_KEYS_PER_SET)]);
      }
    }
    const results = (await this.run(commands, 'setMany')).flatMap((r) => r as number[]);
    let refused: string[] | null = null;
    for (let i = 0; i < keys.length; i++) if (results[i] === 0) (refused ??= []).push(keys[i]);
    if (refused !== null) throw new FencedWriteError(refused, keys.length - refused.length);
  }

  /**
   * Every entry once, in pages of `pageSize` (the last may be smaller). Redis SCAN may return
   * a key twice (when the keyspace shrinks mid-scan, or slots move); a set of the keys seen
   * so far removes repeats, so memory grows with the namespace (≈ 100 B per key). SCAN walks
   * the whole database, not just this namespace (MATCH filters afterwards): O(keys in db).
   */
  async *scan(pageSize: number): AsyncIterable<Array<[string, T]>> {
    if (!(Number.isSafeInteger(pageSize) && pageSize > 0)) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    const seen = new Set<string>();
    let pending: string[] = [];
    for await (const batch of this.scanKeys(pageSize)) {
      for (const key of batch) {
        if (seen.has(key)) continue;
        seen.add(key);
        pending.push(key);
      }
      while (pending.length >= pageSize) {
        const page = await this.readPage(pending.slice(0, pageSize));
        pending = pending.slice(pageSize);
        if (page.length > 0) yield page;
      }
    }
    if (pending.length > 0) {
      const page = await this.readPage(pending);
      if (page.length > 0) yield page;
    }
  }

  /** Entries whose key starts with `prefix`: a SCAN with a narrower MATCH (cost as for `scan`); for erasure, not hot paths. */
  async *scanPrefix(prefix: string, pageSize: number): AsyncIterable<Array<[string, T]>> {
    if (!(Number.isSafeInteger(pageSize) && pageSize > 0)) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    const seen = new Set<string>();
    for await (const batch of this.scanKeys(pageSize, this.layout.patternFor(prefix))) {
      const keys = batch.filter((k) => !seen.has(k) && this.layout.decode(k).startsWith(prefix));
      for (const k of keys) seen.add(k);
      if (keys.length === 0) continue;
      const page = await this.readPage(keys);
      if (page.length > 0) yield page;
    }
  }

  /** UNLINK (the memory is freed in the background); returns how many keys existed. */
  async deleteMany(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const results = await this.run(keys.map((k): Command => ['unlink', this.layout.encode(k)]), 'deleteMany');
    return results.reduce<number>((sum, r) => sum + Number(r), 0);
  }

  /** Number of keys in the namespace: a full SCAN (cost as for `scan`); for tools, not hot paths. */
  async size(): Promise<number> {
    const seen = new Set<string>();
    for await (const batch of this.scanKeys(1000)) for (const key of batch) seen.add(key);
    return seen.size;
  }

  /** Quits the client if the store made it from a URL; a client passed in is left open. */
  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }

  /** Raw values of Redis keys, null where missing. */
  private async readRaw(redisKeys: string[], op: string): Promise<Array<string | null>> {
    const client = this.client;
    if (!client.isCluster) return this.guard(op, () => client.mget(redisKeys));
    return (await this.run(redisKeys.map((k): Command => ['get', k]), op)) as Array<string | null>;
  }

  private async readPage(redisKeys: string[]): Promise<Array<[string, T]>> {
    const raws = await this.readRaw(redisKeys, 'scan');
    const page: Array<[string, T]> = [];
    for (let i = 0; i < redisKeys.length; i++) {
      const raw = raws[i];
      // Null: deleted or expired between SCAN and the read.
      if (raw === null) continue;
      const key = this.layout.decode(redisKeys[i]);
      page.push([key, this.decodeValue(raw, key, redisKeys[i])]);
    }
    return page;
  }

  /** Raw keys of the namespace, SCAN batch by SCAN batch, from every master of a Cluster. */
  private async *scanKeys(count: number, pattern = this.layout.pattern): AsyncIterable<string[]> {
    // A Cluster client knows its masters once it has the slot map: until its first command
    // has been answered, nodes() is empty and the scan would find nothing.
    if (this.client.isCluster) await this.guard('scan', () => this.client.ping());
    const nodes = this.client.isCluster ? (this.client as Cluster).nodes('master') : [this.client as Redis];
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await this.guard('scan', () => node.scan(cursor, 'MATCH', pattern, 'COUNT', count));
        cursor = next;
        if (keys.length > 0) yield keys;
      } while (cursor !== '0');
    }
  }

  /**
   * Runs commands as one batch and returns their results in order: a pipeline (one round
   * trip) on a standalone server; on a Cluster, concurrent commands that ioredis routes to
   * the right nodes (grouped into one pipeline per node with auto-pipelining).
   */
  private async run(commands: Command[], op: string): Promise<unknown[]> {
    const client = this.client;
    if (client.isCluster) {
      const byName = client as unknown as Record<string, (...args: string[]) => Promise<unknown>>;
      return this.guard(op, () => Promise.all(commands.map(([name, ...args]) => byName[name].apply(client, args))));
    }
    const replies = await this.guard(op, () => (client as Redis).pipeline(commands).exec());
    if (replies === null) throw this.dependencyError(op, new Error('pipeline was discarded'));
    return replies.map(([error, result]) => {
      if (error) throw this.dependencyError(op, error);
      return result;
    });
  }

  private decodeValue(raw: string, key: string, redisKey: string): T {
    const payload = splitVersioned(raw, redisKey).payload;
    try {
      return this.codec.decode(payload, key);
    } catch (error) {
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `value at ${redisKey} does not deserialize: ${message(error)}`, { cause: error });
    }
  }

  private async guard<R>(op: string, call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      throw this.dependencyError(op, error);
    }
  }

  private dependencyError(op: string, error: unknown): ClvError {
    if (error instanceof ClvError) return error;
    // A key of another type, or a value of another state format: a setup mistake that a
    // retry cannot fix. Everything else (connection lost, timeouts, LOADING, READONLY during a
    // failover, OOM, CLUSTERDOWN) may pass.
    const msg = message(error);
    const retriable = !(msg.startsWith('WRONGTYPE') || msg.startsWith(UNVERSIONED_ERROR_PREFIX));
    return new ClvError(ErrorCodes.DEPENDENCY_FAILED, `redis ${op} on ${this.layout.pattern} failed: ${this.explain(msg)}`, { retriable, cause: error });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
