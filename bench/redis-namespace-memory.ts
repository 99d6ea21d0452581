/**
 * What a Redis namespace costs: per key `MEMORY USAGE` (the key, its value and Redis's own
 * bookkeeping for them, in jemalloc's size classes) and `STRLEN` (the stored bytes), summed
 * over a SCAN of the namespace; and the server's `used_memory`.
 */
import type { Redis } from 'ioredis';

export interface NamespaceMemory {
  keys: number;
  /** Σ MEMORY USAGE: what Redis reports the keys cost, bookkeeping included (the expiry of a key with a TTL excluded). */
  memoryUsageBytes: number;
  /** Σ STRLEN: the stored values, write version included. */
  valueBytes: number;
  /** Σ key lengths. */
  keyBytes: number;
}

export async function namespaceMemory(redis: Redis, pattern: string): Promise<NamespaceMemory> {
  const seen = new Set<string>();
  const m: NamespaceMemory = { keys: 0, memoryUsageBytes: 0, valueBytes: 0, keyBytes: 0 };
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    const keys = found.filter((k) => !seen.has(k));
    if (keys.length === 0) continue;
    for (const k of keys) seen.add(k);
    const pipeline = redis.pipeline();
    for (const k of keys) pipeline.memory('USAGE', k).strlen(k);
    const replies = (await pipeline.exec()) ?? [];
    for (let i = 0; i < keys.length; i++) {
      const [usageError, usage] = replies[2 * i];
      const [lengthError, length] = replies[2 * i + 1];
      if (usageError || lengthError) throw usageError ?? lengthError;
      // Null: the key went between SCAN and MEMORY USAGE (nothing else writes here).
      if (usage === null) continue;
      m.keys++;
      m.memoryUsageBytes += Number(usage);
      m.valueBytes += Number(length);
      m.keyBytes += Buffer.byteLength(keys[i]);
    }
  } while (cursor !== '0');
  return m;
}

/** `used_memory` of INFO memory: every byte the server's allocator holds for data and itself. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const match = /^used_memory:(\d+)/m.exec(info);
  if (!match) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}
