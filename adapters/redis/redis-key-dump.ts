/**
 * The keys of a Redis database that match a pattern, dumped with DUMP (each value in Redis's
 * own RDB serialization, so every type and encoding comes back as it was) and their absolute
 * expiry (PEXPIRETIME, Redis 7), one JSON line per key; loaded back with RESTORE … ABSTTL, so
 * a restored ledger expires at the same instant it would have.
 *
 * Why not a whole-server RDB (BGSAVE, `redis-cli --rdb`) or an AOF copy: loading either needs
 * the server stopped and its files replaced, and it holds every database of the server — on a
 * shared or managed Redis the clv keys are one pattern among others. DUMP/RESTORE runs online
 * against the database CLV_REDIS_URL names. The keys are read with SCAN, so the dump is not a
 * snapshot of one instant while processors write: take it with the processors stopped, or
 * rely on their idempotence and replay from the committed offsets (docs/backups.md).
 *
 * DUMP payloads carry the RDB version: they load into the same or a newer Redis.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Redis } from 'ioredis';
import { ClvError, ErrorCodes } from '../../core/errors.js';

/** One line of the dump file. Key and value in base64: keys are bytes to Redis. */
interface DumpLine {
  k: string;
  v: string;
  /** Absolute expiry in Unix ms; -1 for none. */
  x: number;
}

export interface KeyDumpSummary {
  keys: number;
  /** Keys with an expiry. */
  expiring: number;
}

const SCAN_COUNT = 1_000;

/** Dumps every key matching `match` (SCAN MATCH syntax) into `file`. */
export async function dumpKeys(redis: Redis, match: string, file: string): Promise<KeyDumpSummary> {
  const out = createWriteStream(file);
  const summary: KeyDumpSummary = { keys: 0, expiring: 0 };
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scanBuffer(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT);
      cursor = next.toString();
      if (keys.length === 0) continue;
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.dumpBuffer(key).call('PEXPIRETIME', key);
      const replies = (await pipeline.exec()) ?? [];
      for (let i = 0; i < keys.length; i++) {
        const [dumpError, value] = replies[2 * i] as [Error | null, Buffer | null];
        const [expiryError, expiry] = replies[2 * i + 1] as [Error | null, number];
        if (dumpError || expiryError) throw dumpError ?? expiryError;
        // Deleted or expired between SCAN and DUMP: not part of the data any more.
        if (value === null || expiry === -2) continue;
        const line: DumpLine = { k: keys[i].toString('base64'), v: value.toString('base64'), x: Number(expiry) };
        if (!out.write(JSON.stringify(line) + '\n')) await once(out, 'drain');
        summary.keys++;
        if (line.x >= 0) summary.expiring++;
      }
    } while (cursor !== '0');
  } catch (cause) {
    out.destroy();
    throw asDependencyError(cause, `dumping Redis keys ${match}`);
  }
  out.end();
  await once(out, 'finish');
  return summary;
}

/** The first key of the dump that already exists in `redis`, or null when none does. */
export async function firstExistingKey(redis: Redis, file: string): Promise<string | null> {
  for await (const batch of dumpBatches(file)) {
    const pipeline = redis.pipeline();
    for (const line of batch) pipeline.exists(Buffer.from(line.k, 'base64'));
    const replies = (await pipeline.exec()) ?? [];
    const i = replies.findIndex(([, n]) => Number(n) > 0);
    if (i >= 0) return Buffer.from(batch[i].k, 'base64').toString();
  }
  return null;
}

export interface KeyRestoreSummary {
  restored: number;
  /** Keys whose expiry passed between the backup and the restore: Redis drops them at once. */
  expired: number;
}

/** Restores every key of the dump; a key that exists already fails the restore (BUSYKEY). */
export async function restoreKeys(redis: Redis, file: string, now: () => number = Date.now): Promise<KeyRestoreSummary> {
  const summary: KeyRestoreSummary = { restored: 0, expired: 0 };
  try {
    for await (const batch of dumpBatches(file)) {
      const pipeline = redis.pipeline();
      const at = now();
      for (const line of batch) {
        if (line.x >= 0 && line.x <= at) {
          summary.expired++;
          continue;
        }
        // RESTORE key ttl value ABSTTL: ttl 0 means no expiry.
        pipeline.call('RESTORE', Buffer.from(line.k, 'base64'), String(Math.max(line.x, 0)), Buffer.from(line.v, 'base64'), 'ABSTTL');
        summary.restored++;
      }
      for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
    }
  } catch (cause) {
    throw asDependencyError(cause, 'restoring Redis keys');
  }
  return summary;
}

async function* dumpBatches(file: string): AsyncGenerator<DumpLine[]> {
  let batch: DumpLine[] = [];
  let n = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    n++;
    if (text === '') continue;
    try {
      batch.push(JSON.parse(text) as DumpLine);
    } catch (cause) {
      throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `${file} line ${n}: not a key dump line`, { cause });
    }
    if (batch.length >= SCAN_COUNT) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function asDependencyError(cause: unknown, what: string): ClvError {
  if (cause instanceof ClvError) return cause;
  return new ClvError(ErrorCodes.DEPENDENCY_FAILED, `${what}: ${(cause as Error)?.message ?? String(cause)}`, { retriable: true, cause });
}
